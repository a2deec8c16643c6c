"""Light, dark or the system's colours, and the font size: applied to a running app."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from cogenesis.core.settings import THEMES, Settings

_SCHEMES = {
    "system": Qt.ColorScheme.Unknown,
    "light": Qt.ColorScheme.Light,
    "dark": Qt.ColorScheme.Dark,
}
Role = QPalette.ColorRole
_LIGHT = {
    Role.Window: "#f4f5f7",
    Role.WindowText: "#1d1f23",
    Role.Base: "#ffffff",
    Role.AlternateBase: "#f0f2f5",
    Role.Text: "#1d1f23",
    Role.Button: "#e9ebef",
    Role.ButtonText: "#1d1f23",
    Role.Highlight: "#2f6fdb",
    Role.HighlightedText: "#ffffff",
    Role.ToolTipBase: "#ffffff",
    Role.ToolTipText: "#1d1f23",
    Role.PlaceholderText: "#6b7280",
    Role.Link: "#1f5fbf",
    Role.Light: "#ffffff",
    Role.Midlight: "#e3e5ea",
    Role.Mid: "#c4c8cf",
    Role.Dark: "#9aa0a8",
    Role.Shadow: "#5f6670",
}
_DARK = {
    Role.Window: "#1f2125",
    Role.WindowText: "#e7e8ea",
    Role.Base: "#16171a",
    Role.AlternateBase: "#23252a",
    Role.Text: "#e7e8ea",
    Role.Button: "#2b2e34",
    Role.ButtonText: "#e7e8ea",
    Role.Highlight: "#3f7ee8",
    Role.HighlightedText: "#ffffff",
    Role.ToolTipBase: "#2b2e34",
    Role.ToolTipText: "#e7e8ea",
    Role.PlaceholderText: "#8b919a",
    Role.Link: "#7cb0ff",
    Role.Light: "#3a3e45",
    Role.Midlight: "#32353b",
    Role.Mid: "#26282d",
    Role.Dark: "#121315",
    Role.Shadow: "#000000",
}
_DISABLED = {"light": "#9aa0a8", "dark": "#6b7078"}


def is_dark(palette: QPalette) -> bool:
    """Whether ``palette`` draws light text on a dark window."""
    return palette.color(Role.Window).lightness() < 128


def theme_palette(theme: str) -> QPalette:
    """The app's own palette for ``light`` or ``dark``."""
    palette = QPalette()
    for role, colour in (_DARK if theme == "dark" else _LIGHT).items():
        palette.setColor(role, QColor(colour))
    for role in (Role.Text, Role.WindowText, Role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(_DISABLED[theme]))
    return palette


def apply_theme(app: QApplication, theme: str) -> None:
    """Follow the system's colours, or force light or dark (no restart needed)."""
    if theme not in THEMES:
        raise ValueError(f"Unknown theme {theme!r}; use one of: {', '.join(THEMES)}.")
    app.styleHints().setColorScheme(_SCHEMES[theme])
    if theme == "system":
        app.setPalette(app.style().standardPalette())
    else:
        app.setPalette(theme_palette(theme))


def apply_font_size(app: QApplication, points: int) -> None:
    font = app.font()
    font.setPointSize(points)
    app.setFont(font)


def apply_appearance(app: QApplication, settings: Settings) -> None:
    """Theme and font size from ``settings``, applied to every window of ``app``."""
    apply_theme(app, settings.theme)
    apply_font_size(app, settings.font_size)
