"""The worker thread that owns the local model and the remote client, off the GUI thread.

An answer is two steps so that the user can see (and edit) what would leave the device
before it does: ``prepare`` builds the request as each side may see it and emits
``prepared``; ``answer`` runs the strategy and emits every engine event.
"""

from __future__ import annotations

import functools
import traceback
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from cogenesis.core.collab.events import Failed
from cogenesis.core.errors import CogenesisError
from cogenesis.core.generation import Generation
from cogenesis.core.llm import CancelToken, ChatMessage
from cogenesis.core.llm.threads import ThreadBudget, physical_cores, plan_threads
from cogenesis.core.policy import AnswerMode, Consents
from cogenesis.core.settings import Settings
from cogenesis.core.vault import Vault

if TYPE_CHECKING:  # imported by preload, after the window shows (numpy, the privacy data)
    from cogenesis.core.collab.ask import Ask
    from cogenesis.core.collab.engine import AnswerMemory, Engine
    from cogenesis.core.privacy import PublicText

# The settings that need the local model to be loaded again when they change.
_MODEL_SETTINGS = ("local_model", "device", "context_size")
_REMOTE_SETTINGS = ("remote_provider", "remote_base_url", "remote_model", "remote_chat_template")


@functools.cache  # once: its client's SSL context alone read the CA bundle for 42 ms
def preload() -> None:
    """Import what the worker uses, in the GUI thread, before the worker thread starts.

    PySide's import hook is not safe against the GUI thread running at the same time: an
    import inside the worker thread crashed the process (a refcount error in shiboken).
    """
    import openai

    import cogenesis.adapters.llama
    import cogenesis.adapters.models
    import cogenesis.adapters.remote.factory
    import cogenesis.core.collab.engine  # noqa: F401

    # openai imports its resources (and builds their pydantic models) on first attribute use.
    client = openai.OpenAI(api_key="unused", base_url="http://127.0.0.1:9/v1")
    _ = (client.chat.completions, client.completions, client.models)
    client.close()


@dataclass(frozen=True)
class AnswerRequest:
    """One message to answer, in one conversation, with one strategy and privacy mode."""

    vault: Vault
    instruction: str
    history: tuple[ChatMessage, ...]
    strategy: AnswerMode
    privacy_mode: str  # the user's, from settings
    conversation_id: int | None = None
    generation: Generation = field(default_factory=Generation)  # length, temperature, persona


