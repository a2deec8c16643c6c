"""The profile editor: who the user is, the facts the local model may use about them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from cogenesis.core.errors import CogenesisError
from cogenesis.gui.vault_editors.base import VaultEditor
from cogenesis.gui.vault_editors.message_bar import MessageBar
from cogenesis.gui.vault_editors.profile_fields import ProfileFields
from cogenesis.gui.vault_editors.profile_rules import (
    EMPTY,
    ProfileInput,
    from_profile,
    problems,
)
from cogenesis.gui.vault_editors.unsaved import Choice, ask_save_changes


class ProfileEditor(VaultEditor):
    """Edits the vault's single profile; invalid fields get a message under them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("profile", parent)
        self.ask_save = ask_save_changes
        self.fields = ProfileFields()
        self.messages = MessageBar()
        self.status = QLabel()
        self.status.setAccessibleName("Save state")
        self.revert_button = QPushButton("Revert")
        self.revert_button.setAccessibleName("Revert changes")
        self.save_button = QPushButton("Save profile")
        self.save_button.setAccessibleName("Save the profile")
        self.save_button.setToolTip("Save (Ctrl+S)")
        self.save_button.setDefault(True)
        self._loaded = EMPTY
        self._draft: tuple[str, ProfileInput] | None = None
        self._build()
        self.fields.edited.connect(self._update_state)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        save = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self.content)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.activated.connect(self.save)
        self._update_state()

    def _build(self) -> None:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes straight to the fields
        scroll.setWidget(self.fields)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self.content)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.messages)
        layout.addLayout(buttons)

    def _load(self) -> None:
        assert self.vault is not None
        self._loaded = from_profile(self.vault.profile.get())
        self.fields.fill(self._loaded)
        draft = self._draft
        if draft is not None and draft[0] == self.vault.vault_id:
            self._draft = None
            self.fields.fill(draft[1])
            self.messages.show_info("Your unsaved changes from before the vault locked are back.")
        self._update_state()

    def _unload(self) -> None:
        if self.has_unsaved_changes() and self.vault is not None:
            self._draft = (self.vault.vault_id, self.fields.entry())
        self._loaded = EMPTY
        self.fields.fill(self._loaded)
        self.fields.show_problems({})
        self.messages.clear()

    def reload(self) -> None:
        if self.vault is not None and not self.is_locked and not self.has_unsaved_changes():
            self._loaded = from_profile(self.vault.profile.get())
            self.fields.fill(self._loaded)
            self._update_state()

    def has_unsaved_changes(self) -> bool:
        return not self.is_locked and self.fields.entry() != self._loaded

    def confirm_leave(self) -> bool:
        if not self.has_unsaved_changes():
            return True
        choice = self.ask_save(self, "your profile")
        if choice is Choice.SAVE:
            return self.save()
        return choice is Choice.DISCARD

    def save(self) -> bool:
        """Save if every field is valid; otherwise say what to fix and keep the text."""
        if self.vault is None or self.is_locked:
            return False
        entry = self.fields.entry()
        found = problems(entry)
        self.fields.show_problems(found)
        if found:
            count = "1 field" if len(found) == 1 else f"{len(found)} fields"
            self.messages.show_error(f"Not saved: fix the {count} marked below.")
            return False
        try:
            saved = self.vault.profile.set(entry.to_profile())
        except CogenesisError as exc:
            self.messages.show_error(f"Not saved. {exc}")
            return False
        self._loaded = from_profile(saved)
        self.fields.fill(self._loaded)
        self.messages.show_info("Profile saved.")
        self._update_state()
        self.changed.emit()
        return True

    def revert(self) -> None:
        """Back to the saved profile."""
        self.fields.fill(self._loaded)
        self.fields.show_problems({})
        self.messages.clear()
        self._update_state()

    def _update_state(self) -> None:
        dirty = self.has_unsaved_changes()
        self.status.setText("Unsaved changes" if dirty else "")
        self.revert_button.setEnabled(dirty)
