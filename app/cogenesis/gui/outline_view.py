"""The sketch phase: the outline the remote model wrote, collapsible above the chat."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTextBrowser, QToolButton, QVBoxLayout, QWidget


class OutlineView(QWidget):
    """Hidden until a sketch arrives; the header button folds and unfolds it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.toggle = QToolButton()
        self.toggle.setAccessibleName("Show or hide the outline")
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow)
        self.toggle.setText("Outline from the remote model")
        self.toggle.setToolTip("Written by the remote model without your private context")
        self.toggle.toggled.connect(self._fold)
        self.body = QTextBrowser()
        self.body.setAccessibleName("Outline")
        self.body.setMaximumHeight(140)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toggle)
        layout.addWidget(self.body)
        self.clear()

    def clear(self) -> None:
        self.body.clear()
        self.hide()

    def set_outline(self, text: str) -> None:
        self.body.setMarkdown(text)
        self.show()

    def text(self) -> str:
        return self.body.toPlainText()

    def _fold(self, unfolded: bool) -> None:
        self.body.setVisible(unfolded)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if unfolded else Qt.ArrowType.RightArrow)
