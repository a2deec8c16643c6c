"""Start-up work whose objects live as long as the app, kept out of the collector's way.

Importing the window's modules and then (just after it shows) the model and remote libraries
creates objects that stay until the app quits: modules, classes, openai's pydantic models, Qt
wrappers. The collector's passes over them find next to nothing, yet they cost: 0.1 s of the
cold start, and one full pass during the first answer, in the worker thread, held the GIL for
130 ms while the window could not repaint. ``gc.freeze`` moves them to a generation that
passes skip; a frozen object is still freed when nothing refers to it any more.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def long_lived() -> Iterator[None]:
    """No collection while the block runs; what exists at its end is frozen."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def thaw() -> None:
    """Let the collector see the frozen objects again (before the window is deleted)."""
    gc.unfreeze()
