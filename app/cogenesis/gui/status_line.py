"""The status bar's facts: local model, device and threads, how far the prompt is read, speed
of the last answer, the vault."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import QFrame, QLabel, QProgressBar, QStatusBar

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
        self.activity = QLabel("")  # what the answer is doing; stays until it ends
        self.activity.setAccessibleName("Answer progress")
        bar.addWidget(self.activity)
        self._name = ""
        self.answer = QLabel("")
        self.answer.setAccessibleName("Last answer statistics")
        self.vault = QLabel("")
        self.vault.setAccessibleName("Vault lock state")
        self._answer_line = _separator()
        for widget in (self.model, self._answer_line, self.answer, _separator(), self.vault):
            bar.addPermanentWidget(widget)
        self._answer_line.hide()  # no answer yet: no empty cell between two lines
        self.answer.hide()

    def show_model(self, info: ModelInfo) -> None:
        self._name = f"{model_title(info)} · {info.device}"
        if info.device_fallback:  # not on a computer without a GPU: there the CPU is the device
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

    def show_activity(self, phase: str, tokens: int = 0) -> None:
        """ "Generating… 42 tokens" for as long as the answer runs (a notice in the status
        bar's message area no longer wipes it); "" when it ends."""
        text = f"{phase.capitalize()}…" if phase else ""
        count = f" {tokens} token{'s' if tokens != 1 else ''}" if text and tokens else ""
        self.activity.setText(text + count)

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
        self._answer_line.show()
        self.answer.show()

    def show_vault(self, state: str) -> None:
        self.vault.setText(f"Vault {state}")


# A quantization tag at the end of a GGUF file name: ".Q4_1", "-q4_k_m", ".IQ3_XS", ".f16"…
_QUANT_TAG = re.compile(r"[.\-_](?:i?q\d[\w]*|f16|f32|bf16|fp16)$", re.IGNORECASE)


def model_title(info: ModelInfo) -> str:
    """The model as its file names it ("SmolLM2 135M Instruct"), without the quantization
    tag; a file's ``general.name`` is often a training run's label ("Smollm2 135M 8k Lc100K
    Mix1 Ep2"). The header's name where the file name says nothing."""
    stem = _QUANT_TAG.sub("", Path(info.path).stem) if info.path else ""
    if stem.startswith("sha256-"):  # an Ollama blob: its file name is a digest
        return info.name
    title = re.sub(r"[-_]+", " ", stem).strip()
    return title if len(title) >= 3 and title.lower() not in ("model", "ggml model") else info.name


def _separator() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.VLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line
