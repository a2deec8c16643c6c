"""The remote side of logit fusion over a text API: runs come back as token texts, mapped
to the local model's ids (by piece for same-family models, by text otherwise: ``align``).
The answer prefix sent is the public version of the accepted answer; a draft (a guessed
continuation) is sent as public text after it and scored by the remote in the same call."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from cogenesis.core.collab.align import TextAligner
from cogenesis.core.collab.runs import RemotePosition
from cogenesis.core.llm import ChatMessage, LocalModel
from cogenesis.core.remote import RemoteModel, TokenRun


class RemoteSide:
    """What both remote sides share: the local vocabulary, the sanitizer, and the counts."""

    def __init__(
        self, remote: object, local: LocalModel, sanitize: Callable[[str], str], top_k: int
    ) -> None:
        self.remote = remote  # the endpoint's client, which outlives the answer
        self._local = local
        self._sanitize = sanitize
        self._k = top_k
        self._align = TextAligner(local)
        self.billed_tokens = 0
        self.calls = 0
        self.unmapped = 0

    def _count(self, result: TokenRun) -> TokenRun:
        self.calls += 1
        self.billed_tokens += result.prompt_tokens + result.completion_tokens
        return result

    def _end_position(self) -> list[RemotePosition]:
        """The local end token as a certain position: a remote that stopped early ended its
        answer, and text APIs do not list the end token itself."""
        ends = self._local.end_ids()
        return [RemotePosition(min(ends), ((min(ends), 0.0),))] if ends else []


def stopped_early(result: TokenRun, length: int) -> bool:
    """Whether the remote ended its answer before generating ``length`` tokens."""
    return result.finish_reason == "stop" and len(result.tokens) - result.drafted < length


class TextRuns(RemoteSide):
    def __init__(
        self,
        remote: RemoteModel,
        local: LocalModel,
        messages: Sequence[ChatMessage],
        sanitize: Callable[[str], str],
        top_k: int = 10,
    ) -> None:
        super().__init__(remote, local, sanitize, top_k)
        self._remote = remote
        self._messages = list(messages)
        self.misaligned = 0  # drafts the server tokenized across the prefix boundary

    def run(
        self, answer: Sequence[int], length: int, draft: Sequence[int] = ()
    ) -> list[RemotePosition]:
        prefix = self._sanitize(self._local.detokenize(answer))
        draft_text = self._public_draft(answer, draft, prefix)
        result = self._call(prefix, length, draft_text)
        if result.finish_reason == "draft-misaligned":
            self.misaligned += 1
            result = self._call(prefix, length, "")
        positions, complete = self._positions(result)
        if complete and stopped_early(result, length):
            positions += self._end_position()
        return positions

    def _positions(self, result: TokenRun) -> tuple[list[RemotePosition], bool]:
        """The run in local tokens; False when it stopped at a token it could not map."""
        positions: list[RemotePosition] = []
        for token in result.tokens:
            spelled, top = self._align.spell(token.text), self._align.top(token.top)
            if not spelled or not top:
                self.unmapped += 1
                return positions, False  # nothing to fuse with here: the run stops
            positions.append(RemotePosition(spelled[0], tuple(top)))
            # The rest of a remote token that takes several local tokens: the remote has
            # committed to its text, so each later piece is certain on its side.
            positions.extend(RemotePosition(i, ((i, 0.0),)) for i in spelled[1:])
        return positions, True

    def _call(self, prefix: str, length: int, draft: str) -> TokenRun:
        return self._count(
            self._remote.continue_run(
                self._messages, prefix, max_tokens=length, top_k=self._k, draft=draft
            )
        )

    def _public_draft(self, answer: Sequence[int], draft: Sequence[int], prefix: str) -> str:
        """The draft as text after the public prefix ("" when sanitizing changed the prefix)."""
        if not draft:
            return ""
        public = self._sanitize(self._local.detokenize([*answer, *draft]))
        if not public.startswith(prefix):
            return ""
        text = public[len(prefix) :]
        return text if self._starts_a_token(prefix, text) else ""

    def _starts_a_token(self, prefix: str, draft: str) -> bool:
        """Whether ``draft`` still starts a token when the server tokenizes prefix + draft (the
        local tokenizer stands in for the server's); if not, the server cannot score it."""
        tokens = self._local.tokenize(prefix + draft)
        spelled = ""
        for token in reversed(tokens):
            if len(spelled) >= len(draft):
                break
            spelled = self._local.detokenize([token]) + spelled
        return spelled == draft
