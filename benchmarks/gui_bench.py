"""Desktop app figures: cold start to the window shown, the longest event-loop stall while
an answer streams, and peak memory with the starter model loaded.

Runs headless (QT_QPA_PLATFORM=offscreen unless set) in a temporary COGENESIS_HOME.
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

PASSPHRASE = "benchmark lantern 77"
_APP: object = None
COLD_STARTS = 3
TICK_MS = 5
ANSWER_TOKENS = 200

_SHOWN_SCRIPT = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv)
from cogenesis.core.paths import AppPaths
from cogenesis.gui.app import build_window
window = build_window(AppPaths.default().ensure())
window.show()
def shown():
    print(time.time(), flush=True)
    window.close()
    app.quit()
QTimer.singleShot(0, shown)  # runs once the window has been laid out and painted
app.exec()
"""


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as home:
        os.environ["COGENESIS_HOME"] = home
        print("# desktop app benchmark (headless, offscreen platform)")
        _cold_start(home)
        _streaming_stall()


def _cold_start(home: str) -> None:
    """Process start to the window painted, with an existing (locked) vault."""
    _create_vault()
    times = []
    for _ in range(COLD_STARTS):
        started = time.time()
        out = subprocess.run(
            [sys.executable, "-c", _SHOWN_SCRIPT],
            capture_output=True,
            text=True,
            env={**os.environ, "COGENESIS_HOME": home},
            check=True,
        ).stdout
        times.append((float(out.strip().splitlines()[-1]) - started) * 1000)
    print(
        f"cold start to window shown (new process, vault locked): median "
        f"{statistics.median(times):.0f} ms (runs: {', '.join(f'{t:.0f}' for t in times)})"
    )


def _create_vault() -> None:
    from cogenesis.adapters.keystore import keystore_for
    from cogenesis.core.paths import AppPaths
    from cogenesis.core.vault import VaultFiles, create_vault

    files = VaultFiles(AppPaths.default().ensure().vault_dir)
    if not files.exists():
        create_vault(files, keystore_for(files), PASSPHRASE).lock()


def _streaming_stall() -> None:
    """A timer ticks every TICK_MS while a local answer streams; the longest gap between
    ticks is the longest time the window could not react."""
    from PySide6.QtCore import QCoreApplication, QEvent, QTimer
    from PySide6.QtWidgets import QApplication

    from cogenesis.core.paths import AppPaths
    from cogenesis.gui.answer_worker import preload
    from cogenesis.gui.app import build_window

    global _APP
    _APP = QApplication.instance() or QApplication(sys.argv)  # lives until the process ends
    window = build_window(AppPaths.default().ensure())
    window.show()
    started = time.perf_counter()
    preload()  # as the app does right after showing the window
    print(
        f"loading the model and remote libraries after the window shows: "
        f"{(time.perf_counter() - started) * 1000:.0f} ms on the GUI thread"
    )
    window.session.unlock(PASSPHRASE)
    window.max_tokens = ANSWER_TOKENS
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
    for question in ("Say hello.", "Write a long story about a lighthouse keeper."):
        gaps.clear()
        window.input.setPlainText(question)
        started = time.perf_counter()
        window.send()
        _wait_until_idle(window)
        label = "first answer (loads the model)" if question == "Say hello." else "next answer"
        gaps.sort()
        p99 = gaps[int(len(gaps) * 0.99)] if gaps else 0.0
        print(
            f"event-loop stall while streaming, {label}: longest {max(gaps, default=0):.1f} ms, "
            f"p99 {p99:.1f} ms over {len(gaps)} ticks of {TICK_MS} ms "
            f"({time.perf_counter() - started:.1f} s, status: {window.status.answer.text()})"
        )
    timer.stop()
    window.close()
    # Delete the Qt objects now, before the application object (which must go last).
    window.deleteLater()
    timer.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the app with the starter model loaded: {peak:.0f} MiB")


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
