"""One answer, end to end: retrieve the private context, build the public part, run the
strategy inside the egress context of this conversation and privacy mode."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import partial

from cogenesis.core.collab.ask import Ask, Strategy
from cogenesis.core.collab.context import ContextItem, follow_up, retrieve
from cogenesis.core.collab.events import ContextUsed, Event, Failed, Phase, PublicPart
from cogenesis.core.collab.fusion import FUSION_PRESETS, FusionConfig
from cogenesis.core.collab.logit import logit_fusion
from cogenesis.core.collab.restore import restored
from cogenesis.core.collab.strategies import STRATEGIES
from cogenesis.core.egress import EgressContext, egress_context
from cogenesis.core.errors import CogenesisError
from cogenesis.core.llm import CancelToken, ChatMessage, LocalModel
from cogenesis.core.policy import AnswerMode, Consents, PrivacyMode, answer_mode, refusal
from cogenesis.core.policy import privacy_mode as privacy_mode_of
from cogenesis.core.privacy import IndexCache, PublicText, make_public
from cogenesis.core.privacy.placeholders import LABEL, Placeholders
from cogenesis.core.remote import RemoteModel
from cogenesis.core.vault import Vault

CHARS_PER_TOKEN = 4
# The modes whose remote reads the public part of the instruction.
SENDS_PUBLIC = frozenset({AnswerMode.SKETCH, AnswerMode.LOGIT, AnswerMode.CLOUD})
KEPT_CONTEXTS = 32  # conversations whose last context is remembered (for the KV cache)


class AnswerMemory:
    """What outlives one answer, for one unlocked vault: the sensitive-term index (loaded
    again only when the vault changed) and each conversation's last private context."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self.index = IndexCache(vault)
        self._contexts: OrderedDict[int, list[ContextItem]] = OrderedDict()

    def context(
        self, key: int | None, found: list[ContextItem], follows: bool, budget: int
    ) -> list[ContextItem]:
        """This turn's context; a follow-up keeps the previous turn's context first."""
        if key is None:
            return found
        previous = self._contexts.pop(key, None)
        context = follow_up(previous, found, budget) if follows and previous else found
        self._contexts[key] = context
        while len(self._contexts) > KEPT_CONTEXTS:
            self._contexts.popitem(last=False)
        return context


