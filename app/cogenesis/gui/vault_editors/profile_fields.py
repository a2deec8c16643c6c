"""The profile's input widgets: one per field, an error line under each, and a table of
other facts."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cogenesis.core.vault.records import PROFILE_FIELDS
from cogenesis.gui.vault_editors.profile_rules import ProfileInput

_LABELS = {
    "name": ("&Name", "Your full name"),
    "age": ("A&ge", "34, or a range such as 30-39"),
    "occupation": ("&Occupation", "What you do"),
    "location": ("&Location", "City, region or country"),
    "traits": ("&Traits", "How you would describe yourself"),
    "writing_style": ("&Writing style", "Formal or casual, short or long, emoji or none…"),
    "private_facts": ("&Private facts", "One per line: family, health, plans…"),
}
_MULTILINE = {"traits", "writing_style", "private_facts"}
_ERROR_STYLE = "color: #b3261e;"


class ProfileFields(QWidget):
    """``entry`` reads what is typed; ``fill`` shows a profile; ``edited`` on any change."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.inputs: dict[str, QLineEdit | QPlainTextEdit] = {}
        self.errors: dict[str, QLabel] = {}
        self.facts = QTableWidget(0, 2)
        self.facts.setAccessibleName("Other facts")
        self.facts.setHorizontalHeaderLabels(["Fact", "Value"])
        self.facts.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.facts.setColumnWidth(0, 160)
        self.facts.verticalHeader().hide()
        self.facts.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside it
        self.facts.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.facts.setMinimumHeight(120)
        self.add_fact_button = QPushButton("Add fact")
        self.add_fact_button.setAccessibleName("Add a fact")
        self.remove_fact_button = QPushButton("Remove fact")
        self.remove_fact_button.setAccessibleName("Remove the selected fact")
        self._build()
        self.facts.itemChanged.connect(lambda _: self.edited.emit())
        self.add_fact_button.clicked.connect(self.add_fact)
        self.remove_fact_button.clicked.connect(self.remove_fact)

    def _build(self) -> None:
        form = QFormLayout()
        for field in PROFILE_FIELDS:
            label, hint = _LABELS[field]
            edit = self._input(field, hint)
            self.errors[field] = self._error_label(f"{label.replace('&', '')} problem")
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(edit)
            column.addWidget(self.errors[field])
            buddy = QLabel(label)
            buddy.setBuddy(edit)  # Alt + the underlined letter jumps to the field
            form.addRow(buddy, column)
        self.errors["extra"] = self._error_label("Other facts problem")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_fact_button)
        buttons.addWidget(self.remove_fact_button)
        buttons.addStretch(1)
        heading = QLabel("<b>Other facts</b> — anything else the local model may know about you")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(heading)
        layout.addWidget(self.facts, 1)
        layout.addWidget(self.errors["extra"])
        layout.addLayout(buttons)

    def _input(self, field: str, hint: str) -> QLineEdit | QPlainTextEdit:
        edit: QLineEdit | QPlainTextEdit
        if field in _MULTILINE:
            edit = QPlainTextEdit()
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 3 + 14)
        else:
            edit = QLineEdit()
        edit.setPlaceholderText(hint)
        edit.setAccessibleName(_LABELS[field][0].replace("&", ""))
        edit.textChanged.connect(lambda *_: self.edited.emit())
        self.inputs[field] = edit
        return edit

    def _error_label(self, name: str) -> QLabel:
        label = QLabel()
        label.setAccessibleName(name)
        label.setStyleSheet(_ERROR_STYLE)
        label.setWordWrap(True)
        label.hide()
        return label

    def entry(self) -> ProfileInput:
        values = tuple(_text(self.inputs[f]) for f in PROFILE_FIELDS)
        rows = tuple((self._cell(r, 0), self._cell(r, 1)) for r in range(self.facts.rowCount()))
        return ProfileInput(values, rows)

    def fill(self, entry: ProfileInput) -> None:
        self.blockSignals(True)
        for field, value in zip(PROFILE_FIELDS, entry.values, strict=True):
            edit = self.inputs[field]
            if isinstance(edit, QLineEdit):
                edit.setText(value)
            else:
                edit.setPlainText(value)
        self.facts.setRowCount(0)
        for name, value in entry.rows:
            self._append_row(name, value)
        self.blockSignals(False)
        self.edited.emit()

    def show_problems(self, found: dict[str, str]) -> None:
        """Show each message under its field, hide the others, and focus the first one."""
        for field, label in self.errors.items():
            label.setText(found.get(field, ""))
            label.setVisible(field in found)
        first = next((f for f in [*PROFILE_FIELDS, "extra"] if f in found), None)
        if first is not None:
            (self.facts if first == "extra" else self.inputs[first]).setFocus()

    def add_fact(self) -> None:
        """A new empty row, ready to type its name."""
        name = self._append_row("", "")
        self.facts.setCurrentItem(name)
        self.facts.setFocus()
        self.facts.editItem(name)

    def remove_fact(self) -> None:
        row = self.facts.currentRow()
        if row >= 0:
            self.facts.removeRow(row)
            self.edited.emit()

    def _append_row(self, name: str, value: str) -> QTableWidgetItem:
        row = self.facts.rowCount()
        self.facts.insertRow(row)
        name_item = QTableWidgetItem(name)
        self.facts.setItem(row, 0, name_item)
        self.facts.setItem(row, 1, QTableWidgetItem(value))
        return name_item

    def _cell(self, row: int, column: int) -> str:
        item = self.facts.item(row, column)
        return item.text() if item is not None else ""


def _text(edit: QLineEdit | QPlainTextEdit) -> str:
    return edit.text() if isinstance(edit, QLineEdit) else edit.toPlainText()
