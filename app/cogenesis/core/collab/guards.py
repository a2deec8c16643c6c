"""Text guards over a streamed answer: a sentence said again and again ends the answer, and
the sketch expansion's hidden instructions are never shown.

The token-level guards in ``fusion.choose`` catch short cycles; a small model can still go
round whole sentences ("I'm so proud of you." again and again) with small changes in between,
for as long as the budget lasts. And the local model, told to "follow the plan … write the
answer, not the plan", sometimes writes that instruction into the answer, in its own words.
"""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[a-z']+")
SAID_TOO_OFTEN = 3  # a sentence written this many times ends the answer
MIN_WORDS = 3  # shorter sentences ("Yes.", "Thank you!") may well repeat

# Words of the expansion instruction (``prompts.PLAN_PROMPT``); a sentence with the word
# "plan" or "outline" and at least ``ECHO_WORDS`` of the others repeats it.
INSTRUCTION_WORDS = frozenset(
    [
        "follow",
        "answer",
        "write",
        "own",
        "words",
        "personal",
        "details",
        "user's",
        "user",
        "plan",
        "outline",
    ]
)
PLAN_WORDS = frozenset({"plan", "outline"})
ECHO_WORDS = 3
HOLD_ON = frozenset({"follow", "plan", "outline"})  # from these on, a sentence is held back


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


class SentenceLoop:
    """Whether an answer goes round the same sentence: one (of ``MIN_WORDS`` words or more)
    written ``SAID_TOO_OFTEN`` times, compared without case and punctuation."""

    def __init__(self) -> None:
        self._counts: dict[tuple[str, ...], int] = {}
        self._done = 0  # characters of the answer already split into sentences

    def looping(self, answer: str) -> bool:
        """Call with the whole answer so far, after each new piece."""
        parts = _SENTENCE_END.split(answer[self._done :])
        complete = parts[:-1]  # the last part is still being written
        self._done = len(answer) - len(parts[-1])
        for sentence in complete:
            words = tuple(_words(sentence))
            if len(words) >= MIN_WORDS:
                self._counts[words] = self._counts.get(words, 0) + 1
                if self._counts[words] >= SAID_TOO_OFTEN:
                    return True
        return False


def echoes_instruction(sentence: str) -> bool:
    """Whether ``sentence`` repeats the expansion instruction (in any wording close to it)."""
    words = set(_words(sentence))
    return bool(words & PLAN_WORDS) and len(words & INSTRUCTION_WORDS) >= ECHO_WORDS + 1


class PlanEcho:
    """Streamed text minus a sentence that repeats the expansion instruction. From the first
    word of ``HOLD_ON`` in a sentence, the sentence is held back until it ends; the answer ends
    where an echo begins (what follows is the plan again, not the answer)."""

    def __init__(self) -> None:
        self._text = ""
        self._shown = 0  # characters of _text shown
        self._sentence = 0  # where the sentence being written starts
        self.stopped = False

    def feed(self, piece: str) -> str:
        """The text to show now (possibly empty)."""
        if self.stopped:
            return ""
        self._text += piece
        for end in self._sentence_ends():
            if echoes_instruction(self._text[self._sentence : end]):
                return self._stop()
            self._sentence = end
        return self._release(self._showable())

    def flush(self) -> str:
        """At the end of the answer: what was held back, unless it repeats the instruction."""
        if self.stopped:
            return ""
        if echoes_instruction(self._text[self._sentence :]):
            return self._stop()
        return self._release(len(self._text))

    def _sentence_ends(self) -> list[int]:
        tail = self._text[self._sentence :]
        return [self._sentence + m.end() for m in _SENTENCE_END.finditer(tail)]

    def _showable(self) -> int:
        """Up to the first held word of the sentence being written (all of it without one)."""
        tail = self._text[self._sentence :]
        held = [m.start() for m in _WORD.finditer(tail.lower()) if m.group() in HOLD_ON]
        if held:
            return self._sentence + held[0]
        partial = re.search(r"[A-Za-z']+$", tail)  # a word still being written may be one
        return self._sentence + partial.start() if partial else len(self._text)

    def _release(self, end: int) -> str:
        shown, self._shown = self._text[self._shown : max(end, self._shown)], max(end, self._shown)
        return shown

    def _stop(self) -> str:
        self.stopped = True
        return self._release(self._sentence)
