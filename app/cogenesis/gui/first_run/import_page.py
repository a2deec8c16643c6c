"""Step 2: import a profile from JSON (a CoGenesis export, or a CoGenesis dataset user)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from cogenesis.core.errors import CogenesisError
from cogenesis.core.vault import VaultDocument, import_into, parse_document
from cogenesis.core.vault.transfer import dataset_users
from cogenesis.gui.first_run.state import (
    SkippablePage,
    WizardState,
    intro_label,
    message_label,
)


def describe(doc: VaultDocument) -> str:
    """What an import would add, in one line."""
    parts = []
    if doc.profile is not None:
        who = ", ".join(v for v in (doc.profile.name, doc.profile.occupation) if v)
        parts.append(f"a profile ({who})" if who else "a profile")
    for count, noun in (
        (len(doc.samples), "writing sample"),
        (len(doc.notes), "note"),
        (len(doc.terms), "sensitive term"),
        (len(doc.conversations), "conversation"),
    ):
        if count:
            parts.append(f"{count} {noun}{'s' if count != 1 else ''}")
    return ", ".join(parts) if parts else "nothing (the file holds no records)"


class ImportPage(SkippablePage):
    def __init__(self, state: WizardState) -> None:
        super().__init__(state, 2, "Import a profile", "what the assistant should know about you")
        self.intro = intro_label(
            "Bring in a profile from a JSON file: an export of CoGenesis, or a user from the "
            "CoGenesis dataset (profile text and writing samples). It goes into the vault only."
        )
        self.path = QLineEdit()
        self.path.setAccessibleName("Profile file")
        self.path.setPlaceholderText("profile.json")
        self.browse = QPushButton("&Choose file…")
        self.browse.setAccessibleName("Choose a profile file")
        self.user = QComboBox()
        self.user.setAccessibleName("Dataset user")
        self.user_label = QLabel("&User (tid):")
        self.user_label.setBuddy(self.user)
        self.preview = message_label("What will be imported")
        self.error = message_label("Import error", error=True)
        self._raw: Any = None
        self._imported: tuple[str, str] | None = None
        self._layout()
        self.browse.clicked.connect(self._choose)
        self.path.editingFinished.connect(self._read)
        self.user.currentIndexChanged.connect(self._preview)
        self._show_users([])

    def _layout(self) -> None:
        file_label = QLabel("&File:")
        file_label.setBuddy(self.path)
        row = QHBoxLayout()
        row.addWidget(file_label)
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        users = QHBoxLayout()
        users.addWidget(self.user_label)
        users.addWidget(self.user, 1)
        box = QVBoxLayout(self)
        box.addWidget(self.intro)
        box.addLayout(row)
        box.addLayout(users)
        box.addWidget(self.preview)
        box.addWidget(self.error)
        box.addStretch(1)

    def load(self, path: str) -> None:
        """Show ``path`` in the field and preview it (what "Choose file…" does)."""
        self.path.setText(path)
        self._read()

    def apply(self) -> bool:
        text = self.path.text().strip()
        if not text:
            return True  # nothing chosen: nothing to import
        vault = self.state.session.vault
        if vault is None or vault.is_locked:
            self.error.setText(
                "Importing needs the vault: go Back to create it, or skip this step."
            )
            return False
        key = (text, self._user_id() or "")
        if self._imported == key:
            return True  # already imported (the user came Back)
        doc = self._document()
        if doc is None:
            return False
        try:
            import_into(vault, doc)
        except CogenesisError as exc:
            self.error.setText(str(exc))
            return False
        self._imported = key
        self.state.done["import"] = f"Imported {describe(doc)}."
        return True

    def _choose(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Import a profile", str(Path.home()), "JSON files (*.json);;All files (*)"
        )
        if chosen:
            self.load(chosen)

    def _read(self) -> None:
        self._raw = None
        self.error.clear()
        self.preview.clear()
        text = self.path.text().strip()
        if not text:
            self._show_users([])
            return
        try:
            self._raw = json.loads(Path(text).expanduser().read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            self.error.setText(f"Cannot read {text}: {exc}. Choose a JSON file.")
            self._show_users([])
            return
        raw = self._raw
        many = isinstance(raw, list) and len(raw) > 1
        self._show_users(dataset_users(raw) if many else [])
        self._preview()

    def _show_users(self, users: list[tuple[str, str]]) -> None:
        """The dataset's users by name and occupation (their id in brackets)."""
        self.user.blockSignals(True)
        self.user.clear()
        for user_id, label in users:
            self.user.addItem(label, user_id)
        self.user.blockSignals(False)
        self.user.setVisible(bool(users))
        self.user_label.setVisible(bool(users))

    def _user_id(self) -> str | None:
        return str(self.user.currentData()) if self.user.currentIndex() >= 0 else None

    def _preview(self) -> None:
        doc = self._document()
        if doc is not None:
            self.preview.setText(f"Will import {describe(doc)}.")

    def _document(self) -> VaultDocument | None:
        if self._raw is None:
            self._read()
            if self._raw is None:
                return None
        try:
            doc = parse_document(self._raw, self._user_id())
        except CogenesisError as exc:
            self.preview.clear()
            self.error.setText(str(exc))
            return None
        self.error.clear()
        return doc
