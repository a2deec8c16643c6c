"""Work-arounds for bugs in the Qt binding, applied once when the GUI package is imported.

PySide6 6.12.0's ``SignalInstance.emit`` returns ``True`` without taking a reference to it:
every emit from Python drops one reference that ``True`` never got back. The app emits one
signal per streamed token, so after some 20,000 tokens the count reached zero and the
process aborted ("Fatal Python error: bool_dealloc"); the test suite died the same way at
exit. ``emit`` is wrapped to give the reference back, only where a probe shows the loss, so a
fixed PySide6 needs nothing.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None


class _Probe(QObject):
    fired = Signal(object)


def emit_loses_a_reference() -> bool:
    """Whether one emit from Python leaves ``True`` with one reference fewer."""
    probe = _Probe()
    before = sys.getrefcount(True)
    probe.fired.emit(None)
    lost = sys.getrefcount(True) < before
    probe.deleteLater()
    return lost


def install() -> bool:
    """Wrap ``SignalInstance.emit`` if this PySide6 needs it; True when it was wrapped."""
    if getattr(SignalInstance.emit, "_gives_back", False) or not emit_loses_a_reference():
        return False
    original = SignalInstance.emit

    def emit(self: SignalInstance, *args: Any) -> Any:
        result = original(self, *args)
        if result is True or result is False:
            _incref(result)  # the reference the binding returned but never took
        return result

    emit._gives_back = True  # type: ignore[attr-defined]
    SignalInstance.emit = emit  # type: ignore[method-assign]
    return True
