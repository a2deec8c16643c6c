"""Themes and font size applied to the running app, and back to the system's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from cogenesis.core.settings import Settings
from cogenesis.gui.theme import apply_appearance, apply_theme, is_dark


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    font = qapp.font()
    yield qapp
    apply_theme(qapp, "system")
    qapp.setFont(font)


def test_dark_light_and_back_to_system(app: QApplication) -> None:
    system = app.palette().color(app.palette().ColorRole.Window)
    apply_appearance(app, Settings(theme="dark", font_size=15))
    assert is_dark(app.palette()) and app.font().pointSize() == 15
    assert app.styleHints().colorScheme() in (Qt.ColorScheme.Dark, Qt.ColorScheme.Unknown)
    apply_theme(app, "light")
    assert not is_dark(app.palette())
    apply_theme(app, "system")
    assert app.palette().color(app.palette().ColorRole.Window) == system


def test_unknown_theme_names_the_choices(app: QApplication) -> None:
    with pytest.raises(ValueError, match="system, light, dark"):
        apply_theme(app, "sepia")
