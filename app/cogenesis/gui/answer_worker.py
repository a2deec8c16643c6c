"""The worker thread that owns the local model and produces answers, off the GUI thread."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from cogenesis.core.collab.engine import Engine
from cogenesis.core.collab.events import Done, Failed, Token
from cogenesis.core.errors import CogenesisError
from cogenesis.core.llm import CancelToken, ChatMessage
from cogenesis.core.settings import Settings
from cogenesis.core.vault import Vault


class AnswerWorker(QObject):
    """Lives in its own QThread; the llama.cpp model is created and used only there."""

    token = Signal(str)
    finished = Signal(str, str)  # answer, finish reason
    failed = Signal(str)

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self._settings = settings
        self._model: Any = None
        self.cancel = CancelToken()

    @Slot(object, str, object)
    def answer(self, vault: Vault, instruction: str, history: list[ChatMessage]) -> None:
        self.cancel = CancelToken()
        try:
            engine = Engine(vault, self._local(), None, privacy_mode="offline")
            ask = engine.prepare(instruction, history)
            for event in engine.run("local", ask, self.cancel):
                if isinstance(event, Token):
                    self.token.emit(event.text)
                elif isinstance(event, Done):
                    self.finished.emit(event.text, event.finish_reason)
                elif isinstance(event, Failed):
                    self.failed.emit(str(event.error))
        except CogenesisError as exc:
            self.failed.emit(str(exc))

    def shutdown(self) -> None:
        """Free the model (call once the thread has stopped)."""
        if self._model is not None:
            self._model.close()
            self._model = None

    def _local(self) -> Any:
        if self._model is None:
            from cogenesis.adapters.llama import LlamaLocalModel
            from cogenesis.adapters.models import starter_model_path

            chosen = self._settings.local_model
            path = Path(chosen) if chosen else starter_model_path()
            if path is None:
                raise CogenesisError(
                    "No local model is available.", "Choose one: cogenesis models list"
                )
            self._model = LlamaLocalModel(
                path,
                context_size=self._settings.context_size,
                device=self._settings.device,
                threads=self._settings.threads,
            )
        return self._model
