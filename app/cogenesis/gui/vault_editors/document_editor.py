"""A list-and-form editor for one kind of document (notes or writing samples).

Search uses the vault's full-text index as the user types. Switching documents, creating a
new one or leaving asks about unsaved changes; a delete can be undone from the message bar.
When the vault locks with unsaved changes, they are kept and put back if the same vault is
unlocked again in this session, so nothing typed is lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QListWidgetItem, QPushButton, QSplitter, QWidget

from cogenesis.core.errors import CogenesisError
from cogenesis.core.vault import Vault
from cogenesis.gui.vault_editors.base import VaultEditor
from cogenesis.gui.vault_editors.document_form import DocumentForm
from cogenesis.gui.vault_editors.document_list import ID_ROLE, DocumentList
from cogenesis.gui.vault_editors.documents import Document, DocumentKind, Fields
from cogenesis.gui.vault_editors.unsaved import Choice, ask_save_changes

SEARCH_DELAY_MS = 150
SEARCH_LIMIT = 500


@dataclass(frozen=True)
class _Draft:
    vault_id: str
    doc_id: int | None
    fields: Fields


class DocumentEditor(VaultEditor):
    """Edits the documents of ``kind``; ``ask_save`` asks about unsaved changes."""

    def __init__(self, kind: DocumentKind, parent: QWidget | None = None) -> None:
        super().__init__(kind.plural, parent)
        self.kind = kind
        self.ask_save = ask_save_changes
        self.documents: dict[int, Document] = {}
        self.current_id: int | None = None
        self._draft: _Draft | None = None
        self.list = DocumentList(kind.noun, kind.plural)
        self.form = DocumentForm(kind.noun, has_tags=kind.has_tags)
        self.new_button = QPushButton(f"New {kind.noun}")
        self.new_button.setAccessibleName(f"New {kind.noun}")
        self.new_button.setToolTip(f"New {kind.noun} (Ctrl+N)")
        self.delete_button = QPushButton("Delete")
        self.delete_button.setAccessibleName(f"Delete the {kind.noun}")
        self.delete_button.setToolTip(f"Delete the {kind.noun} (Delete); you can undo it")
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._build()
        self._connect()

    def _build(self) -> None:
        self.list.buttons.addWidget(self.new_button)
        self.list.buttons.addWidget(self.delete_button)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.list)
        splitter.addWidget(self.form)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QHBoxLayout(self.content)
        layout.addWidget(splitter)

    def _connect(self) -> None:
        self.list.search.textChanged.connect(lambda _: self._search_timer.start())
        self._search_timer.timeout.connect(self.refresh_list)
        self.list.list.currentItemChanged.connect(self._on_current_item)
        self.new_button.clicked.connect(self.new_document)
        self.delete_button.clicked.connect(self.delete_current)
        self.form.save_button.clicked.connect(self.save)
        self.form.revert_button.clicked.connect(self.revert)
        shortcuts = {
            QKeySequence.StandardKey.New: self.new_document,
            QKeySequence.StandardKey.Save: self.save,
            QKeySequence.StandardKey.Find: self._focus_search,
        }
        for key, slot in shortcuts.items():
            shortcut = QShortcut(QKeySequence(key), self.content)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.list.list)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_current)

    # -- vault ---------------------------------------------------------------------------

    def _load(self) -> None:
        self._reload_documents()
        draft = self._draft
        if draft is not None and self.vault is not None and draft.vault_id == self.vault.vault_id:
            self._draft = None
            self._restore_draft(draft)
        else:
            newest = self._sorted_documents()[:1]
            self._open(newest[0].id if newest else None)
        self.refresh_list()

    def _unload(self) -> None:
        if self.form.is_dirty() and self.vault is not None:
            self._draft = _Draft(self.vault.vault_id, self.current_id, self.form.fields())
        self.documents = {}
        self.current_id = None
        self.form.load(Fields(), "")
        self.form.messages.clear()
        self.list.show_items([], 0)

    def _restore_draft(self, draft: _Draft) -> None:
        doc_id = draft.doc_id if draft.doc_id in self.documents else None
        self._open(doc_id)
        self._fill(draft.fields)
        self.form.messages.show_info("Your unsaved changes from before the vault locked are back.")

    def reload(self) -> None:
        if self.is_locked:
            return
        self._reload_documents()
        if not self.form.is_dirty():
            newest = self._sorted_documents()[:1]
            keep = self.current_id in self.documents
            self._open(self.current_id if keep else newest[0].id if newest else None)
        elif self.current_id is not None and self.current_id not in self.documents:
            edited = self.form.fields()  # deleted elsewhere: the edits become a new document
            self._open(None)
            self._fill(edited)
        self.refresh_list()

    # -- public actions ------------------------------------------------------------------

    def has_unsaved_changes(self) -> bool:
        return not self.is_locked and self.form.is_dirty()

    def confirm_leave(self) -> bool:
        if not self.has_unsaved_changes():
            return True
        choice = self.ask_save(self, f"this {self.kind.noun}")
        if choice is Choice.SAVE:
            return self.save()
        return choice is Choice.DISCARD

    def new_document(self) -> None:
        """Start a new, empty document (after asking about unsaved changes)."""
        if self.is_locked or not self.confirm_leave():
            return
        self._open(None)
        self.list.select(None)
        self.form.title.setFocus()

    def save(self) -> bool:
        """Save the form; on an error the text stays and the message says what to fix."""
        if self.is_locked:
            return False
        try:
            doc = self.kind.save(self._vault(), self.current_id, self.form.fields())
        except CogenesisError as exc:
            self.form.messages.show_error(f"Not saved. {exc}")
            self.form.body.setFocus()
            return False
        self._reload_documents()
        self._open(doc.id)
        self.refresh_list()
        self.form.messages.show_info(f"Saved “{doc.display_title}”.")
        self.changed.emit()
        return True

    def revert(self) -> None:
        """Throw away the unsaved changes: back to the saved text (or an empty new one)."""
        self._open(self.current_id)

    def delete_current(self) -> None:
        """Delete the shown document; the message bar offers Undo."""
        if self.is_locked or self.current_id not in self.documents:
            return
        doc = self.documents[self.current_id]
        edited = self.form.fields()
        try:
            self.kind.delete(self._vault(), doc.id)
        except CogenesisError as exc:
            self.form.messages.show_error(f"Not deleted. {exc}")
            return
        shown = self.list.ids()
        row = shown.index(doc.id) if doc.id in shown else 0
        self._reload_documents()
        remaining = [i for i in shown if i != doc.id]
        self._open(remaining[min(row, len(remaining) - 1)] if remaining else None)
        self.refresh_list()
        (self.list.list if remaining else self.form.body).setFocus()
        self.form.messages.show_info(
            f"Deleted “{doc.display_title}”.", "Undo", lambda: self._undo_delete(doc, edited)
        )
        self.changed.emit()

    def refresh_list(self) -> None:
        """List every document, or the search's matches, best first."""
        if self.is_locked:
            return
        query = self.list.search.text().strip()
        if query:
            items = self._search_items(query)
        else:
            items = [(d.id, d.display_title, _summary(d)) for d in self._sorted_documents()]
        self.list.show_items(items, len(self.documents))
        self.list.select(self.current_id)

    # -- helpers -------------------------------------------------------------------------

    def _vault(self) -> Vault:
        assert self.vault is not None, "only called while a vault is set"
        return self.vault

    def _reload_documents(self) -> None:
        self.documents = {d.id: d for d in self.kind.documents(self._vault())}

    def _sorted_documents(self) -> list[Document]:
        return sorted(self.documents.values(), key=lambda d: (d.updated_at, d.id), reverse=True)

    def _search_items(self, query: str) -> list[tuple[int, str, str]]:
        hits = self._vault().search(
            query, kind=self.kind.search_kind, prefix=True, limit=SEARCH_LIMIT
        )
        return [
            (h.record_id, self.documents[h.record_id].display_title, _plain_snippet(h.snippet))
            for h in hits
            if h.record_id in self.documents
        ]

    def _open(self, doc_id: int | None) -> None:
        self.current_id = doc_id
        doc = self.documents.get(doc_id) if doc_id is not None else None
        if doc is None:
            self.current_id = None
            self.form.load(Fields(), f"New {self.kind.noun}")
        else:
            self.form.load(doc.fields, doc.display_title)
        self.form.messages.clear()
        self.delete_button.setEnabled(doc is not None)

    def _fill(self, fields: Fields) -> None:
        """Put ``fields`` in the form as unsaved changes."""
        self.form.title.setText(fields.title)
        self.form.tags.setText(", ".join(fields.tags))
        self.form.body.setPlainText(fields.body)

    def _on_current_item(self, item: QListWidgetItem | None, _: object) -> None:
        doc_id = None if item is None else int(item.data(ID_ROLE))
        if doc_id == self.current_id or doc_id is None:
            return
        if not self.confirm_leave():
            self.list.select(self.current_id)
            return
        self._open(doc_id)
        self.list.select(self.current_id)  # a save may have re-listed the documents

    def _undo_delete(self, doc: Document, edited: Fields) -> None:
        if self.is_locked or not self.confirm_leave():
            return
        try:
            restored = self.kind.restore(self._vault(), doc)
        except CogenesisError as exc:
            self.form.messages.show_error(f"Could not undo. {exc}")
            return
        self._reload_documents()
        self._open(restored.id)
        if edited != doc.fields:
            self._fill(edited)
        self.refresh_list()
        self.form.messages.show_info(f"Restored “{restored.display_title}”.")
        self.changed.emit()

    def _focus_search(self) -> None:
        self.list.search.setFocus()
        self.list.search.selectAll()


def _summary(doc: Document) -> str:
    when = datetime.fromisoformat(doc.updated_at).astimezone()
    preview = " ".join(doc.fields.body.split())[:120]
    return f"{when.day} {when:%b %Y} · {preview}"


def _plain_snippet(snippet: str) -> str:
    return " ".join(snippet.replace("[", "").replace("]", "").split())
