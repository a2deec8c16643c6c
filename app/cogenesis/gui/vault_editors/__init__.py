"""Editors for the vault's private context; each takes an unlocked vault via ``set_vault``."""

from cogenesis.gui.vault_editors.base import VaultEditor
from cogenesis.gui.vault_editors.notes_editor import NotesEditor
from cogenesis.gui.vault_editors.private_context import PrivateContextWindow
from cogenesis.gui.vault_editors.profile_editor import ProfileEditor
from cogenesis.gui.vault_editors.samples_editor import SamplesEditor
from cogenesis.gui.vault_editors.terms_editor import TermsEditor

__all__ = [
    "NotesEditor",
    "PrivateContextWindow",
    "ProfileEditor",
    "SamplesEditor",
    "TermsEditor",
    "VaultEditor",
]
