"""Notes and writing samples seen the same way by the editor: a titled text, maybe tagged."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from cogenesis.core.vault import Vault
from cogenesis.core.vault.search import Kind


@dataclass(frozen=True)
class Fields:
    """What the user edits."""

    title: str = ""
    body: str = ""
    tags: tuple[str, ...] = ()

    def is_blank(self) -> bool:
        return not (self.title.strip() or self.body.strip() or self.tags)


@dataclass(frozen=True)
class Document:
    id: int
    fields: Fields
    created_at: str
    updated_at: str

    @property
    def display_title(self) -> str:
        """The title, else the body's first line, else "Untitled"."""
        first_line = self.fields.body.strip().split("\n", 1)[0]
        return self.fields.title.strip() or first_line[:60] or "Untitled"


class DocumentKind(ABC):
    """One kind of document in the vault: how to list, save, delete and restore it."""

    noun: str  # "note"
    plural: str  # "notes"
    search_kind: Kind
    has_tags: bool = False

    @abstractmethod
    def documents(self, vault: Vault) -> list[Document]:
        """All of them, most recently changed first."""

    @abstractmethod
    def save(self, vault: Vault, doc_id: int | None, fields: Fields) -> Document:
        """Add (``doc_id`` None) or update; the store's errors say what to fix."""

    @abstractmethod
    def delete(self, vault: Vault, doc_id: int) -> None: ...

    @abstractmethod
    def restore(self, vault: Vault, doc: Document) -> Document:
        """Add a deleted document back, with its original times (a new id)."""


def newest_first(docs: list[Document]) -> list[Document]:
    return sorted(docs, key=lambda d: (d.updated_at, d.id), reverse=True)
