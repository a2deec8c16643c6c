"""Logging set-up: one rotating file in the log directory, never secrets."""

from __future__ import annotations

import logging
import logging.handlers

from cogenesis.core.paths import AppPaths

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(paths: AppPaths, level: int = logging.INFO) -> logging.Handler:
    """Send the ``cogenesis`` logger to the app's log file; returns the handler."""
    paths.ensure()
    handler = logging.handlers.RotatingFileHandler(
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
