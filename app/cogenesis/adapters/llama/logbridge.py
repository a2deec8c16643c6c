"""Route llama.cpp's log lines to the app's logger instead of stderr."""

from __future__ import annotations

import ctypes
import logging
from dataclasses import dataclass

import llama_cpp

log = logging.getLogger("cogenesis.llama_cpp")
# ggml.h in the llama.cpp this build vendors: NONE 0, DEBUG 1, INFO 2, WARN 3, ERROR 4, CONT 5.
# (llama-cpp-python's own table predates that order and calls the model dump a warning.)
_LEVELS = {0: logging.INFO, 1: logging.DEBUG, 2: logging.INFO, 3: logging.WARNING, 4: logging.ERROR}


@dataclass
class _Pending:
    """The line being assembled: llama.cpp may send one in pieces (level 5 continues it)."""

    level: int = logging.DEBUG
    text: str = ""


_pending = _Pending()


def _log_pieces(level: int, text: bytes, user_data: ctypes.c_void_p) -> None:
    if level != 5:  # 5 = continue the previous line
        _pending.level = _LEVELS.get(level, logging.DEBUG)
    received = _pending.text + text.decode("utf-8", errors="replace")
    *lines, _pending.text = received.split("\n")
    for line in lines:
        if line.strip():
            log.log(_pending.level, "%s", line)


# Kept at module level: llama.cpp holds only a C pointer to it.
_callback = llama_cpp.llama_log_callback(_log_pieces)


def install() -> None:
    """Idempotent: llama-cpp-python installs its own stderr printer on import."""
    llama_cpp.llama_log_set(_callback, ctypes.c_void_p(0))
