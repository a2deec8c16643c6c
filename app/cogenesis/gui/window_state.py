"""The main window's size, place and docks, remembered between starts (``window.ini`` beside
the settings file)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow


class WindowState:
    """Restores a window's geometry and dock layout, and saves them when it closes."""

    def __init__(self, path: Path) -> None:
        self._store = QSettings(str(path), QSettings.Format.IniFormat)

    def restore(self, window: QMainWindow) -> bool:
        """Put the window back as it was (False when nothing was saved); a place on no screen
        now (a monitor unplugged) becomes the top left corner."""
        geometry = self._store.value("geometry")
        if not isinstance(geometry, QByteArray) or not window.restoreGeometry(geometry):
            return False
        state = self._store.value("docks")
        if isinstance(state, QByteArray):
            window.restoreState(state)
        screens = QGuiApplication.screens()
        if not any(s.availableGeometry().intersects(window.frameGeometry()) for s in screens):
            window.move(0, 0)
        return True

    def save(self, window: QMainWindow) -> None:
        self._store.setValue("geometry", window.saveGeometry())
        self._store.setValue("docks", window.saveState())
        self._store.sync()
