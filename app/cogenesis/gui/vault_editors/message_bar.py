"""A one-line message above an editor's buttons: what happened, or what to fix, with an
optional action (Undo)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

_STYLES = {
    "info": "background: palette(alternate-base); border-radius: 4px;",
    "error": "background: #fdecea; color: #8a1c12; border: 1px solid #f5c2bd; border-radius: 4px;",
}


class MessageBar(QFrame):
    """Hidden until there is something to say; ``show_error`` and ``show_info`` replace it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Message")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Message text")
        self.action_button = QPushButton()
        self.action_button.setAccessibleName("Message action")
        self.action_button.clicked.connect(self._run_action)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action_button)
        self._action: Callable[[], None] | None = None
        self.kind = ""
        self.clear()

    def show_error(self, text: str) -> None:
        self._show("error", text, None, None)

    def show_info(
        self, text: str, action_text: str | None = None, action: Callable[[], None] | None = None
    ) -> None:
        self._show("info", text, action_text, action)

    def clear(self) -> None:
        self.kind = ""
        self.label.clear()
        self._action = None
        self.hide()

    def text(self) -> str:
        return self.label.text()

    def _show(
        self, kind: str, text: str, action_text: str | None, action: Callable[[], None] | None
    ) -> None:
        self.kind = kind
        self.setStyleSheet(f"MessageBar {{ {_STYLES[kind]} }}")
        self.label.setText(text)
        self._action = action
        self.action_button.setText(action_text or "")
        self.action_button.setVisible(action is not None)
        self.show()

    def _run_action(self) -> None:
        action = self._action
        self.clear()
        if action is not None:
            action()
