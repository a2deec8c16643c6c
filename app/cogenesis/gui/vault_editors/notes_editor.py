"""The notes editor: list, search, add, edit and delete the vault's notes."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from cogenesis.core.vault import Note, Vault
from cogenesis.gui.vault_editors.document_editor import DocumentEditor
from cogenesis.gui.vault_editors.documents import Document, DocumentKind, Fields, newest_first


class NoteDocuments(DocumentKind):
    noun = "note"
    plural = "notes"
    search_kind = "note"
    has_tags = True

    def documents(self, vault: Vault) -> list[Document]:
        return newest_first([_document(n) for n in vault.notes.all()])

    def save(self, vault: Vault, doc_id: int | None, fields: Fields) -> Document:
        tags = list(fields.tags)
        if doc_id is None:
            return _document(vault.notes.add(fields.title, fields.body, tags))
        note = vault.notes.update(doc_id, title=fields.title, body=fields.body, tags=tags)
        return _document(note)

    def delete(self, vault: Vault, doc_id: int) -> None:
        vault.notes.delete(doc_id)

    def restore(self, vault: Vault, doc: Document) -> Document:
        note = vault.notes.add(
            doc.fields.title,
            doc.fields.body,
            list(doc.fields.tags),
            created_at=doc.created_at,
            updated_at=doc.updated_at,
        )
        return _document(note)


class NotesEditor(DocumentEditor):
    """Notes: title, tags and text. Call ``set_vault`` to show a vault's notes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(NoteDocuments(), parent)


def _document(note: Note) -> Document:
    fields = Fields(note.title, note.body, tuple(note.tags))
    return Document(note.id, fields, note.created_at, note.updated_at)
