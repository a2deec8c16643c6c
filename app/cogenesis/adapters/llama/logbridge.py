"""Route llama.cpp's log lines to the app's logger instead of stderr."""

from __future__ import annotations

import ctypes
import logging

import llama_cpp

log = logging.getLogger("cogenesis.llama_cpp")
# ggml.h in the llama.cpp this build vendors: NONE 0, DEBUG 1, INFO 2, WARN 3, ERROR 4, CONT 5.
# (llama-cpp-python's own table predates that order and calls the model dump a warning.)
_LEVELS = {0: logging.INFO, 1: logging.DEBUG, 2: logging.INFO, 3: logging.WARNING, 4: logging.ERROR}
_state = {"level": logging.DEBUG, "buffer": ""}


@llama_cpp.llama_log_callback  # type: ignore[misc]
def _callback(level: int, text: bytes, user_data: ctypes.c_void_p) -> None:
    if level != 5:  # 5 = continue the previous line
        _state["level"] = _LEVELS.get(level, logging.DEBUG)
    buffer = str(_state["buffer"]) + text.decode("utf-8", errors="replace")
    *lines, rest = buffer.split("\n")
    _state["buffer"] = rest
    for line in lines:
        if line.strip():
            log.log(int(_state["level"]), "%s", line)


def install() -> None:
    """Idempotent: llama-cpp-python installs its own stderr printer on import."""
    llama_cpp.llama_log_set(_callback, ctypes.c_void_p(0))
