"""The remote side of logit fusion over a text API: runs come back as token texts, mapped
to the local model's ids (same-family models share a vocabulary). The answer prefix sent
is the public version of the accepted answer; a draft (a guessed continuation) is sent as
public text after it and scored by the remote in the same call (echo)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from cogenesis.core.collab.runs import RemotePosition
from cogenesis.core.llm import ChatMessage, LocalModel
from cogenesis.core.remote import RemoteModel, TokenRun


class TextRuns:
    def __init__(
        self,
        remote: RemoteModel,
        local: LocalModel,
        messages: Sequence[ChatMessage],
        sanitize: Callable[[str], str],
        top_k: int = 10,
    ) -> None:
        self._remote = remote
        self._local = local
        self._messages = list(messages)
        self._sanitize = sanitize
        self._k = top_k
        self.billed_tokens = 0
        self.unmapped = 0
        self.calls = 0
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
        positions = []
        for token in result.tokens:
            chosen = self._local.piece_id(token.text)
            top = [
                (i, lp)
                for i, lp in ((self._local.piece_id(t), lp) for t, lp in token.top)
                if i is not None
            ]
            if chosen is None or not top:
                self.unmapped += 1
                break  # a token this vocabulary cannot express: stop the run here
            positions.append(RemotePosition(chosen, tuple(top)))
        generated = len(result.tokens) - result.drafted
        ended = (
            result.finish_reason == "stop"
            and len(positions) == len(result.tokens)
            and generated < length
        )
        if ended and self._local.end_ids():
            end = min(self._local.end_ids())  # text APIs do not return the end token itself
            positions.append(RemotePosition(end, ((end, 0.0),)))
        return positions

    def _call(self, prefix: str, length: int, draft: str) -> TokenRun:
        result = self._remote.continue_run(
            self._messages, prefix, max_tokens=length, top_k=self._k, draft=draft
        )
        self.calls += 1
        self.billed_tokens += result.prompt_tokens + result.completion_tokens
        return result

    def _public_draft(self, answer: Sequence[int], draft: Sequence[int], prefix: str) -> str:
        """The draft as text after the public prefix ("" when sanitizing changed the prefix)."""
        if not draft:
            return ""
        public = self._sanitize(self._local.detokenize([*answer, *draft]))
        return public[len(prefix) :] if public.startswith(prefix) else ""
