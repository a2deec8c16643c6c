"""The PySide6 desktop app."""

from cogenesis.gui import qt_fixes

qt_fixes.install()
