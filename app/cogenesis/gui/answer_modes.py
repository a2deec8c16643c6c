"""Which answer modes the window offers: those the settings' privacy mode allows with the
remote endpoint that can be used now; the shown conversation's own mode comes first."""

from __future__ import annotations

from cogenesis.core.settings import Settings
from cogenesis.gui.demo_endpoint import DemoEndpoint
from cogenesis.gui.mode_bar import ModeBar, ModeChoice, allowed_modes, mode_for
from cogenesis.gui.open_conversation import OpenConversation


class AnswerModes:
    """Fills ``mode_bar`` (``offer``) and keeps the mode chosen there with the conversation.
    ``settings`` is replaced when the user changes them."""

    def __init__(
        self,
        settings: Settings,
        mode_bar: ModeBar,
        conversation: OpenConversation,
        demo: DemoEndpoint,
    ) -> None:
        self.settings = settings
        self._mode_bar = mode_bar
        self._conversation = conversation
        self._demo = demo
        mode_bar.mode_changed.connect(self._chosen)

    def remote_ready(self) -> bool:
        """Whether a remote endpoint can be used now (the demo one once it has started)."""
        provider = self.settings.remote_provider
        if provider == "demo":
            return self._demo.running
        return provider != "none" and bool(
            self.settings.remote_base_url and self.settings.remote_model
        )

    def offer(self) -> None:
        """Offer the answer modes the settings' privacy mode allows."""
        allowed = allowed_modes(self.settings.privacy_mode, self.remote_ready())
        demo = self._demo.server if self.settings.remote_provider == "demo" else None
        self._mode_bar.remote_name = (
            demo.label if demo else self.settings.remote_base_url
        ) or "the remote model"
        self._mode_bar.set_allowed(allowed, self._default(allowed))

    def _default(self, allowed: list[ModeChoice]) -> ModeChoice:
        """The conversation's own mode, else private collaboration when it is allowed."""
        vault, conversation_id = self._conversation.vault, self._conversation.id
        if conversation_id is not None and vault is not None:
            saved = mode_for(vault.conversations.get(conversation_id).privacy_mode)
            if saved in allowed:
                return saved
        return next((m for m in allowed if m.strategy == "sketch"), allowed[0])

    def _chosen(self, mode: ModeChoice) -> None:
        vault, conversation_id = self._conversation.vault, self._conversation.id
        if conversation_id is not None and vault is not None:
            vault.conversations.set_mode(conversation_id, mode.strategy)
