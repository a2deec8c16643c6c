"""Screenshots written by GUI tests, for a person to look at.

Each goes to the test's temporary folder and, when ``COGENESIS_SCREENSHOTS`` names a folder,
there too (under a stable name such as ``egress_panel.png``).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QWidget

SCREENSHOTS_ENV = "COGENESIS_SCREENSHOTS"


def save_screenshot(widget: QWidget, tmp_path: Path, name: str) -> list[Path]:
    """Grab ``widget`` and write it as ``name``; returns the files written."""
    image = widget.grab()
    assert not image.isNull(), f"{name}: the widget drew nothing"
    targets = [tmp_path / name]
    if os.environ.get(SCREENSHOTS_ENV):
        folder = Path(os.environ[SCREENSHOTS_ENV])
        folder.mkdir(parents=True, exist_ok=True)
        targets.append(folder / name)
    for target in targets:
        assert image.save(str(target)), f"cannot write {target}"
    return targets
