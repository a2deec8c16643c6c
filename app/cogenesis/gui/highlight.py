"""Highlighting placeholders (``[PERSON]``) and redactions (``[redacted]``) in any text box."""

from __future__ import annotations

from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)

from cogenesis.core.privacy import marker_spans
from cogenesis.gui.theme import is_dark

# (background, text) per marker kind, for light and dark palettes.
_COLOURS = {
    ("placeholder", False): ("#dbe7fd", "#1b3f91"),
    ("placeholder", True): ("#23407a", "#dce8ff"),
    ("redaction", False): ("#3b4250", "#f5f6f8"),
    ("redaction", True): ("#59606d", "#f5f6f8"),
}


def marker_format(kind: str, dark: bool) -> QTextCharFormat:
    background, text = _COLOURS[(kind, dark)]
    style = QTextCharFormat()
    style.setBackground(QColor(background))
    style.setForeground(QColor(text))
    style.setFontWeight(QFont.Weight.DemiBold)
    return style


class MarkerHighlighter(QSyntaxHighlighter):
    """Marks what the privacy guard put in place of private text, in colours that suit the
    app's current palette (call ``rehighlight()`` after the theme changes)."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._formats = {
            (kind, dark): marker_format(kind, dark)
            for kind in ("placeholder", "redaction")
            for dark in (False, True)
        }

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt's name)
        dark = is_dark(QGuiApplication.palette())
        for marker in marker_spans(text):
            style = self._formats[(marker.kind, dark)]
            self.setFormat(marker.start, marker.end - marker.start, style)
