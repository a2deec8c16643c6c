"""The widgets of the terms editor: a field to mark a term, filters, and the table."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
)

from cogenesis.gui.vault_editors.terms_model import FILTERS, TermsFilter, TermsModel


class TermsView:
    """Holds the widgets and their layouts; the editor places and wires them."""

    def __init__(self) -> None:
        self.new_term = QLineEdit()
        self.new_term.setAccessibleName("Term to mark")
        self.new_term.setPlaceholderText("A word or phrase to keep on this device")
        self.add_button = QPushButton("Mark as sensitive")
        self.add_button.setAccessibleName("Mark the typed term as sensitive")
        self.filter_text = QLineEdit()
        self.filter_text.setAccessibleName("Filter terms")
        self.filter_text.setPlaceholderText("Filter")
        self.filter_text.setClearButtonEnabled(True)
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName("Show terms")
        self.status_filter.addItems(list(FILTERS))
        self.count = QLabel()
        self.count.setAccessibleName("Number of terms")
        self.count.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.model = TermsModel()
        self.proxy = TermsFilter()
        self.proxy.setSourceModel(self.model)
        self.table = self._table()
        self.add_row = QHBoxLayout()
        self.add_row.addWidget(self.new_term, 1)
        self.add_row.addWidget(self.add_button)
        self.filter_row = QHBoxLayout()
        self.filter_row.addWidget(self.filter_text, 1)
        self.filter_row.addWidget(self.status_filter)

    def _table(self) -> QTableView:
        table = QTableView()
        table.setAccessibleName("Sensitive terms")
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setAlternatingRowColors(True)
        table.setTabKeyNavigation(False)
        table.setShowGrid(False)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        return table
