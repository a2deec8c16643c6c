"""Desktop app figures: cold start to the window shown, the longest event-loop stall in the
first answer and in later ones, and peak memory with the starter model loaded.

Runs headless (QT_QPA_PLATFORM=offscreen unless set) in a temporary COGENESIS_HOME. Each figure
comes from a new process that starts as the app does (the benchmark runner itself has imported
every benchmark's libraries, which would hide what the app imports and collects).
"""

from __future__ import annotations

import gc
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

PASSPHRASE = "benchmark lantern 77"
COLD_STARTS = 3
TICK_MS = 5
ANSWER_TOKENS = 200
QUESTIONS = (
    "Say hello.",
    "Write a long story about a lighthouse keeper.",
    "Now tell it again, shorter.",
)

# `cogenesis` with no arguments, as the command runs it; the first zero-timer after the event
# loop starts runs once the window has been laid out and painted.
_LAUNCH_SCRIPT = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
_exec = QApplication.exec
def _exec_and_report(*_args):
    def shown():
        print(time.time(), flush=True)
        QApplication.instance().quit()
    QTimer.singleShot(0, shown)
    return _exec()
QApplication.exec = _exec_and_report
from cogenesis.launcher import main
raise SystemExit(main([]))
"""


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as home:
        os.environ["COGENESIS_HOME"] = home
        print("# desktop app benchmark (headless, offscreen platform)")
        _cold_start(home)
        sys.stdout.flush()
        subprocess.run(
            [sys.executable, "-c", "from benchmarks.gui_bench import answers; answers()"],
            env={**os.environ, "COGENESIS_HOME": home},
            check=False,
        )


def _cold_start(home: str) -> None:
    """Process start to the window painted, with an existing (locked) vault."""
    _in_child(_create_vault)
    times = []
    for _ in range(COLD_STARTS):
        started = time.time()
        out = subprocess.run(
            [sys.executable, "-c", _LAUNCH_SCRIPT],
            capture_output=True,
            text=True,
            env={**os.environ, "COGENESIS_HOME": home},
            check=True,
        ).stdout
        times.append((float(out.strip().splitlines()[-1]) - started) * 1000)
    print(
        f"cold start to window shown (`cogenesis`, new process, vault locked): median "
        f"{statistics.median(times):.0f} ms (runs: {', '.join(f'{t:.0f}' for t in times)})"
    )


def _in_child(function: object) -> None:
    """Run ``function`` of this module in a new process (keeps this one's imports small)."""
    name = getattr(function, "__name__", "")
    subprocess.run(
        [sys.executable, "-c", f"from benchmarks.gui_bench import {name}; {name}()"], check=True
    )


def _create_vault() -> None:
    from cogenesis.adapters.keystore import keystore_for
    from cogenesis.core.paths import AppPaths
    from cogenesis.core.vault import VaultFiles, create_vault

    files = VaultFiles(AppPaths.default().ensure().vault_dir)
    if not files.exists():
        create_vault(files, keystore_for(files), PASSPHRASE).lock()


def answers() -> None:
    """In a new process, as the app starts: the window, then the warm-up it runs once the
    window shows; then local answers while a timer ticks every TICK_MS. The longest gap
    between ticks is the longest time the window could not react."""
    from PySide6.QtWidgets import QApplication

    from cogenesis.core.paths import AppPaths
    from cogenesis.gui.app import build_window, share_the_gil, warm_up

    share_the_gil()
    app = QApplication.instance() or QApplication(sys.argv)
    window = build_window(AppPaths.default().ensure())
    window.show()
    started = time.perf_counter()
    warm_up()  # as the app does just after showing the window
    print(
        f"warm-up after the window shows (imports the model and remote libraries): "
        f"{(time.perf_counter() - started) * 1000:.0f} ms on the GUI thread"
    )
    window.session.unlock(PASSPHRASE)
    window.max_tokens = ANSWER_TOKENS
    _answer_all(window)
    _models_window(window)
    _close(window)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the app with the starter model loaded: {peak:.0f} MiB", flush=True)
    del app  # the application object goes last


def _answer_all(window: Any) -> None:
    from PySide6.QtCore import QTimer

    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        if window.busy:
            gaps.append((now - last[0]) * 1000)
        last[0] = now

    timer = QTimer(interval=TICK_MS)
    timer.timeout.connect(tick)
    timer.start()
    later: list[float] = []
    for number, question in enumerate(QUESTIONS):
        gaps.clear()
        window.input.setPlainText(question)
        started = time.perf_counter()
        window.send()
        _wait_until_idle(window)
        label = "first answer (loads the model)" if not number else f"answer {number + 1}"
        print(
            f"event-loop stall, {label}: {_gap_figures(gaps)} "
            f"({time.perf_counter() - started:.1f} s, status: {window.status.answer.text()})"
        )
        later += gaps if number else []
    print(f"event-loop stall, later answers ({len(QUESTIONS) - 1}): {_gap_figures(later)}")
    timer.stop()
    timer.deleteLater()


def _models_window(window: Any) -> None:
    """Chat ▸ Models: the GUI thread's time to show it, then the memory measurement and the
    search of other apps' folders (off the GUI thread) with the longest stall meanwhile."""
    from PySide6.QtCore import QEventLoop, QTimer

    from cogenesis.gui.models_dialog import ModelsDialog

    started = time.perf_counter()
    dialog = ModelsDialog(window.settings, window.settings_file, window.session, window)
    dialog.show()
    shown = (time.perf_counter() - started) * 1000
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000)
        last[0] = now
        if dialog.looked:
            loop.quit()

    loop = QEventLoop()
    timer = QTimer(interval=TICK_MS)
    timer.timeout.connect(tick)
    timer.start()
    loop.exec()
    timer.stop()
    looked = (time.perf_counter() - started) * 1000
    print(
        f"models window: shown in {shown:.0f} ms on the GUI thread; memory measured and other "
        f"apps' folders searched {looked:.0f} ms after opening ({dialog.models.count()} models "
        f"listed), event-loop stall meanwhile: {_gap_figures(gaps)}"
    )
    dialog.reject()
    dialog.deleteLater()


def _close(window: Any) -> None:
    """Delete the Qt objects now, before the application object (which must go last)."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from cogenesis.gui.long_lived import thaw

    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    thaw()
    gc.collect()


def _gap_figures(gaps: list[float]) -> str:
    ordered = sorted(gaps)
    p99 = ordered[int(len(ordered) * 0.99)] if ordered else 0.0
    return (
        f"longest {max(ordered, default=0):.1f} ms, p99 {p99:.1f} ms over {len(ordered)} ticks "
        f"of {TICK_MS} ms"
    )


def _wait_until_idle(window: object) -> None:
    """Run the event loop until the answer is done (QEventLoop: no busy processEvents)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    poll = QTimer(interval=20)
    poll.timeout.connect(lambda: None if window.busy else loop.quit())  # type: ignore[attr-defined]
    poll.start()
    loop.exec()
    poll.stop()


if __name__ == "__main__":
    main()
