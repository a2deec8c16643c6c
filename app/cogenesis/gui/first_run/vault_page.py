"""Step 1: create the encrypted vault, its key in the OS keyring or behind a passphrase."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QLineEdit,
    QProgressBar,
    QRadioButton,
    QVBoxLayout,
)

from cogenesis.adapters.keystore import Preference, keyring_available
from cogenesis.core.errors import CogenesisError
from cogenesis.gui.first_run.state import (
    SkippablePage,
    WizardState,
    intro_label,
    message_label,
)
from cogenesis.gui.passphrase_dialog import strength_hint
from cogenesis.gui.session import VaultState

_LEVELS = {"Too short": 0, "Weak": 1, "Fair": 2, "Strong": 3}
_BAR_COLOURS = {0: "#b3261e", 1: "#c77700", 2: "#8a9a00", 3: "#2e7d32"}


def strength_level(passphrase: str) -> int:
    """0 (too short) to 3 (strong), from the same rules as the hint text."""
    hint = strength_hint(passphrase)
    return next(level for prefix, level in _LEVELS.items() if hint.startswith(prefix))


class VaultPage(SkippablePage):
    def __init__(self, state: WizardState) -> None:
        super().__init__(state, 1, "Your private vault", "encrypted, on this computer only")
        self.intro = intro_label(
            "Your profile, notes and writing samples are kept in an encrypted vault on this "
            "computer. Only the local model reads them. Choose where its key is kept:"
        )
        has_keyring = keyring_available()
        self.use_keyring = QRadioButton("Keep the key in the system keyring (no passphrase)")
        self.use_keyring.setAccessibleName("Keep the vault key in the system keyring")
        self.use_keyring.setEnabled(has_keyring)
        if not has_keyring:
            self.use_keyring.setText("System keyring: none found on this computer")
        self.use_passphrase = QRadioButton("Protect it with a passphrase, asked when you unlock")
        self.use_passphrase.setAccessibleName("Protect the vault with a passphrase")
        group = QButtonGroup(self)
        group.addButton(self.use_keyring)
        group.addButton(self.use_passphrase)
        (self.use_keyring if has_keyring else self.use_passphrase).setChecked(True)
        self.passphrase = _secret_field("Passphrase", "Several unrelated words work well")
        self.repeat = _secret_field("Repeat passphrase", "The same passphrase again")
        self.strength = QProgressBar(maximum=3, textVisible=False)
        self.strength.setAccessibleName("Passphrase strength")
        self.strength.setFixedHeight(6)
        self.hint = message_label("Passphrase strength hint")
        self.error = message_label("Vault error", error=True)
        self.existing = message_label("Existing vault")
        self._layout()
        self.passphrase.textChanged.connect(self._show_strength)
        for field in (self.passphrase, self.repeat):  # a message about old text is wrong now
            field.textChanged.connect(self.error.clear)
        self.use_passphrase.toggled.connect(self._enable_fields)
        self._show_strength("")
        self._enable_fields()

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow("Pass&phrase:", self.passphrase)
        form.addRow("", self.strength)
        form.addRow("", self.hint)
        form.addRow("R&epeat:", self.repeat)
        box = QVBoxLayout(self)
        box.addWidget(self.intro)
        box.addWidget(self.existing)
        box.addWidget(self.use_keyring)
        box.addWidget(self.use_passphrase)
        box.addLayout(form)
        box.addWidget(self.error)
        box.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 (Qt's name)
        exists = self.state.session.state is not VaultState.ABSENT
        self.existing.setVisible(exists)
        self.existing.setText("A vault already exists here; it is kept as it is.")
        self.use_keyring.setEnabled(not exists and keyring_available())
        self.use_passphrase.setEnabled(not exists)
        self._enable_fields()

    def apply(self) -> bool:
        if self.state.session.state is not VaultState.ABSENT:
            return True
        if self.use_passphrase.isChecked() and self.passphrase.text() != self.repeat.text():
            self._fail("The two passphrases differ: type the same one twice.", self.repeat)
            return False
        prefer: Preference = "passphrase" if self.use_passphrase.isChecked() else "keyring"
        try:
            self.state.session.create(self.passphrase.text() or None, prefer)
        except CogenesisError as exc:
            self._fail(str(exc), self.passphrase)
            return False
        self.error.clear()
        how = "passphrase" if prefer == "passphrase" else "system keyring"
        self.state.done["vault"] = f"Vault created (key: {how})."
        return True

    def _fail(self, message: str, focus: QLineEdit) -> None:
        self.error.setText(message)
        focus.setFocus()

    def _show_strength(self, text: str) -> None:
        level = strength_level(text)
        self.strength.setValue(level)
        self.strength.setStyleSheet(
            f"QProgressBar::chunk {{ background: {_BAR_COLOURS[level]}; border-radius: 3px; }}"
            "QProgressBar { border: none; background: palette(midlight); border-radius: 3px; }"
        )
        self.hint.setText(strength_hint(text) if text else "Use at least 8 characters.")

    def _enable_fields(self) -> None:
        exists = self.state.session.state is not VaultState.ABSENT
        on = self.use_passphrase.isChecked() and not exists
        for widget in (self.passphrase, self.repeat, self.strength, self.hint):
            widget.setEnabled(on)


def _secret_field(name: str, placeholder: str) -> QLineEdit:
    field = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    field.setPlaceholderText(placeholder)
    return field