class AnswerWorker(QObject):
    """Lives in its own QThread; the llama.cpp model is created and used only there."""

    prepared = Signal(object, object, object)  # AnswerRequest, Ask, PublicText
    produced = Signal(object)  # each engine event, in order (not "event": QObject has that)
    model_ready = Signal(object)  # ModelInfo, once the local model is loaded
    threads_used = Signal(object)  # Threads: what the local model used at the end of an answer
    crashed = Signal(str)  # an unexpected error: its traceback
    finished = Signal()  # after the last event of an answer (or a failed prepare)

    def __init__(self, settings: Settings, consents: Consents | None = None) -> None:
        super().__init__()
        self._settings = settings
        self._local: Any = None
        self._twin: Any = None  # the local model's twin (logit fusion's public side)
        self._remote: Any = None
        self._remote_vault: Vault | None = None
        self.consents = consents or Consents()  # full-context consent (the mode bar asks)
        self.demo: Any = None  # the running demo endpoint (a DemoServer), if the app has one
        self._memory: AnswerMemory | None = None  # the vault's term index, past contexts
        self.cancel = CancelToken()

    @Slot(object)
    def prepare(self, request: AnswerRequest) -> None:
        """Build the request for each side (``cancel`` is set fresh by the caller first)."""
        try:
            engine = self._engine(request)
            public = _public_part(engine, request)
            settings = request.generation
            ask = engine.prepare(
                request.instruction,
                request.history,
                settings.max_tokens,
                public,
                request.strategy,
                temperature=settings.temperature,
                persona=settings.persona,
            )
        except CogenesisError as exc:
            self.produced.emit(Failed(exc, ""))
            self.finished.emit()
        except Exception:
            self.crashed.emit(traceback.format_exc())
            self.finished.emit()
        else:
            self.prepared.emit(request, ask, public)

    @Slot(object, object)
    def answer(self, request: AnswerRequest, ask: Ask) -> None:
        try:
            for event in self._engine(request).run(request.strategy, ask, self.cancel):
                self.produced.emit(event)
        except CogenesisError as exc:
            self.produced.emit(Failed(exc, ""))
        except Exception:
            self.crashed.emit(traceback.format_exc())
        finally:
            if self._local is not None:
                self.threads_used.emit(self._local.threads)
            self.finished.emit()

    @Slot(object)
    def apply_settings(self, settings: Settings) -> None:
        """Drop what the new settings make stale; it is built again on the next answer."""
        old, self._settings = self._settings, settings
        if any(getattr(old, n) != getattr(settings, n) for n in _REMOTE_SETTINGS):
            self._close_remote()
        if any(getattr(old, n) != getattr(settings, n) for n in _MODEL_SETTINGS):
            self._close_local()

    @Slot(object)
    def release(self, home: QThread) -> None:
        """Free the models and move back to ``home`` (run in the worker's own thread, the
        only one allowed to move it): the GUI thread can then delete it safely."""
        self.shutdown()
        self.moveToThread(home)

    @Slot()
    def shutdown(self) -> None:
        """Free the model and the remote client (call in the worker's thread, or after it
        has stopped)."""
        self._close_remote()
        self._close_local()
        self._memory = None

    def thread_budget(self) -> ThreadBudget:
        """The cores shared between the local model and the demo endpoint, when it runs."""
        demo = self.demo is not None and self.demo.running
        s = self._settings
        return plan_threads(
            physical_cores(), demo=demo, generation=s.threads, batch=s.batch_threads
        )

    def _engine(self, request: AnswerRequest) -> Engine:
        from cogenesis.core.collab.engine import AnswerMemory, Engine  # imported (preload)
        from cogenesis.core.collab.fusion import FUSION_PRESETS

        local = self._local_model() if request.strategy != "cloud" else None
        budget = self.thread_budget()
        if local is not None and local.budget != budget:
            local.use_threads(budget)
        remote = self._remote_for(request.vault) if request.strategy != "local" else None
        twin = self._twin_model() if request.strategy == "logit" else None
        if self._memory is None or self._memory.vault is not request.vault:
            self._memory = AnswerMemory(request.vault)  # a new unlock starts afresh
        return Engine(
            self._memory,
            local,
            remote,
            privacy_mode=request.privacy_mode,
            conversation_id=request.conversation_id,
            twin=twin,
            consents=self.consents,
            fusion=FUSION_PRESETS[self._settings.fusion_rule],
        )

    def _local_model(self) -> Any:
        if self._local is None:
            from cogenesis.adapters.llama import LlamaLocalModel
            from cogenesis.adapters.models import chosen_model_path

            self._local = LlamaLocalModel(
                chosen_model_path(self._settings),
                context_size=self._settings.context_size,
                device=self._settings.device,
                threads=self.thread_budget(),
            )
            self.model_ready.emit(self._local.info)
        return self._local

    def _twin_model(self) -> Any:
        """The local model's twin for the public side of logit fusion (closed with it)."""
        if self._twin is None:
            self._twin = self._local_model().twin()
        return self._twin

    def _remote_for(self, vault: Vault) -> Any:
        if self._remote is None or self._remote_vault is not vault:
            from cogenesis.adapters.remote.factory import remote_from_settings

            self._close_remote()
            self._remote = remote_from_settings(
                self._settings, vault, self.demo, self.consents.granted
            )
            self._remote_vault = vault
        return self._remote

    def _close_remote(self) -> None:
        if self._remote is not None:
            self._remote.close()
        self._remote, self._remote_vault = None, None

    def _close_local(self) -> None:
        if self._local is not None:
            self._local.close()  # closes the twin too
            self._local = self._twin = None


def _public_part(engine: Engine, request: AnswerRequest) -> PublicText:
    """What the cloud will read (shown in the preview too); a mode that sends nothing has
    none to build, so a local answer loads no privacy data (it stalled the first answer)."""
    from cogenesis.core.collab.engine import SENDS_PUBLIC
    from cogenesis.core.privacy import PublicText

    if request.strategy in SENDS_PUBLIC:
        return engine.public_text(request.instruction)
    return PublicText(request.instruction, ())
