"""What the window imports before it shows, and the warm-up just after (new processes: this
test process has imported everything already)."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from cogenesis.gui.app import GIL_SWITCH_SECONDS, share_the_gil
from cogenesis.gui.long_lived import long_lived, thaw

# Libraries the window does not need to show: the first answer needs them, and the warm-up
# imports them once the window is up.
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


SHOW_THE_WIZARD = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from cogenesis.core.paths import AppPaths
from cogenesis.core.settings import Settings
from cogenesis.gui.first_run import FirstRunWizard
from cogenesis.gui.session import VaultSession
paths = AppPaths.default().ensure()
wizard = FirstRunWizard(VaultSession(paths), Settings(), paths)
wizard.show()
app.processEvents()
print(sorted(m for m in ("openai", "llama_cpp", "cogenesis.adapters.remote.openai_remote")
             if m in sys.modules))
wizard.close()
"""


def test_the_welcome_wizard_shows_without_the_remote_client() -> None:
    """Found timing the bundle's first start: the wizard imported openai (about a second)
    before it showed, through the remote adapters' package."""
    assert _run(SHOW_THE_WIZARD) == "[]"


def test_the_warm_up_imports_them_and_freezes_what_is_loaded() -> None:
    script = (
        "import gc, sys\n"
        "from cogenesis.gui.app import warm_up\n"
        "warm_up()\n"
        f"print([m for m in {NOT_BEFORE_THE_WINDOW[:3]!r} if m not in sys.modules],"
        " gc.get_freeze_count() > 0, gc.isenabled())\n"
    )
    assert _run(script) == "[] True True"


def test_long_lived_collects_nothing_inside_and_freezes_what_it_made() -> None:
    try:
        with long_lived():
            assert not gc.isenabled()
            made = [[1]]
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0
        assert all(o is not made for o in gc.get_objects())  # frozen: no pass sees it
    finally:
        thaw()
    assert gc.get_freeze_count() == 0


def test_long_lived_leaves_a_disabled_collector_disabled() -> None:
    gc.disable()
    try:
        with long_lived():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
        thaw()


def test_the_app_lets_the_window_take_the_gil_sooner() -> None:
    before = sys.getswitchinterval()
    try:
        share_the_gil()
        assert sys.getswitchinterval() == pytest.approx(GIL_SWITCH_SECONDS)
        assert before > GIL_SWITCH_SECONDS
    finally:
        sys.setswitchinterval(before)
