"""The remote side of logit fusion over a text API: runs come back as token texts, mapped
to the local model's ids (same-family models share a vocabulary). The answer prefix sent
is the public version of the accepted answer."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from cogenesis.core.collab.runs import RemotePosition
from cogenesis.core.llm import ChatMessage, LocalModel
from cogenesis.core.remote import RemoteModel


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

    def run(self, answer: Sequence[int], length: int) -> list[RemotePosition]:
        prefix = self._sanitize(self._local.detokenize(answer))
        result = self._remote.continue_run(self._messages, prefix, max_tokens=length, top_k=self._k)
        self.billed_tokens += result.prompt_tokens + result.completion_tokens
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
        ended = result.finish_reason == "stop" and len(positions) == len(result.tokens) < length
        if ended and self._local.end_ids():
            end = min(self._local.end_ids())  # text APIs do not return the end token itself
            positions.append(RemotePosition(end, ((end, 0.0),)))
        return positions
