"""The right side of a document editor: title, optional tags and text, with Save and Revert."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cogenesis.gui.vault_editors.documents import Fields
from cogenesis.gui.vault_editors.message_bar import MessageBar


def parse_tags(text: str) -> tuple[str, ...]:
    """Comma-separated tags, trimmed, empty ones and repeats dropped."""
    seen: dict[str, None] = {}
    for tag in text.split(","):
        if tag.strip():
            seen.setdefault(tag.strip(), None)
    return tuple(seen)


class DocumentForm(QWidget):
    """Edits one document's fields; ``is_dirty`` compares them with the last loaded values."""

    def __init__(self, noun: str, *, has_tags: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        self.heading.setAccessibleName("Editing")
        heading_font = QFont(self.heading.font())
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.25)
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        self.title = QLineEdit()
        self.title.setAccessibleName("Title")
        self.title.setPlaceholderText("Title (optional)")
        self.tags = QLineEdit()
        self.tags.setAccessibleName("Tags")
        self.tags.setPlaceholderText("Comma-separated, e.g. health, family")
        self.body = QPlainTextEdit()
        self.body.setAccessibleName("Text")
        self.body.setPlaceholderText(f"Write the {noun} here.")
        self.body.setTabChangesFocus(True)  # Tab moves on, as everywhere else in the form
        self.status = QLabel()
        self.status.setAccessibleName("Save state")
        self.messages = MessageBar()
        self.revert_button = QPushButton("Revert")
        self.revert_button.setAccessibleName("Revert changes")
        self.revert_button.setToolTip("Go back to the last saved text")
        self.save_button = QPushButton("Save")
        self.save_button.setAccessibleName(f"Save the {noun}")
        self.save_button.setToolTip("Save (Ctrl+S)")
        self.save_button.setDefault(True)
        self._build(has_tags)
        self._loaded = Fields()
        for edit in (self.title, self.tags):
            edit.textChanged.connect(self._update_state)
        self.body.textChanged.connect(self._update_state)
        self._update_state()

    def _build(self, has_tags: bool) -> None:
        form = QFormLayout()
        form.setHorizontalSpacing(10)
        form.addRow(_buddy("&Title", self.title), self.title)
        if has_tags:
            form.addRow(_buddy("T&ags", self.tags), self.tags)
        self.tags.setVisible(has_tags)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.messages)
        layout.addLayout(buttons)

    def fields(self) -> Fields:
        return Fields(self.title.text(), self.body.toPlainText(), parse_tags(self.tags.text()))

    def load(self, fields: Fields, heading: str) -> None:
        """Show ``fields`` as the saved state of the document titled ``heading``."""
        self._loaded = fields
        self.heading.setText(heading)
        self.title.setText(fields.title)
        self.tags.setText(", ".join(fields.tags))
        self.body.setPlainText(fields.body)
        self._update_state()

    def is_dirty(self) -> bool:
        return self.fields() != self._loaded

    def _update_state(self) -> None:
        dirty = self.is_dirty()
        self.status.setText("Unsaved changes" if dirty else "")
        self.revert_button.setEnabled(dirty)


def _buddy(text: str, field: QWidget) -> QLabel:
    """A label whose underlined letter (with Alt) moves the focus to ``field``."""
    label = QLabel(text)
    label.setBuddy(field)
    label.setMinimumWidth(label.sizeHint().width() + 4)  # room for glyphs that overhang
    return label
