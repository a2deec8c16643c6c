"""Start the desktop app."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from cogenesis.core.errors import SettingsError
from cogenesis.core.logs import configure_logging
from cogenesis.core.paths import AppPaths
from cogenesis.core.policy import needs_remote
from cogenesis.core.settings import Settings, load_settings
from cogenesis.gui.answer_worker import preload
from cogenesis.gui.first_run import needs_first_run
from cogenesis.gui.long_lived import long_lived, thaw
from cogenesis.gui.main_window import MainWindow
from cogenesis.gui.session import VaultSession, VaultState
from cogenesis.gui.theme import apply_appearance

ICON = Path(__file__).resolve().parent / "resources" / "cogenesis.svg"


def build_window(paths: AppPaths) -> MainWindow:
    """The main window over the vault and settings found in ``paths``."""
    try:
        settings = load_settings(paths.settings_file)
    except SettingsError as exc:
        QMessageBox.warning(None, "Settings", f"{exc}\n\nUsing defaults for this session.")
        settings = Settings()
    app = QApplication.instance()
    if isinstance(app, QApplication):
        apply_appearance(app, settings)
    return MainWindow(VaultSession(paths), settings, paths.settings_file)


def first_run(window: MainWindow, paths: AppPaths) -> None:
    """On a computer without a vault, the welcome wizard comes first (every step can be
    skipped); then the demo endpoint starts if it was chosen."""
    if needs_first_run(window.session):
        from cogenesis.gui.first_run import FirstRunWizard

        wizard = FirstRunWizard(window.session, window.settings, paths)
        finished = wizard.exec()
        if finished:
            window.use_demo(wizard.demo)
            window.apply_settings(wizard.settings)
        elif wizard.demo is not None:
            wizard.demo.stop()
    elif window.settings.remote_provider == "demo" and needs_remote(window.settings.privacy_mode):
        window.start_demo()  # not in offline mode: nothing would use it


# How long a thread may keep the GIL while another waits for it (Python's default is 5 ms).
# The window's thread enters Python for every slot and event handler, and each entry waited
# up to that long while the worker ran Python (privacy scans, headers, sampling); in the first
# answer the waits added up to 50-100 ms stalls. At 1 ms they stayed under 35 ms.
GIL_SWITCH_SECONDS = 0.001


def share_the_gil() -> None:
    """Let the window's thread take the GIL sooner from the worker (see GIL_SWITCH_SECONDS)."""
    sys.setswitchinterval(GIL_SWITCH_SECONDS)


def warm_up() -> None:
    """Just after the window shows: import the model and remote libraries (~1 s on the GUI
    thread: the worker thread must not import them itself, see ``preload``)."""
    with long_lived():
        preload()


EXIT_WHEN_SHOWN = "COGENESIS_EXIT_WHEN_SHOWN"  # the start-time measurement of make package


def report_shown_and_quit() -> None:
    """Say which window was shown first (wizard or main window) and end the process at once
    (nothing is open yet: no vault, no model): ``make package`` times this from outside."""
    app = QApplication.instance()
    modal = app.activeModalWidget() if isinstance(app, QApplication) else None
    print(f"window shown: {'welcome wizard' if modal is not None else 'main window'}", flush=True)
    os._exit(0)


def run() -> int:
    share_the_gil()
    paths = AppPaths.default().ensure()
    configure_logging(paths)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName("CoGenesis")
    app.setWindowIcon(QIcon(str(ICON)))
    window = build_window(paths)
    app.aboutToQuit.connect(window.stop_worker)  # the model's thread ends before Qt does
    if os.environ.get(EXIT_WHEN_SHOWN):
        QTimer.singleShot(0, report_shown_and_quit)  # runs once the first window is painted
    first_run(window, paths)
    window.show()
    if window.session.state is VaultState.LOCKED:  # what a returning user does first
        QTimer.singleShot(0, window.vault_actions.create_unlock_or_lock)
    QTimer.singleShot(200, warm_up)
    code = int(app.exec())
    thaw()
    del window  # the window goes before the application object, never after it
    gc.collect()
    return code
