"""One answer at a time, from the message sent to the reply saved: preparing, the preview,
answering, then done, failed or stopped.

The worker (it owns the models) runs in a thread of its own, started with the first answer;
``stop_worker`` must run before the window is destroyed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QPlainTextEdit, QStatusBar, QWidget

from cogenesis.core.collab.events import (
    Done,
    Event,
    Failed,
    Notice,
    Phase,
    Reading,
    SketchText,
    Token,
)
from cogenesis.core.generation import Generation
from cogenesis.core.llm import CancelToken, ChatMessage
from cogenesis.core.settings import Settings
from cogenesis.core.vault import Vault
from cogenesis.core.vault.titles import conversation_title
from cogenesis.gui.answer_worker import AnswerRequest, AnswerWorker, preload
from cogenesis.gui.chat_view import ChatView
from cogenesis.gui.errors import unexpected
from cogenesis.gui.mode_bar import ModeBar
from cogenesis.gui.open_conversation import OpenConversation
from cogenesis.gui.outline_view import OutlineView
from cogenesis.gui.preview_dialog import confirm_public_text
from cogenesis.gui.status_line import StatusLine

if TYPE_CHECKING:  # the engine's modules are imported after the window shows (preload)
    from cogenesis.adapters.remote import DemoServer
    from cogenesis.core.collab.ask import Ask
    from cogenesis.core.privacy import PublicText

# Strategies that send the public part (full context asks for consent instead).
PREVIEWED = ("sketch", "logit", "cloud")


@dataclass(frozen=True)
class AnswerViews:
    """Where an answer is typed and shown."""

    input: QPlainTextEdit
    chat: ChatView
    outline: OutlineView
    status: StatusLine
    status_bar: QStatusBar


class AnswerController(QObject):
    """Sends the typed message (or the last one again) through the worker and shows the
    answer; ``busy_changed`` tells when an answer starts and ends. Dialogs (the preview, an
    unexpected error) open over ``window``."""

    busy_changed = Signal(bool)
    conversations_changed = Signal()  # a conversation got its first message

    _prepare = Signal(object)  # AnswerRequest, to the worker
    _answer = Signal(object, object)  # AnswerRequest, Ask
    _settings_changed = Signal(object)
    _release = Signal(object)  # the thread the worker goes back to

    def __init__(
        self,
        settings: Settings,
        views: AnswerViews,
        conversation: OpenConversation,
        mode_bar: ModeBar,
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self.worker = AnswerWorker(settings, mode_bar.consents)
        self.busy = False
        self.generation = Generation()  # the shown conversation's (a new one: the next one's)
        self.defaults = Generation()  # what a new conversation starts with
        self._settings = settings
        self._views = views
        self._conversation = conversation
        self._mode_bar = mode_bar
        self._window = window
        self._thread: QThread | None = None
        self._sent_text = ""
        self._tokens = 0
        self._note = ""
        self._outline = ""
        self._phase = ""

    @property
    def max_tokens(self) -> int:
        return self.generation.max_tokens

    @max_tokens.setter
    def max_tokens(self, tokens: int) -> None:
        """This conversation's and every new one's longest answer (tests, benchmarks)."""
        self.generation = replace(self.generation, max_tokens=tokens)
        self.defaults = replace(self.defaults, max_tokens=tokens)

    def show_generation(self, conversation_id: int | None) -> None:
        """The answer settings of the conversation now shown (defaults for a new one)."""
        vault = self._conversation.vault
        if conversation_id is None or vault is None:
            self.generation = self.defaults
        else:
            saved = vault.conversations.generation(conversation_id)
            self.generation = Generation.from_dict(saved) if saved else self.defaults

    def set_generation(self, generation: Generation) -> None:
        """New answer settings for this conversation, kept in the vault with it."""
        self.generation = generation
        vault, conversation_id = self._conversation.vault, self._conversation.id
        if vault is not None and conversation_id is not None:
            vault.conversations.set_generation(conversation_id, generation.to_dict())

    @property
    def worker_running(self) -> bool:
        return self._thread is not None

    def is_busy(self) -> bool:
        """Whether an answer is under way (for those who must not act meanwhile)."""
        return self.busy

    def apply_settings(self, settings: Settings) -> None:
        """The preview policy now; the models from the next answer on."""
        self._settings = settings
        self._settings_changed.emit(settings)
        if self._thread is None:
            self.worker.apply_settings(settings)

    def use_demo(self, demo: DemoServer | None) -> None:
        """The app's running demo endpoint, for the worker's remote model and thread budget."""
        self.worker.demo = demo

    # what the user does --------------------------------------------------------------

    def send(self) -> None:
        """Send the typed message (it stays in the box if nothing is sent)."""
        text = self._views.input.toPlainText().strip()
        if not self._can_answer() or not text:
            return
        if self._mode_bar.mode.strategy == "full" and not self._mode_bar.ask_consent():
            return
        self._sent_text = text
        self._views.input.clear()
        self._start(text, clear_chat=self._conversation.id is None)

    def regenerate(self) -> None:
        """Answer the last message of this conversation again (the old answer is replaced)."""
        vault = self._conversation.vault
        if not self._can_answer() or vault is None or self._conversation.id is None:
            return
        messages = vault.conversations.messages(self._conversation.id)
        while messages and messages[-1].role == "assistant":
            vault.conversations.delete_message(messages.pop().id)
        if not messages:
            return
        last = messages.pop()
        vault.conversations.delete_message(last.id)
        self._views.chat.show_messages(messages)
        self._sent_text = last.content
        self._start(last.content, clear_chat=not messages)

    def stop(self) -> None:
        if self.busy:
            self.worker.cancel.cancel()

    def stop_worker(self) -> None:
        """Cancel any answer, free the models in the worker thread, end the thread."""
        self.stop()
        if self._thread is not None:
            self._release.emit(self.thread())
            self._thread.quit()
            self._thread.wait()
            self._thread = None
        self.worker.shutdown()

    # preparing and the preview -------------------------------------------------------

    def _can_answer(self) -> bool:
        return self._conversation.vault is not None and not self.busy

    def _start(self, text: str, *, clear_chat: bool) -> None:
        vault = self._conversation.vault
        assert vault is not None
        mode = self._mode_bar.mode
        if self._conversation.id is None:
            self._conversation.start(vault, conversation_title(text), mode.strategy)
            self.set_generation(self.generation)  # chosen before it existed: kept with it
        history = tuple(ChatMessage(m.role, m.content) for m in self._conversation.messages())
        self._views.outline.clear()
        self._views.chat.begin_answer(text, first=clear_chat)
        self._tokens, self._note, self._outline, self._phase = 0, "", "", ""
        self._views.status.show_activity("preparing")
        self._set_busy(True)
        self._start_worker()
        self.worker.cancel = CancelToken()
        self._prepare.emit(self._request(vault, text, history))

    def _request(self, vault: Vault, text: str, history: tuple[ChatMessage, ...]) -> AnswerRequest:
        mode = self._mode_bar.mode
        return AnswerRequest(
            vault,
            text,
            history,
            mode.strategy,
            self._settings.privacy_mode,  # the user's: the engine reads the policy table
            self._conversation.id,
            self.generation,
        )

    def _on_prepared(self, request: AnswerRequest, ask: Ask, public: PublicText) -> None:
        """Last stop before anything leaves: the preview (by policy), then answer."""
        vault = request.vault
        if self.worker.cancel.cancelled or vault.is_locked or request.conversation_id is None:
            self._not_sent("stopped before anything was sent")
            return
        if request.strategy in PREVIEWED:
            text = confirm_public_text(
                self._settings.preview_policy, public, request.instruction, self._window
            )
            if text is None:
                self._not_sent("not sent: the preview was cancelled")
                return
            ask = replace(ask, public=text)
        vault.conversations.add_message(request.conversation_id, "user", request.instruction)
        self.conversations_changed.emit()
        self._answer.emit(request, ask)

    def _not_sent(self, note: str) -> None:
        vault = self._conversation.vault
        if (
            vault is not None
            and self._conversation.id is not None
            and not self._conversation.messages()
        ):
            vault.conversations.delete(self._conversation.id)  # made for this message: drop it
            self._conversation.show(None)
        if not self._views.input.toPlainText().strip():  # unless the user typed something new
            self._views.input.setPlainText(self._sent_text)
        self._note = note
        self._on_finished()

    # answering -----------------------------------------------------------------------

    def _on_event(self, event: Event) -> None:
        views = self._views
        if isinstance(event, Token):
            self._tokens += 1
            views.chat.add_tokens(event.text)
            views.status.show_activity(self._phase or "generating", self._tokens)
        elif isinstance(event, Reading):
            views.status.show_reading(event)
        elif isinstance(event, SketchText):
            self._outline = event.text
            views.outline.set_outline(event.text)
        elif isinstance(event, Phase):
            self._phase = event.name
            views.status.show_activity(event.name, self._tokens)
        elif isinstance(event, Notice):
            views.status_bar.showMessage(event.text, 10_000)
        elif isinstance(event, Failed):
            self._save_answer(event.partial or views.chat.answer)
            self._note = f"Error: {event.error.message} {event.error.hint}".strip()
        elif isinstance(event, Done):
            self._save_answer(event.text)
            self._note = "stopped" if event.finish_reason == "cancelled" else ""
            views.status.show_stats(event.stats, self._tokens)
            views.status_bar.clearMessage()

    def _save_answer(self, text: str) -> None:
        vault, conversation_id = self._conversation.vault, self._conversation.id
        if text.strip() and vault is not None and conversation_id:
            meta = {"outline": self._outline} if self._outline else None
            vault.conversations.add_message(conversation_id, "assistant", text, meta=meta)

    def _on_crashed(self, details: str) -> None:
        self._note = "The answer failed unexpectedly."
        unexpected(self._window, details)

    def _on_finished(self) -> None:
        self._views.status.reading.hide()
        self._views.status.show_activity("")
        self._views.chat.end_answer(self._note)
        if self._note.startswith("Error"):
            self._views.status_bar.showMessage(self._note, 15_000)
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.busy_changed.emit(busy)

    def _start_worker(self) -> None:
        if self._thread is not None:
            return
        preload()
        self._thread = QThread()
        worker = self.worker
        worker.moveToThread(self._thread)
        self._prepare.connect(worker.prepare)
        self._answer.connect(worker.answer)
        self._settings_changed.connect(worker.apply_settings)
        self._release.connect(worker.release)
        worker.prepared.connect(self._on_prepared)
        worker.produced.connect(self._on_event)
        worker.model_ready.connect(self._views.status.show_model)
        worker.threads_used.connect(self._views.status.show_threads)
        worker.crashed.connect(self._on_crashed)
        worker.finished.connect(self._on_finished)
        self._thread.start()
