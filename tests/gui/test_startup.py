"""What the window imports before it shows (a new process: this test process has imported
everything already)."""

from __future__ import annotations

import subprocess
import sys

# Libraries the window does not need to show: the first answer needs them.
NOT_BEFORE_THE_WINDOW = (
    "openai",
    "llama_cpp",
    "jinja2",
    "numpy",
    "keyring",
    "cogenesis.adapters.llama",
    "cogenesis.adapters.remote",
    "cogenesis.core.collab.engine",
    "cogenesis.gui.first_run.wizard",
)

SHOW_THE_WINDOW = f"""
import gc, sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from cogenesis.core.paths import AppPaths
from cogenesis.gui.app import build_window
window = build_window(AppPaths.default().ensure())
window.show()
app.processEvents()
print(sorted(m for m in {NOT_BEFORE_THE_WINDOW!r} if m in sys.modules))
window.close()
del window
gc.collect()
"""


def _run(script: str) -> str:
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_the_window_shows_without_the_model_and_remote_libraries() -> None:
    assert _run(SHOW_THE_WINDOW) == "[]"
