"""Asking for a passphrase: once to unlock, twice (with a strength hint) to create."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from cogenesis.core.vault.keywrap import MIN_PASSPHRASE_CHARS


def strength_hint(passphrase: str) -> str:
    """A rough, honest hint: length and variety, not a promise."""
    if len(passphrase) < MIN_PASSPHRASE_CHARS:
        return f"Too short: use at least {MIN_PASSPHRASE_CHARS} characters."
    kinds = sum(
        any(test(c) for c in passphrase)
        for test in (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum())
    )
    words = len(passphrase.split())
    if len(passphrase) >= 20 or words >= 4:
        return "Strong: long passphrases are hard to guess."
    if len(passphrase) >= 12 and kinds >= 2:
        return "Fair: a few more words would make it strong."
    return "Weak: make it longer (several unrelated words work well)."


class PassphraseDialog(QDialog):
    """``confirm=True`` asks twice and shows the strength hint (vault creation)."""

    def __init__(self, parent: QWidget | None, title: str, *, confirm: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.passphrase = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        self.repeat = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.repeat.setAccessibleName("Repeat passphrase")
        self.hint = QLabel()
        self.hint.setAccessibleName("Passphrase strength")
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        form = QFormLayout(self)
        form.addRow("Passphrase:", self.passphrase)
        if confirm:
            form.addRow("Repeat:", self.repeat)
            form.addRow(self.hint)
            self.passphrase.textChanged.connect(lambda text: self.hint.setText(strength_hint(text)))
        form.addRow(self.error)
        form.addRow(self.buttons)
        self._confirm = confirm
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)

    def value(self) -> str:
        return self.passphrase.text()

    def show_error(self, message: str) -> None:
        self.error.setText(message)

    def _accept(self) -> None:
        if self._confirm and self.passphrase.text() != self.repeat.text():
            self.show_error("The two passphrases differ.")
            return
        self.accept()
