"""One egress record in full: the verdict, the text sent (placeholders highlighted), the exact
bytes, the headers and the response."""

from __future__ import annotations

import contextlib
import html
import json

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTabWidget, QVBoxLayout, QWidget

from cogenesis.core.egress import EgressRecord, format_bytes
from cogenesis.gui.egress_text import request_explanation
from cogenesis.gui.highlight import MarkerHighlighter

_ALLOWED_STYLE = "background: rgba(46, 125, 50, 0.14); border-radius: 6px; padding: 8px;"
_REFUSED_STYLE = (
    "background: rgba(198, 40, 40, 0.14); border: 1px solid rgba(198, 40, 40, 0.55);"
    " border-radius: 6px; padding: 8px;"
)
_NOTHING_SELECTED = "Select a request above to see exactly what was sent."


def verdict_summary(record: EgressRecord) -> str:
    """One line on what happened to the request, for the banner above its text."""
    if record.refused:
        reason = record.verdict.removeprefix("refused: ")
        return (
            f"<b>Refused</b> by the privacy guard: {reason}.<br>Nothing was sent; below is "
            f"what was held back ({format_bytes(len(record.request_body))})."
        )
    status = "" if record.status is None else f", status {record.status}"
    took = "" if record.duration_ms is None else f" in {record.duration_ms / 1000:.2f} s"
    return (
        f"<b>Allowed</b> — sent {format_bytes(len(record.request_body))} to {record.host}, "
        f"received {format_bytes(record.response_size)}{status}{took} ({record.outcome})."
    )


class EgressDetail(QWidget):
    """Shows ``show_record(record)``; ``clear()`` shows the hint to select one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._highlighters: list[MarkerHighlighter] = []
        self.banner = QLabel(_NOTHING_SELECTED)
        self.banner.setAccessibleName("Verdict")
        self.banner.setWordWrap(True)
        self.text_sent = self._text_box("Text sent", highlight=True)
        self.exact_bytes = self._text_box("Exact bytes sent", highlight=True)
        self.headers = self._text_box("Request headers", highlight=True)
        self.response = self._text_box("Response received", highlight=False)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Request details")
        self.tabs.addTab(self.text_sent, "&Text sent")
        self.tabs.addTab(self.exact_bytes, "E&xact bytes")
        self.tabs.addTab(self.headers, "&Headers")
        self.tabs.addTab(self.response, "Res&ponse")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self.clear()

    def _text_box(self, name: str, *, highlight: bool) -> QPlainTextEdit:
        box = QPlainTextEdit(readOnly=True)
        box.setAccessibleName(name)
        box.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        if highlight:
            self._highlighters.append(MarkerHighlighter(box.document()))
        return box

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            for highlighter in self._highlighters:
                highlighter.rehighlight()
        super().changeEvent(event)

    def clear(self) -> None:
        self.shown: EgressRecord | None = None
        self.banner.setText(_NOTHING_SELECTED)
        self.banner.setStyleSheet("padding: 8px;")
        for box in (self.text_sent, self.exact_bytes, self.headers, self.response):
            box.clear()
        self.tabs.setEnabled(False)

    def show_record(self, record: EgressRecord) -> None:
        if record == self.shown:
            return  # a refresh that changed nothing keeps the scroll positions
        self.shown = record
        self.tabs.setEnabled(True)
        explained = request_explanation(record.request_body)
        self.banner.setText(
            verdict_summary(record) + (f"<br>{html.escape(explained)}" if explained else "")
        )
        self.banner.setStyleSheet(_REFUSED_STYLE if record.refused else _ALLOWED_STYLE)
        self.text_sent.setPlainText(record.text_sent)
        self.exact_bytes.setPlainText(record.request_body.decode("utf-8", errors="replace"))
        request_line = f"{record.method} {record.host}{record.path}"
        self.headers.setPlainText(request_line + "\n" + _header_lines(record.request_headers))
        self.response.setPlainText(_response_text(record))


def _header_lines(headers: dict[str, str]) -> str:
    return "\n".join(f"{name}: {value}" for name, value in headers.items())


def _response_text(record: EgressRecord) -> str:
    if record.refused:
        return "(nothing was sent, so nothing came back)"
    head = f"status {record.status}\n{_header_lines(record.response_headers)}"
    if record.response_body is None:
        return f"{head}\n\n({format_bytes(record.response_size)} received; not stored)"
    body = record.response_body.decode("utf-8", errors="replace")
    with contextlib.suppress(ValueError):  # server-sent events or plain text stay as they came
        body = json.dumps(json.loads(body), indent=2, ensure_ascii=False)
    return f"{head}\n\n{body}"
