"""The "Private context" window: the profile, notes, writing samples and sensitive-terms
editors in tabs over one vault."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from cogenesis.core.vault import Vault
from cogenesis.gui.vault_editors.base import VaultEditor
from cogenesis.gui.vault_editors.notes_editor import NotesEditor
from cogenesis.gui.vault_editors.profile_editor import ProfileEditor
from cogenesis.gui.vault_editors.samples_editor import SamplesEditor
from cogenesis.gui.vault_editors.terms_editor import TermsEditor

_SUBTITLE = (
    "Encrypted on this device. Only the local model reads it; the cloud model never sees it."
)


class PrivateContextWindow(QWidget):
    """Tabs for each editor; ``set_vault`` shows a vault (None: the locked state).

    ``changed`` is emitted after any editor wrote to the vault. Before locking the vault,
    call ``confirm_leave`` so the user can save unsaved edits (unsaved edits are kept
    anyway and come back when the same vault is unlocked again).
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Private context — CoGenesis")
        self.setAccessibleName("Private context")
        self.resize(980, 660)
        self.profile = ProfileEditor()
        self.notes = NotesEditor()
        self.samples = SamplesEditor()
        self.terms = TermsEditor()
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Private context sections")
        self.tabs.setDocumentMode(True)
        for editor, title in self._sections():
            self.tabs.addTab(editor, title)
            editor.changed.connect(self.changed)
        self._build()
        self.tabs.currentChanged.connect(self._on_tab)
        for number in range(1, self.tabs.count() + 1):
            shortcut = QShortcut(QKeySequence(f"Alt+{number}"), self)
            shortcut.activated.connect(lambda n=number: self.tabs.setCurrentIndex(n - 1))
        for keys in ("Esc", "Ctrl+W"):  # closes like a dialog (unsaved edits are asked about)
            QShortcut(QKeySequence(keys), self).activated.connect(self.close)

    def _sections(self) -> list[tuple[VaultEditor, str]]:
        return [
            (self.profile, "Profile"),
            (self.notes, "Notes"),
            (self.samples, "Writing samples"),
            (self.terms, "Sensitive terms"),
        ]

    def _build(self) -> None:
        title = QLabel("Private context")
        title.setAccessibleName("Title")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        subtitle = QLabel(_SUBTITLE)
        subtitle.setAccessibleName("What private context is")
        subtitle.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addSpacing(6)
        layout.addWidget(self.tabs, 1)

    @property
    def editors(self) -> list[VaultEditor]:
        return [editor for editor, _ in self._sections()]

    def set_vault(self, vault: Vault | None) -> None:
        """Show ``vault`` in every editor, or the locked state for None.

        Setting the vault already shown re-reads it, keeping unsaved edits (call it after
        another part of the app, an import say, changed the vault).
        """
        for editor in self.editors:
            editor.set_vault(vault)

    def has_unsaved_changes(self) -> bool:
        return any(editor.has_unsaved_changes() for editor in self.editors)

    def confirm_leave(self) -> bool:
        """Ask about each editor's unsaved changes, showing its tab; False if the user stays."""
        for editor in self.editors:
            if editor.has_unsaved_changes():
                self.tabs.setCurrentWidget(editor)
                if not editor.confirm_leave():
                    return False
        return True

    def _on_tab(self, index: int) -> None:
        if self.tabs.widget(index) is self.terms:
            self.terms.refresh()  # the other editors may have changed what the vault yields

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        if self.confirm_leave():
            super().closeEvent(event)
        else:
            event.ignore()
