"""Sketch-then-expand, pipelined: the local model starts on the first outline point while the
cloud is still writing the rest.

A background thread reads the outline stream (in the caller's egress context, so the request
is recorded and checked as usual). The expansion goes section by section: each section is
written with the outline points complete so far, and ends at a paragraph break; then the next
section continues the same answer with the points that arrived meanwhile. Once the outline is
complete, the last section writes to the end.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Iterator

from cogenesis.core.errors import CogenesisError
from cogenesis.core.remote import ChatDelta


class OutlineStream:
    """The outline as it arrives, read by another thread."""

    def __init__(self, deltas: Iterator[ChatDelta]) -> None:
        self._changed = threading.Condition()
        self._text = ""
        self.deltas = 0
        self.done = False
        self.error: CogenesisError | None = None
        self._stop = threading.Event()
        run = contextvars.copy_context().run
        self._thread = threading.Thread(target=run, args=(self._pump, deltas), daemon=True)
        self._thread.start()

    @property
    def text(self) -> str:
        with self._changed:
            return self._text

    def points(self) -> list[str]:
        """The complete, non-empty lines (all lines once the outline is done)."""
        with self._changed:
            text = self._text if self.done else self._text.rpartition("\n")[0]
        return [line.strip() for line in text.splitlines() if line.strip()]

    def wait(self, timeout: float) -> None:
        """Return when more text arrived, the outline is done, or ``timeout`` passed."""
        with self._changed:
            if not self.done:
                self._changed.wait(timeout)

    def stop(self) -> None:
        """Stop reading after the next delta, and wait for the reader to close the stream
        (bounded by the client's read timeout)."""
        self._stop.set()
        self._thread.join(timeout=180)

    def _pump(self, deltas: Iterator[ChatDelta]) -> None:
        try:
            for delta in deltas:
                if self._stop.is_set():
                    break
                with self._changed:
                    self._text += delta.text
                    self.deltas += 1
                    self._changed.notify_all()
        except CogenesisError as exc:
            self.error = exc
        finally:
            close = getattr(deltas, "close", None)
            if close is not None:
                close()
            with self._changed:
                self.done = True
                self._changed.notify_all()
