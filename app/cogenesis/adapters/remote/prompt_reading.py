"""How long a remote call may stay silent: the stall time, plus time to read the part of the
prompt the server has not read before.

A server answers a non-streamed call (and the first byte of a streamed one) only after it
has read the whole prompt. On a CPU that takes a while: a 2,000-token prompt at 40 tokens/s
is 50 s of silence that is work, not a stall. llama.cpp's server and vLLM keep what they read
(a prompt cache): a call whose prompt starts like the last one reads only the new part, so
only that part earns extra time, and a server that really stops is still given up after the
stall time.
"""

from __future__ import annotations

from collections.abc import Sequence

PREFILL_FLOOR = 20.0  # tokens/s: the slowest prompt reading taken for work, not a stall
CHARS_PER_TOKEN = 3  # for text prompts, generous (English runs about 4 characters a token)
FREE_TOKENS = 128  # read within the stall time by any server: no extra time for these

Prompt = str | Sequence[int]


class PromptReading:
    """Remembers the last prompt sent; ``allow(prompt)`` is the silence to allow for the
    next call (and records that prompt as read)."""

    def __init__(self, stall: float, floor: float = PREFILL_FLOOR) -> None:
        self.stall = stall
        self._floor = floor
        self._last: Prompt = ""
        self.last_allowed = stall

    def allow(self, prompt: Prompt) -> float:
        unread = len(prompt) - _common_prefix(self._last, prompt)
        tokens = unread // CHARS_PER_TOKEN if isinstance(prompt, str) else unread
        self._last = prompt
        self.last_allowed = self.stall + max(0, tokens - FREE_TOKENS) / self._floor
        return self.last_allowed

    def allow_many(self, prompts: Sequence[Sequence[int]]) -> float:
        """Several prompts in one call: each read after the one before."""
        extra = sum(self.allow(p) - self.stall for p in prompts)
        self.last_allowed = self.stall + extra
        return self.last_allowed


def _common_prefix(a: Prompt, b: Prompt) -> int:
    if isinstance(a, str) != isinstance(b, str):
        return 0
    n = min(len(a), len(b))
    for i in range(n):
        if a[i] != b[i]:
            return i
    return n
