"""Chat ▸ Answer settings: the longest answer, the temperature and a persona, for the
conversation shown (a new one gets them with its first message)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cogenesis.core.errors import CogenesisError
from cogenesis.core.generation import MAX_TOKENS_RANGE, PERSONA_CHARS, TEMPERATURE_RANGE, Generation
from cogenesis.gui.errors import show_error


class GenerationDialog(QDialog):
    """Edits a ``Generation``; ``chosen()`` is the result once accepted."""

    def __init__(self, current: Generation, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Answer settings — {title}")
        self.max_tokens = QSpinBox(minimum=MAX_TOKENS_RANGE[0], maximum=MAX_TOKENS_RANGE[1])
        self.max_tokens.setValue(current.max_tokens)
        self.max_tokens.setSuffix(" tokens")
        self.max_tokens.setAccessibleName("Longest answer")
        self.temperature = QDoubleSpinBox(
            minimum=TEMPERATURE_RANGE[0], maximum=TEMPERATURE_RANGE[1]
        )
        self.temperature.setSingleStep(0.1)
        self.temperature.setDecimals(2)
        self.temperature.setValue(current.temperature)
        self.temperature.setAccessibleName("Temperature")
        self.temperature.setToolTip("0: always the likeliest word; higher: more varied answers.")
        self.persona = QPlainTextEdit(current.persona)
        self.persona.setAccessibleName("Persona")
        self.persona.setTabChangesFocus(True)
        self.persona.setPlaceholderText(
            "e.g. Answer briefly, in British English, as a friendly coach."
        )
        note = QLabel(
            "The persona is private context: only the local model reads it, unless you choose "
            f"Full context (up to {PERSONA_CHARS} characters). 400 tokens is about 300 words."
        )
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Longest answer:", self.max_tokens)
        form.addRow("&Temperature:", self.temperature)
        form.addRow("&Persona:", self.persona)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setAccessibleName("Use these settings")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        defaults = buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        defaults.setAccessibleName("Restore the defaults")
        defaults.clicked.connect(lambda: self._show(Generation()))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self._chosen: Generation | None = None

    def _show(self, generation: Generation) -> None:
        self.max_tokens.setValue(generation.max_tokens)
        self.temperature.setValue(generation.temperature)
        self.persona.setPlainText(generation.persona)

    def accept(self) -> None:
        try:
            self._chosen = Generation(
                self.max_tokens.value(), self.temperature.value(), self.persona.toPlainText()
            )
        except CogenesisError as exc:  # the dialog stays open with what was typed
            show_error(self, exc)
            return
        super().accept()

    def chosen(self) -> Generation | None:
        return self._chosen
