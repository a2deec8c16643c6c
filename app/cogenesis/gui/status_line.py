"""The status bar's facts: local model, device and threads, how far the prompt is read, speed
of the last answer, the vault."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar

from cogenesis.core.collab.events import Reading, Stats
from cogenesis.core.llm import ModelInfo
from cogenesis.core.llm.threads import Threads

READING_MIN_TOKENS = 256  # shorter prompts are read too fast for a bar to help


class StatusLine:
    """Labels and the prompt-reading bar kept in the window's status bar."""

    def __init__(self, bar: QStatusBar) -> None:
        self.model = QLabel("Local model: not loaded yet")
        self.model.setAccessibleName("Local model and device")
        self.reading = QProgressBar()
        self.reading.setAccessibleName("Reading the prompt")
        self.reading.setFormat("Reading the prompt: %v of %m tokens")
        self.reading.setMaximumWidth(320)
        self.reading.hide()
        bar.addWidget(self.reading)
        self._name = ""
        self.answer = QLabel("")
        self.answer.setAccessibleName("Last answer statistics")
        self.vault = QLabel("")
        self.vault.setAccessibleName("Vault lock state")
        for label in (self.model, self.answer, self.vault):
            bar.addPermanentWidget(label)

    def show_model(self, info: ModelInfo) -> None:
        self._name = f"{info.name} · {info.device}"
        if info.device_note:
            self._name += " (fallback)"
        self.show_threads(Threads(info.threads, info.batch_threads or info.threads))
        tip = f"{info.path}\nThreads: {info.threads_note or info.threads}"
        self.model.setToolTip(f"{info.device_note}\n{tip}" if info.device_note else tip)

    def show_threads(self, threads: Threads) -> None:
        """The threads the local model uses now (fewer while other programs are busy)."""
        if not self._name:
            return
        self.model.setText(f"{self._name} · {threads.describe()}")
        self.model.setMinimumWidth(self.model.sizeHint().width())

    def show_reading(self, event: Reading) -> None:
        """The bar while a long prompt is read; hidden when it is done."""
        if event.total - event.reused < READING_MIN_TOKENS or event.done >= event.total:
            self.reading.hide()
            return
        self.reading.setRange(0, event.total)
        self.reading.setValue(event.done)
        self.reading.show()

    def show_stats(self, stats: Stats, tokens: int) -> None:
        parts = []
        seconds = stats.total_ms / 1000
        if tokens and seconds > 0:
            parts.append(f"{tokens / seconds:.1f} tok/s")
        if stats.first_token_ms is not None:
            parts.append(f"first token {stats.first_token_ms:.0f} ms")
        parts.append(f"remote calls {stats.remote_calls}")
        self.answer.setText(" · ".join(parts))
        self.answer.setMinimumWidth(self.answer.sizeHint().width())

    def show_vault(self, state: str) -> None:
        self.vault.setText(f"Vault {state}")
