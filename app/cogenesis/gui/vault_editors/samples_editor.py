"""The writing-samples editor: texts the user wrote, which the local model imitates."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from cogenesis.core.vault import Vault, WritingSample
from cogenesis.gui.vault_editors.document_editor import DocumentEditor
from cogenesis.gui.vault_editors.documents import Document, DocumentKind, Fields, newest_first


class SampleDocuments(DocumentKind):
    noun = "writing sample"
    plural = "writing samples"
    search_kind = "sample"

    def documents(self, vault: Vault) -> list[Document]:
        return newest_first([_document(s) for s in vault.samples.all()])

    def save(self, vault: Vault, doc_id: int | None, fields: Fields) -> Document:
        if doc_id is None:
            return _document(vault.samples.add(fields.title, fields.body))
        return _document(vault.samples.update(doc_id, title=fields.title, text=fields.body))

    def delete(self, vault: Vault, doc_id: int) -> None:
        vault.samples.delete(doc_id)

    def restore(self, vault: Vault, doc: Document) -> Document:
        sample = vault.samples.add(
            doc.fields.title,
            doc.fields.body,
            created_at=doc.created_at,
            updated_at=doc.updated_at,
        )
        return _document(sample)


class SamplesEditor(DocumentEditor):
    """Writing samples: title and text. Call ``set_vault`` to show a vault's samples."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(SampleDocuments(), parent)


def _document(sample: WritingSample) -> Document:
    fields = Fields(sample.title, sample.text)
    return Document(sample.id, fields, sample.created_at, sample.updated_at)
