"""Logging set-up: one rotating file in the log directory, never secrets."""

from __future__ import annotations

import logging
import logging.handlers
import os

from cogenesis.core.paths import AppPaths

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(paths: AppPaths, level: int = logging.INFO) -> logging.Handler:
    """Send the ``cogenesis`` logger to the app's log file; returns the handler."""
    paths.ensure()
    handler = _PrivateRotatingFileHandler(
        paths.log_file, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(_FORMAT))
    logger = logging.getLogger("cogenesis")
    for old in [h for h in logger.handlers if getattr(h, "_cogenesis", False)]:
        logger.removeHandler(old)
        old.close()
    handler._cogenesis = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(level)
    return handler


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log file created owner-only (0600), the rotated ones too."""

    def _open(self):  # type: ignore[no-untyped-def]
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)  # a log file created before this was 0644
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)
