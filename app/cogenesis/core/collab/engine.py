"""One answer, end to end: retrieve the private context, build the public part, run the
strategy inside the egress context of this conversation and privacy mode."""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from functools import partial

from cogenesis.core.collab.context import ContextItem, follow_up, retrieve
from cogenesis.core.collab.events import ContextUsed, Event, Failed, Phase, PublicPart
from cogenesis.core.collab.fusion import FUSION_PRESETS, FusionConfig
from cogenesis.core.collab.strategies import STRATEGIES, Ask, Strategy, logit_fusion
from cogenesis.core.egress import EgressContext, egress_context
from cogenesis.core.errors import CogenesisError
from cogenesis.core.llm import CancelToken, ChatMessage, LocalModel
from cogenesis.core.privacy import IndexCache, PublicText, make_public
from cogenesis.core.remote import RemoteModel
from cogenesis.core.vault import Vault

# Which strategies each privacy mode allows.
ALLOWED = {
    "offline": ("local",),
    "private": ("local", "sketch", "logit", "cloud"),
    "cloud-no-context": ("cloud",),
    "full-context": ("local", "sketch", "logit", "cloud", "full"),
}
CHARS_PER_TOKEN = 4
KEPT_CONTEXTS = 32  # conversations whose last context is remembered (for the KV cache)


class Engine:
    def __init__(
        self,
        vault: Vault,
        local: LocalModel | None,
        remote: RemoteModel | None,
        *,
        privacy_mode: str,
        conversation_id: int | None = None,
        public_reader: LocalModel | None = None,
        full_context_consent: bool = False,
        fusion: FusionConfig = FUSION_PRESETS["shift"],
    ) -> None:
        """``public_reader``: a second copy of the local model (or one with its vocabulary) that
        reads only what the remote reads (``LlamaLocalModel.twin``): the shift rule's baseline
        and the drafts' stand-in read the public side there, so the local model never reads the
        private prompt again. Without it they use the local model itself (slower: the two
        prompts take turns in one cache).
        ``full_context_consent``: the user agreed that this conversation's private context
        goes to the cloud (the "full" mode; the privacy mode must be "full-context" too)."""
        self._vault = vault
        self._local = local
        self._public_reader = public_reader
        self._remote = remote
        self._index = IndexCache(vault)
        self._contexts: OrderedDict[int, list[ContextItem]] = OrderedDict()
        self.privacy_mode = privacy_mode
        self.conversation_id = conversation_id
        self.full_context_consent = full_context_consent
        self.fusion = fusion  # logit fusion's rule (settings: FUSION_PRESETS[fusion_rule])

    def prepare(
        self,
        instruction: str,
        history: Sequence[ChatMessage] = (),
        max_tokens: int = 300,
        public: PublicText | None = None,
    ) -> Ask:
        """The request as each side may see it (``public``: from ``public_text``, when the
        caller already built it for a preview)."""
        index = self._index.get()
        context = []
        if self._local is not None and self.privacy_mode != "cloud-no-context":
            window = self._local.info.context_size - max_tokens - 200
            context = self._context(instruction, bool(history), max(window, 256))
        public = public or make_public(instruction, index)
        return Ask(
            instruction=instruction,
            public=public.text,
            sanitize=lambda text: make_public(text, self._index.get()).text,
            context=context,
            history=list(history),
            max_tokens=max_tokens,
            fusion=self.fusion,
        )

    def _context(self, instruction: str, follows: bool, window_tokens: int) -> list[ContextItem]:
        """The private context for this turn; a follow-up in a conversation keeps the previous
        turn's context first, so the local model's cache of that prompt is reused."""
        budget = window_tokens * CHARS_PER_TOKEN // 2
        found = retrieve(self._vault, instruction, budget)
        key = self.conversation_id
        if key is None:
            return found
        previous = self._contexts.pop(key, None)
        context = follow_up(previous, found, budget) if follows and previous else found
        self._contexts[key] = context
        while len(self._contexts) > KEPT_CONTEXTS:
            self._contexts.popitem(last=False)
        return context

    @property
    def vault(self) -> Vault:
        return self._vault

    def use(
        self,
        local: LocalModel | None,
        remote: RemoteModel | None,
        public_reader: LocalModel | None = None,
    ) -> None:
        """Answer with these models from now on (the sensitive-term index stays cached)."""
        self._local, self._remote, self._public_reader = local, remote, public_reader

    def public_text(self, text: str) -> PublicText:
        """What the cloud may see of ``text``, with what was replaced (for a preview)."""
        return make_public(text, self._index.get())

    def run(self, mode: str, ask: Ask, cancel: CancelToken | None = None) -> Iterator[Event]:
        cancel = cancel or CancelToken()
        if mode not in ALLOWED.get(self.privacy_mode, ()):
            error = CogenesisError(
                f"The {mode!r} mode is not allowed in the {self.privacy_mode!r} privacy mode.",
                f"Use one of: {', '.join(ALLOWED.get(self.privacy_mode, ()))}, or change the "
                "privacy mode in settings.",
            )
            yield Failed(error, "")
            return
        if mode == "full" and not self.full_context_consent:
            error = CogenesisError(
                "Full context sends your private context to the cloud, and this conversation "
                "has no consent for that.",
                "Give consent for this conversation first, or use sketch or logit mode.",
            )
            yield Failed(error, "")
            return
        yield Phase("retrieving")
        yield ContextUsed(tuple(item.label for item in ask.context))
        if mode not in ("local", "full"):
            placeholders = tuple(sorted(set(_placeholders(ask.public))))
            yield PublicPart(ask.public, placeholders)
        context = EgressContext(
            _egress_mode(self.privacy_mode, mode),
            self.conversation_id,
            mode,
            token_text=self._local.detokenize if self._local is not None else None,
        )
        with egress_context(context):
            try:
                yield from self._strategy(mode)(ask, self._local, self._remote, cancel)
            except CogenesisError as exc:
                yield Failed(exc, "")

    def _strategy(self, mode: str) -> Strategy:
        if mode == "logit":
            return partial(logit_fusion, proxy=self._public_reader)
        return STRATEGIES[mode]


def _egress_mode(privacy_mode: str, mode: str) -> str:
    """Only the full-context strategy sends private context: every other strategy's requests
    are checked by the guard as in private mode, whatever the privacy mode."""
    if privacy_mode == "full-context" and mode != "full":
        return "private"
    return privacy_mode


def _placeholders(text: str) -> list[str]:
    return re.findall(r"\[[A-Z ]+\]", text)