class Engine:
    """One request's answer: made per request, with the models, the user's privacy mode and
    the conversation it answers in; nothing in it changes afterwards."""

    def __init__(
        self,
        vault: Vault | AnswerMemory,
        local: LocalModel | None,
        remote: RemoteModel | None,
        *,
        privacy_mode: str,
        conversation_id: int | None = None,
        twin: LocalModel | None = None,
        consents: Consents | None = None,
        fusion: FusionConfig = FUSION_PRESETS["shift"],
    ) -> None:
        """``vault``: the vault, or the memory kept for it across requests (``AnswerMemory``).
        ``privacy_mode``: the user's, from settings (``core.policy.ALLOWED`` decides).
        ``twin``: a second copy of the local model (or one with its vocabulary) that
        reads only what the remote reads (``LlamaLocalModel.twin``): the shift rule's baseline
        and the drafts' stand-in read the public side there, so the local model never reads the
        private prompt again. Without it they use the local model itself (slower: the two
        prompts take turns in one cache).
        ``consents``: the conversations whose private context the user agreed may go to the
        cloud (the "full" mode; the privacy mode must be "full-context" too)."""
        self._memory = vault if isinstance(vault, AnswerMemory) else AnswerMemory(vault)
        self._local = local
        self._twin = twin
        self._remote = remote
        self._privacy_mode = privacy_mode_of(privacy_mode)
        self._conversation_id = conversation_id
        self._consents = consents or Consents()
        self._fusion = fusion  # logit fusion's rule (settings: FUSION_PRESETS[fusion_rule])

    def prepare(
        self,
        instruction: str,
        history: Sequence[ChatMessage] = (),
        max_tokens: int = 300,
        public: PublicText | None = None,
        mode: str | None = None,
        *,
        temperature: float = 0.7,
        persona: str = "",
    ) -> Ask:
        """The request as each side may see it (``public``: from ``public_text``, when the
        caller already built it for a preview). Given the ``mode``, a mode that sends no
        public part (local, full) gets none: nothing then loads the sensitive-term index.
        ``persona``: the user's own instructions (private context: the local prompt only)."""
        context = []
        if self._local is not None and self._privacy_mode != PrivacyMode.CLOUD_NO_CONTEXT:
            persona_tokens = len(persona) // 3  # a generous estimate: it is read first
            window = self._local.info.context_size - max_tokens - persona_tokens - 200
            context = self._context(instruction, bool(history), max(window, 256))
        if public is None and (mode is None or mode in SENDS_PUBLIC):
            public = self.public_text(instruction)
        labels = public.placeholders if public is not None else Placeholders()
        return Ask(
            instruction=instruction,
            public=public.text if public is not None else "",
            placeholders=labels,
            # a pure function of the text: the instruction's labels, then new ones in the order
            # they appear (a shared set numbered terms by which earlier texts were sanitized,
            # so two fusion methods sent one answer prefix with different labels)
            sanitize=lambda text: self.public_text(text, labels.copy()).text,
            context=context,
            history=list(history),
            max_tokens=max_tokens,
            temperature=temperature,
            persona=persona,
            fusion=self._fusion,
        )

    def _context(self, instruction: str, follows: bool, window_tokens: int) -> list[ContextItem]:
        """The private context for this turn; a follow-up in a conversation keeps the previous
        turn's context first, so the local model's cache of that prompt is reused."""
        budget = window_tokens * CHARS_PER_TOKEN // 2
        found = retrieve(self._memory.vault, instruction, budget)
        return self._memory.context(self._conversation_id, found, follows, budget)

    @property
    def vault(self) -> Vault:
        return self._memory.vault

    def public_text(self, text: str, placeholders: Placeholders | None = None) -> PublicText:
        """What the cloud may see of ``text``, with what was replaced (for a preview);
        labelled as ``placeholders`` labels (a new set when None)."""
        return make_public(text, self._memory.index.get(), placeholders=placeholders)

    def run(self, mode: str, ask: Ask, cancel: CancelToken | None = None) -> Iterator[Event]:
        """Answer ``ask`` with ``mode``'s strategy, if the privacy mode allows it."""
        cancel = cancel or CancelToken()
        refused = self._refusal(mode)
        if refused is not None:
            yield Failed(refused, "")
            return
        if mode in SENDS_PUBLIC and not ask.public:  # prepared for a mode that sends none
            ask = replace(ask, public=self.public_text(ask.instruction, ask.placeholders).text)
        yield Phase("retrieving")
        yield ContextUsed(tuple(item.label for item in ask.context))
        if mode in SENDS_PUBLIC:
            placeholders = tuple(sorted(set(LABEL.findall(ask.public))))
            yield PublicPart(ask.public, placeholders)
        context = EgressContext(
            _egress_mode(self._privacy_mode, mode),
            self._conversation_id,
            mode,
            token_text=self._local.detokenize if self._local is not None else None,
        )
        with egress_context(context):
            try:
                events = self._strategy(mode)(ask, self._local, self._remote, cancel)
                yield from restored(events, ask.placeholders)
            except CogenesisError as exc:
                yield Failed(exc, "")

    def _refusal(self, mode: str) -> CogenesisError | None:
        try:
            refused = refusal(self._privacy_mode, answer_mode(mode))
        except CogenesisError as exc:
            return exc
        if refused or mode != AnswerMode.FULL or self._consents.granted(self._conversation_id):
            return refused
        return CogenesisError(
            "Full context sends your private context to the cloud, and this conversation "
            "has no consent for that.",
            "Give consent for this conversation first, or use sketch or logit mode.",
        )

    def _strategy(self, mode: str) -> Strategy:
        if mode == AnswerMode.LOGIT:
            return partial(logit_fusion, twin=self._twin)
        return STRATEGIES[AnswerMode(mode)]


def _egress_mode(privacy_mode: str, mode: str) -> str:
    """Only the full-context strategy sends private context: every other strategy's requests
    are checked by the guard as in private mode, whatever the privacy mode."""
    if privacy_mode == PrivacyMode.FULL_CONTEXT and mode != AnswerMode.FULL:
        return PrivacyMode.PRIVATE
    return privacy_mode
