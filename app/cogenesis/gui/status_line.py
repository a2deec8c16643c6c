"""The status bar's facts: local model and device, speed of the last answer, the vault."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar

from cogenesis.core.collab.events import Stats
from cogenesis.core.llm import ModelInfo


class StatusLine:
    """Three labels kept in the window's status bar."""

    def __init__(self, bar: QStatusBar) -> None:
        self.model = QLabel("Local model: not loaded yet")
        self.model.setAccessibleName("Local model and device")
        self.answer = QLabel("")
        self.answer.setAccessibleName("Last answer statistics")
        self.vault = QLabel("")
        self.vault.setAccessibleName("Vault lock state")
        for label in (self.model, self.answer, self.vault):
            bar.addPermanentWidget(label)

    def show_model(self, info: ModelInfo) -> None:
        text = f"{info.name} · {info.device}"
        if info.device_note:
            text += " (fallback)"
        self.model.setText(text)
        self.model.setToolTip(info.device_note or f"{info.path}\n{info.threads} threads")
        self.model.setMinimumWidth(self.model.sizeHint().width())

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
