"""The conversations of the vault: find, pick, rename (F2), delete (Del) with undo."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QMenu, QWidget

from cogenesis.core.vault import Conversation
from cogenesis.gui.conversation_item import SUBTITLE, ConversationDelegate, subtitle

_ID = Qt.ItemDataRole.UserRole


class ConversationList(QListWidget):
    """Shows conversations; renames in place; asks the window to delete or export."""

    chosen = Signal(int)  # conversation id
    renamed = Signal(int, str)
    delete_requested = Signal(int)
    export_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Conversations")
        self.setItemDelegate(ConversationDelegate(self))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.currentItemChanged.connect(self._current_changed)
        self.itemChanged.connect(self._edited)
        self._filling = False
        for text, keys, slot in (
            ("Rename", QKeySequence(Qt.Key.Key_F2), self.rename_current),
            ("Delete", QKeySequence(QKeySequence.StandardKey.Delete), self.delete_current),
        ):
            action = QAction(text, self, shortcut=keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

    def show_conversations(self, conversations: list[Conversation], current: int | None) -> None:
        self._filling = True
        self.blockSignals(True)
        self.clear()
        for c in conversations:
            item = QListWidgetItem(c.title)
            item.setData(_ID, c.id)
            item.setData(SUBTITLE, subtitle(c))
            item.setToolTip(f"{c.title}\n{subtitle(c)}")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            self.addItem(item)
            if c.id == current:
                self.setCurrentItem(item)
        self.blockSignals(False)
        self._filling = False

    def current_id(self) -> int | None:
        item = self.currentItem()
        return None if item is None else int(item.data(_ID))

    def rename_current(self) -> None:
        if self.currentItem() is not None:
            self.editItem(self.currentItem())

    def delete_current(self) -> None:
        conversation_id = self.current_id()
        if conversation_id is not None:
            self.delete_requested.emit(conversation_id)

    def _current_changed(self, item: QListWidgetItem | None) -> None:
        if item is not None and not self._filling:
            self.chosen.emit(int(item.data(_ID)))

    def _edited(self, item: QListWidgetItem) -> None:
        if not self._filling:
            self.renamed.emit(int(item.data(_ID)), item.text())

    def _menu(self, where: QPoint) -> None:
        item = self.itemAt(where)
        if item is None:
            return
        self.setCurrentItem(item)
        menu = QMenu(self)
        menu.addAction("Rename", self.rename_current)
        menu.addAction("Export…", lambda: self.export_requested.emit(int(item.data(_ID))))
        menu.addAction("Delete", self.delete_current)
        menu.exec(self.mapToGlobal(where))


class ConversationSearch(QLineEdit):
    """Finds conversations by title or by the words of their messages, as one types."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("Search conversations (Ctrl+F)")
        self.setAccessibleName("Search conversations")
        self.setClearButtonEnabled(True)
