"""Shared by every GUI test."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QEvent


@pytest.fixture(autouse=True)
def collect_between_tests() -> Iterator[None]:
    """Each test's Qt objects are deleted and collected when it ends (this fixture is set up
    before qtbot, so it ends after qtbot has closed the test's widgets). Garbage left to a
    later test was collected inside that test's event loop, and that crashed shiboken: in an
    answer (test_chat.py) and in the models window (a fresh-clone CI run)."""
    yield
    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
