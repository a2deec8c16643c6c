"""Preview before sending: the public part of a request (what the cloud model will see), with
placeholders highlighted, editable; Send returns the edited text, Cancel sends nothing."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cogenesis.core.privacy import PublicText, Replacement, needs_preview
from cogenesis.gui.highlight import MarkerHighlighter

Findings = Callable[[str], list[str]]  # e.g. PrivacyGuard.findings: what may not leave
_WARNING_STYLE = (
    "background: rgba(198, 40, 40, 0.12); border: 1px solid rgba(198, 40, 40, 0.5);"
    " border-radius: 6px; padding: 6px;"
)
_CHECK_DELAY_MS = 250


def replacements_text(public: PublicText) -> str:
    """What was replaced by what, for the line above the editor (shown only on this device)."""
    if not public.changed:
        return "Nothing private was found in this message. You can still edit it."
    pairs = [
        f"“{html.escape(r.original)}” → <b>{html.escape(r.placeholder)}</b>"
        for r in public.replacements
    ]
    return "Replaced before sending: " + ", ".join(pairs) + "."


class PreviewDialog(QDialog):
    """Shows ``public.text`` for editing. ``findings`` (optional) checks the edited text and
    warns about anything private the user typed back in (the guard would refuse it)."""

    def __init__(
        self,
        public: PublicText,
        parent: QWidget | None = None,
        *,
        findings: Findings | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Check what will be sent")
        self.setMinimumSize(560, 380)
        self._findings = findings
        heading = QLabel(
            "<b>This is what the cloud model will see.</b> Private details are"
            " replaced by highlighted placeholders. Edit it if you like; nothing"
            " is sent until you press Send."
        )
        heading.setWordWrap(True)
        self.replaced = QLabel(replacements_text(public))
        self.replaced.setAccessibleName("What was replaced")
        self.replaced.setWordWrap(True)
        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName("Text to send")
        self.editor.setTabChangesFocus(True)
        self._highlighter = MarkerHighlighter(self.editor.document())
        self.editor.setPlainText(public.text)
        self.editor.setFocus()
        self.warning = QLabel()
        self.warning.setAccessibleName("Privacy warning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(_WARNING_STYLE)
        self.warning.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel: send nothing")
        self.send_button = QPushButton("&Send")
        self.send_button.setAccessibleName("Send this text")
        self.send_button.setDefault(True)
        self.buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.send_button.click)
        layout = QVBoxLayout(self)
        for widget in (heading, self.replaced):
            layout.addWidget(widget)
        self.release_buttons = self._withheld(public, layout)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.warning)
        layout.addWidget(self.buttons)
        self._timer = QTimer(self, singleShot=True, interval=_CHECK_DELAY_MS)
        self._timer.timeout.connect(self.check)
        self.editor.textChanged.connect(self._on_edited)
        self.check()

    def edited_text(self) -> str:
        return self.editor.toPlainText()

    def _withheld(self, public: PublicText, layout: QVBoxLayout) -> list[QPushButton]:
        """A line saying why text in another script was withheld, and a button for each span
        that puts it back for this request (with vault terms and PII inside still replaced)."""
        withheld = [r for r in public.replacements if r.released is not None]
        if not withheld:
            return []
        why = QLabel(
            "Text in another script was withheld: the privacy detectors cannot read it, so it "
            "could hold a name or an address. Release it for this request if it holds nothing "
            "private; your vault's terms inside it stay replaced."
        )
        why.setWordWrap(True)
        layout.addWidget(why)
        buttons = []
        for replacement in withheld:
            shown = (
                replacement.original
                if len(replacement.original) <= 40
                else (replacement.original[:39] + "…")
            )
            button = QPushButton(f"Release {replacement.placeholder}: “{shown}”")
            button.setAccessibleName(f"Release {replacement.placeholder} for this request")
            button.clicked.connect(lambda _=False, r=replacement, b=button: self._release(r, b))
            layout.addWidget(button)
            buttons.append(button)
        return buttons

    def _release(self, replacement: Replacement, button: QPushButton) -> None:
        text = self.edited_text()
        if replacement.placeholder in text and replacement.released is not None:
            self.editor.setPlainText(text.replace(replacement.placeholder, replacement.released, 1))
        button.setEnabled(False)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt's name)
        self._timer.stop()  # a closed preview checks nothing (its vault may be locked by now)
        super().hideEvent(event)

    def _on_edited(self) -> None:
        self.send_button.setEnabled(bool(self.edited_text().strip()))
        self._timer.start()

    def check(self) -> None:
        """Warn when the edited text holds something the privacy guard would refuse."""
        found = self._findings(self.edited_text()) if self._findings else []
        self.warning.setVisible(bool(found))
        self.warning.setText(
            f"This text still contains {', '.join(found)}. The privacy guard will refuse to "
            "send it: replace it with a placeholder such as [PERSON], or remove it."
            if found
            else ""
        )


def confirm_public_text(
    policy: str,
    public: PublicText,
    original: str,
    parent: QWidget | None = None,
    *,
    findings: Findings | None = None,
) -> str | None:
    """The text to send under the preview ``policy``: ``public.text`` when no preview is
    needed, else what the user sends from the dialog; None when they cancel."""
    if not needs_preview(policy, public.text, original):
        return public.text
    dialog = PreviewDialog(public, parent, findings=findings)
    try:
        return dialog.edited_text() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
