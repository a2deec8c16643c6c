"""Download a model by URL, in the models window: progress, stop, resume, SHA-256 check.

The download runs off the GUI thread through the egress choke point (the privacy mode
decides whether it may connect; the vault's ledger records it). A stopped or cut download
keeps its ``.part`` file, and the button then offers to resume it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QWidget,
)

from cogenesis.adapters.models import (
    Progress,
    Unfinished,
    discard_unfinished,
    partial_size,
    unfinished_downloads,
)
from cogenesis.adapters.remote.model_download import recorded_download
from cogenesis.core.errors import CogenesisError
from cogenesis.core.llm import CancelToken
from cogenesis.core.vault import Vault
from cogenesis.gui.background import BackgroundCall

_HOW = (
    "Paste the direct link to a .gguf file (on Hugging Face: the file's download link). "
    "The file is checked before it is offered; a stopped download resumes."
)
_SCALE = 1000  # the progress bar counts thousandths: byte counts overflow its int


class _Progressed(QObject):
    """Carries progress from the download's thread to the GUI thread (queued delivery)."""

    moved = Signal(object)


class DownloadBox(QGroupBox):
    """URL, optional checksum, Download/Resume and Stop, a progress bar and what happened.

    ``allow(vault, privacy_mode)`` says what the download may use; ``downloaded(path)``
    follows a verified download.
    """

    downloaded = Signal(Path)

    def __init__(self, models_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__("Download a model", parent)
        self.models_dir = models_dir
        self._vault: Vault | None = None
        self._privacy_mode = "offline"
        self._cancel = CancelToken()
        self._started = 0.0
        self._resumed_at: int | None = None  # bytes already there when this run began
        self._unfinished: list[Unfinished] = []  # stopped downloads in the models folder
        self.url = _field("Model URL", "https://huggingface.co/…/resolve/main/model.gguf")
        self.sha256 = _field("SHA-256 checksum (optional)", "64 hex digits, from the model page")
        self.start_button = QPushButton("&Download")
        self.start_button.setAccessibleName("Download the model")
        self.stop_button = QPushButton("S&top download")
        self.stop_button.setAccessibleName("Stop the download")
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Download progress")
        self.progress.setRange(0, _SCALE)
        self.message = QLabel()
        self.message.setAccessibleName("Download state")
        self.message.setWordWrap(True)
        self.unfinished = QLabel()
        self.unfinished.setAccessibleName("An unfinished download")
        self.unfinished.setWordWrap(True)
        self.continue_button = QPushButton("&Continue it")
        self.continue_button.setAccessibleName("Continue the unfinished download")
        self.discard_button = QPushButton("D&iscard it")
        self.discard_button.setAccessibleName("Delete the unfinished download")
        self._layout()
        self._call = BackgroundCall(self)
        self._progressed = _Progressed(self)
        self._wire()
        self._show_unfinished()
        self._show_idle()

    def _layout(self) -> None:
        self.unfinished_row = QWidget()
        row = QHBoxLayout(self.unfinished_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.unfinished, 1)
        row.addWidget(self.discard_button)
        row.addWidget(self.continue_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.start_button)
        form = QFormLayout(self)
        form.addRow("UR&L:", self.url)  # Alt+U is "Use this model"
        form.addRow("SHA-&256:", self.sha256)
        form.addRow(buttons)
        form.addRow(self.message)
        form.addRow(self.unfinished_row)

    def _wire(self) -> None:
        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.url.textChanged.connect(self._show_idle)
        self.url.returnPressed.connect(self.start)
        self.sha256.returnPressed.connect(self.start)  # not the dialog's first button
        self.continue_button.clicked.connect(self.continue_unfinished)
        self.discard_button.clicked.connect(self.discard_unfinished)
        self._progressed.moved.connect(self._show_progress)
        self._call.succeeded.connect(self._finished)
        self._call.failed.connect(self._failed)

    # what the window tells it ------------------------------------------------------------

    def allow(self, vault: Vault | None, privacy_mode: str) -> None:
        """The unlocked vault whose ledger records downloads (None: locked), and the mode."""
        self._vault, self._privacy_mode = vault, privacy_mode
        if vault is None and self.running:
            self.stop()  # the vault locked: its ledger can record no more
        self._show_idle()

    @property
    def running(self) -> bool:
        return self._call.running

    # what the user does ----------------------------------------------------------------

    def start(self) -> None:
        """Start (or resume) the download of the URL typed."""
        url, vault = self.url.text().strip(), self._vault
        if self.running or not url or vault is None or self._privacy_mode == "offline":
            return
        self._cancel = CancelToken()
        self._started, self._resumed_at = time.monotonic(), None
        sha256, mode, folder = (
            self.sha256.text().strip() or None,
            self._privacy_mode,
            self.models_dir,
        )
        report, cancel = _every(0.1, self._progressed.moved.emit), self._cancel

        def download() -> Path:
            return recorded_download(
                vault, mode, url, folder, sha256=sha256, on_progress=report, cancel=cancel
            )

        self._call.start(download)
        self.message.setText("Connecting…")
        self._show_running(True)

    def continue_unfinished(self) -> None:
        """Resume the stopped download listed under the buttons, from where it stopped."""
        stopped = self._stopped()
        if stopped is None or self.running:
            return
        self.url.setText(stopped.url)
        self.sha256.setText(stopped.sha256 or "")
        self.start()

    def discard_unfinished(self) -> None:
        """Delete the stopped download's part file (it is only a part: nothing is asked)."""
        stopped = self._stopped()
        if stopped is None or self.running:
            return
        discard_unfinished(self.models_dir, stopped)
        self._show_unfinished()
        self._show_idle()
        self.message.setText(f"Deleted the unfinished {stopped.name}.")

    def _stopped(self) -> Unfinished | None:
        return self._unfinished[0] if self._unfinished else None

    def stop(self) -> None:
        """Stop after the chunk being written; the part file stays for a resume."""
        self._cancel.cancel()
        self.message.setText("Stopping…")

    def wait(self) -> None:
        """Stop a running download and wait for its thread (before the window goes)."""
        self._cancel.cancel()
        self._call.wait()

    # what the download reports ---------------------------------------------------------

    def _show_progress(self, progress: Progress) -> None:
        if self._resumed_at is None:
            self._resumed_at = progress.received
        speed = _speed(progress.received - self._resumed_at, time.monotonic() - self._started)
        self.progress.setValue(_thousandths(progress))
        self.progress.setFormat(_progress_text(progress) + speed)
        self.message.setText("Downloading; the file is checked before it is offered.")

    def _finished(self, path: object) -> None:
        self._show_running(False)
        self.url.clear()
        self.sha256.clear()
        self.message.setText(f"Downloaded and checked {Path(str(path)).name}.")
        self.downloaded.emit(Path(str(path)))

    def _failed(self, error: CogenesisError) -> None:
        self._show_running(False)
        self._show_idle()
        self.message.setText(str(error))

    # appearance ------------------------------------------------------------------------

    def _show_running(self, running: bool) -> None:
        self._show_unfinished()
        self.stop_button.setEnabled(running)
        self.start_button.setEnabled(not running)
        self.url.setReadOnly(running)
        self.sha256.setReadOnly(running)
        if running:
            self.progress.setValue(0)
            self.progress.setFormat("")

    def _show_unfinished(self) -> None:
        """List the stopped downloads (read from the folder only when they can change: at
        the start, when a download starts or ends, when one is discarded)."""
        self._unfinished = [] if self.running else unfinished_downloads(self.models_dir)
        self.unfinished_row.setVisible(bool(self._unfinished))
        if self._unfinished:
            first, others = self._unfinished[0], len(self._unfinished) - 1
            more = f" (and {others} more)" if others else ""
            self.unfinished.setText(
                f"Unfinished: {first.name}, {first.size / 1e6:,.1f} MB here{more}."
            )

    def _show_idle(self) -> None:
        self.continue_button.setEnabled(self._blocked_reason() is None)
        if self.running:
            return
        self.stop_button.setEnabled(False)
        reason = self._blocked_reason()
        self.start_button.setEnabled(reason is None and bool(self.url.text().strip()))
        self.start_button.setText(self._start_text())
        self.message.setText(reason or _HOW)

    def _blocked_reason(self) -> str | None:
        if self._privacy_mode == "offline":
            return "Offline mode: nothing may leave this device, downloads neither. " + (
                "Choose another privacy mode in Settings to download."
            )
        if self._vault is None:
            return "Unlock the vault to download: every download is recorded in its ledger."
        return None

    def _start_text(self) -> str:
        try:
            have = partial_size(self.url.text().strip(), self.models_dir)
        except CogenesisError:
            return "&Download"
        return f"R&esume ({have / 1e6:,.1f} MB here)" if have else "&Download"  # Alt+R: Remove


def _field(name: str, placeholder: str) -> QLineEdit:
    field = QLineEdit()
    field.setAccessibleName(name)
    field.setPlaceholderText(placeholder)
    return field


def _every(seconds: float, report: Callable[[Progress], None]) -> Callable[[Progress], None]:
    """``report``, called at most once per ``seconds`` (and for the last chunk): a fast
    download would otherwise queue thousands of repaints a second."""
    last = [0.0]

    def maybe(progress: Progress) -> None:
        now = time.monotonic()
        if now - last[0] >= seconds or progress.received == progress.total:
            last[0] = now
            report(progress)

    return maybe


def _thousandths(progress: Progress) -> int:
    if not progress.total:
        return 0
    return min(_SCALE, progress.received * _SCALE // progress.total)


def _progress_text(progress: Progress) -> str:
    done = f"{progress.received / 1e6:,.1f}"
    total = f" of {progress.total / 1e6:,.1f}" if progress.total else ""
    return f"{done}{total} MB"


def _speed(received: int, seconds: float) -> str:
    return f" · {received / 1e6 / seconds:,.1f} MB/s" if seconds > 0.5 else ""
