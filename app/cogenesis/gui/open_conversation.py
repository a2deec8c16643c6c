"""Which conversation the window shows, shared by the conversation actions and the answers."""

from __future__ import annotations

from cogenesis.core.vault import Message, Vault
from cogenesis.gui.mode_bar import ModeBar
from cogenesis.gui.session import VaultSession


class OpenConversation:
    """The shown conversation's id (None: a new one, made with its first message) in the
    session's vault; the mode bar follows it, for the consent it keeps per conversation."""

    def __init__(self, session: VaultSession, mode_bar: ModeBar) -> None:
        self.session = session
        self.mode_bar = mode_bar
        self.id: int | None = None

    @property
    def vault(self) -> Vault | None:
        """The vault while it is unlocked, else None."""
        vault = self.session.vault
        return vault if vault is not None and not vault.is_locked else None

    def show(self, conversation_id: int | None) -> None:
        self.id = conversation_id
        self.mode_bar.conversation_id = conversation_id

    def forget(self) -> None:
        """The vault locked: no conversation is shown (the mode bar keeps its consent)."""
        self.id = None

    def start(self, vault: Vault, title: str, strategy: str) -> int:
        """Make the conversation a first message starts; consent given before carries over."""
        conversation = vault.conversations.create(title, strategy)
        self.id = conversation.id
        self.mode_bar.conversation_started(conversation.id)
        return conversation.id

    def messages(self) -> list[Message]:
        vault = self.vault
        if vault is None or self.id is None:
            return []
        return vault.conversations.messages(self.id)
