"""The main window: conversations on the left, the chat in the middle, the mode on top."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QThread, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

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
from cogenesis.core.errors import CogenesisError
from cogenesis.core.llm import CancelToken, ChatMessage
from cogenesis.core.settings import Settings
from cogenesis.gui.answer_worker import AnswerRequest, AnswerWorker, preload
from cogenesis.gui.background import BackgroundCall
from cogenesis.gui.chat_view import ChatView
from cogenesis.gui.conversation_actions import UNDO_SECONDS, ConversationActions
from cogenesis.gui.conversation_list import ConversationList
from cogenesis.gui.egress_panel import EgressPanel
from cogenesis.gui.errors import show_unexpected
from cogenesis.gui.idle_lock import IdleLock
from cogenesis.gui.mode_bar import AnswerMode, ModeBar, allowed_modes, mode_for
from cogenesis.gui.outline_view import OutlineView
from cogenesis.gui.preview_dialog import confirm_public_text
from cogenesis.gui.session import VaultSession, VaultState
from cogenesis.gui.status_line import StatusLine
from cogenesis.gui.theme import apply_appearance
from cogenesis.gui.vault_actions import VaultActions
from cogenesis.gui.vault_editors import PrivateContextWindow

if TYPE_CHECKING:  # the engine's modules are imported after the window shows (preload)
    from cogenesis.adapters.remote import DemoServer
    from cogenesis.core.collab.ask import Ask
    from cogenesis.core.privacy import PublicText

# Strategies that send the public part (full context asks for consent instead).
PREVIEWED = ("sketch", "logit", "cloud")


class MainWindow(ConversationActions, VaultActions):
    """Chat with the local model alone or with a remote model, per conversation.

    The worker thread (which owns the models) starts with the first message;
    ``stop_worker`` (called on close) must run before the window is destroyed.
    """

    prepare_request = Signal(object)
    answer_request = Signal(object, object)
    settings_for_worker = Signal(object)
    release_worker = Signal(object)

    def __init__(
        self, session: VaultSession, settings: Settings, settings_file: Path | None = None
    ) -> None:
        super().__init__()
        self.session = session
        self.settings = settings
        self.settings_file = settings_file
        self.conversation_id: int | None = None
        self.busy = False
        self.max_tokens = 400  # per answer
        self._thread: QThread | None = None
        self._sent_text = ""
        self._tokens = 0
        self._note = ""
        self._deleted: dict[str, object] | None = None
        self.private_context: PrivateContextWindow | None = None
        self.demo: DemoServer | None = None
        self._demo_start: BackgroundCall | None = None
        self.worker = AnswerWorker(settings)
        self.setWindowTitle("CoGenesis")
        self.resize(1100, 720)
        self._build()
        self._build_actions()
        self.idle_lock = IdleLock(self._auto_lock, settings.auto_lock_minutes, self)
        session.changed.connect(self._vault_changed)
        self.apply_modes()
        self.refresh()

    # building ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.vault_label = QLabel()
        self.vault_label.setAccessibleName("Vault state")
        self.vault_button = QPushButton()
        self.vault_button.setAccessibleName("Vault action")
        self.vault_button.clicked.connect(self._vault_action)
        top = QHBoxLayout()
        top.addWidget(self.vault_label, 1)
        top.addWidget(self.vault_button)

        self.conversations = ConversationList()
        self.conversations.chosen.connect(self.open_conversation)
        self.conversations.renamed.connect(self._rename)
        self.conversations.delete_requested.connect(self.delete_conversation)
        self.conversations.export_requested.connect(self.export_conversation)
        new_button = QPushButton("New conversation")
        new_button.setAccessibleName("New conversation")
        new_button.clicked.connect(self.new_conversation)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(new_button)
        left_layout.addWidget(self.conversations, 1)

        self.mode_bar = ModeBar()
        self.mode_bar.mode_changed.connect(self._mode_changed)
        self.outline = OutlineView()
        self.chat = ChatView()
        self.input = QPlainTextEdit()
        self.input.setAccessibleName("Message")
        self.input.setPlaceholderText("Message (Ctrl+Enter to send)")
        self.input.setMaximumHeight(110)
        self.send_button = self._button("Send", "Send the message", self.send)
        self.stop_button = self._button("Stop", "Stop the answer (Esc)", self.stop)
        self.regenerate_button = self._button("Regenerate", "Answer again", self.regenerate)
        self.copy_button = self._button("Copy answer", "Copy the last answer", self.copy_answer)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.regenerate_button)
        buttons.addStretch(1)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.send_button)
        center = QWidget()
        center_layout = QVBoxLayout(center)
        center_layout.addWidget(self.mode_bar)
        center_layout.addWidget(self.outline)
        center_layout.addWidget(self.chat, 1)
        center_layout.addWidget(self.input)
        center_layout.addLayout(buttons)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(center)
        splitter.setSizes([260, 840])
        root = QWidget()
        layout = QVBoxLayout(root)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(root)
        self.status = StatusLine(self.statusBar())
        self.egress = EgressPanel()
        self.egress_dock = QDockWidget("What left this device", self)
        self.egress_dock.setObjectName("egress")
        self.egress_dock.setWidget(self.egress)
        self.egress_dock.setAccessibleName("What left this device")
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.egress_dock)
        self.egress_dock.hide()
        self.egress_button = QPushButton("What left this device…")
        self.egress_button.setAccessibleName("Show what left this device")
        self.egress_button.clicked.connect(self.show_egress)
        top.insertWidget(1, self.egress_button)
        self.undo_button = QPushButton("Undo delete")
        self.undo_button.setAccessibleName("Undo delete")
        self.undo_button.clicked.connect(self.undo_delete)
        self.undo_button.hide()
        self.statusBar().addWidget(self.undo_button)
        self._undo_timer = QTimer(self, singleShot=True, interval=UNDO_SECONDS * 1000)
        self._undo_timer.timeout.connect(self._forget_deleted)

    def _button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(name)
        button.clicked.connect(slot)
        return button

    def _build_actions(self) -> None:
        menus = self.menuBar()
        file = menus.addMenu("&File")
        self._action(file, "&New conversation", "Ctrl+N", self.new_conversation)
        self._action(file, "&Import conversation…", "Ctrl+I", self.import_conversation)
        self._action(file, "&Export conversation…", "Ctrl+E", self.export_conversation)
        file.addSeparator()
        self._action(file, "&Quit", "Ctrl+Q", self.close)
        chat = menus.addMenu("&Chat")
        self._action(chat, "&Send", "Ctrl+Return", self.send)
        self._action(chat, "S&top", "Esc", self.stop)
        self._action(chat, "&Regenerate", "Ctrl+R", self.regenerate)
        self._action(chat, "&Copy answer", "Ctrl+Shift+C", self.copy_answer)
        self._action(chat, "&What left this device", "Ctrl+Shift+E", self.show_egress)
        self._action(chat, "Se&ttings…", "Ctrl+,", self.show_settings)
        self.vault_menu = menus.addMenu("&Vault")
        self._action(self.vault_menu, "&Private context…", "Ctrl+P", self.show_private_context)
        self._action(self.vault_menu, "&Lock now", "Ctrl+L", self.lock_vault)

    def _action(self, menu: object, text: str, keys: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self, shortcut=QKeySequence(keys))
        action.triggered.connect(slot)
        menu.addAction(action)  # type: ignore[attr-defined]
        return action

    # state ------------------------------------------------------------------------------

    def _vault_changed(self) -> None:
        self.egress.set_vault(self.session.vault)
        if self.private_context is not None:
            self.private_context.set_vault(self.session.vault)
        self.refresh()

    def refresh(self) -> None:
        state = self.session.state
        text = {
            VaultState.ABSENT: "Vault: none yet. Create one to keep your private context.",
            VaultState.LOCKED: "Vault: locked.",
            VaultState.UNLOCKED: "Vault: unlocked.",
        }[state]
        if state is not VaultState.ABSENT:
            text += f"  Key: {self.session.key_description()}"
        self.vault_label.setText(text)
        self.vault_button.setText(
            {
                VaultState.ABSENT: "Create vault…",
                VaultState.LOCKED: "Unlock…",
                VaultState.UNLOCKED: "Lock",
            }[state]
        )
        unlocked = state is VaultState.UNLOCKED
        if not unlocked:
            self.conversation_id = None
            self.chat.show_empty()
            self.outline.clear()
        self._show_conversations()
        self.status.show_vault(state.value)
        self.input.setEnabled(unlocked)
        for button in (self.send_button, self.regenerate_button):
            button.setEnabled(unlocked and not self.busy)
        self.stop_button.setEnabled(self.busy)
        self.mode_bar.combo.setEnabled(not self.busy)

    def remote_ready(self) -> bool:
        """Whether a remote endpoint can be used now (the demo one once it has started)."""
        provider = self.settings.remote_provider
        if provider == "demo":
            return self.demo is not None and self.demo.running
        return provider != "none" and bool(
            self.settings.remote_base_url and self.settings.remote_model
        )

    def use_demo(self, demo: DemoServer | None) -> None:
        """The app's demo endpoint (started elsewhere); the window stops it when it closes."""
        self.demo = demo
        self.worker.demo = demo
        self.apply_modes()

    def start_demo(self) -> None:
        """Start the demo endpoint off the GUI thread; the cloud modes appear once it runs."""
        if self.settings_file is None or (self.demo is not None and self.demo.running):
            return
        from cogenesis.adapters.remote import DemoServer, demo_log_file
        from cogenesis.core.paths import AppPaths

        demo = DemoServer(demo_log_file(AppPaths.default()))
        self._demo_start = BackgroundCall(self)
        self._demo_start.succeeded.connect(lambda _r: self._demo_started(demo))
        self._demo_start.failed.connect(self._demo_failed)
        self.statusBar().showMessage("Starting the demo endpoint (a stand-in for a cloud)…")
        self._demo_start.start(demo.start)

    def _demo_started(self, demo: DemoServer) -> None:
        self.use_demo(demo)
        self.statusBar().showMessage(f"{demo.label}: ready.", 8000)

    def _demo_failed(self, error: CogenesisError) -> None:
        self.statusBar().showMessage(f"The demo endpoint did not start: {error}", 30_000)

    def apply_modes(self) -> None:
        """Offer the answer modes the settings' privacy mode allows."""
        allowed = allowed_modes(self.settings.privacy_mode, self.remote_ready())
        demo = self.settings.remote_provider == "demo" and self.demo is not None
        self.mode_bar.remote_name = (
            self.demo.label if demo and self.demo else self.settings.remote_base_url
        ) or "the remote model"
        self.mode_bar.set_allowed(allowed, self._default_mode(allowed))

    def apply_settings(self, settings: Settings) -> None:
        """Use new settings now: modes, appearance, auto-lock, and (next answer) the models."""
        self.settings = settings
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_appearance(app, settings)
        self.idle_lock.set_minutes(settings.auto_lock_minutes)
        self.settings_for_worker.emit(settings)
        if self._thread is None:
            self.worker.apply_settings(settings)
        if settings.remote_provider == "demo":
            self.start_demo()
        self.apply_modes()

    def _default_mode(self, allowed: list[AnswerMode]) -> AnswerMode:
        """The conversation's own mode, else private collaboration when it is allowed."""
        vault = self.session.vault
        if self.conversation_id is not None and vault is not None and not vault.is_locked:
            saved = mode_for(vault.conversations.get(self.conversation_id).privacy_mode)
            if saved in allowed:
                return saved
        return next((m for m in allowed if m.strategy == "sketch"), allowed[0])

    # answering --------------------------------------------------------------------------

    def send(self) -> None:
        """Send the typed message (it stays in the box if nothing is sent)."""
        text = self.input.toPlainText().strip()
        if not self._can_answer() or not text:
            return
        if self.mode_bar.mode.strategy == "full" and not self.mode_bar.ask_consent():
            return
        self._sent_text = text
        self.input.clear()
        self._start(text, clear_chat=self.conversation_id is None)

    def regenerate(self) -> None:
        """Answer the last message of this conversation again (the old answer is replaced)."""
        vault = self.session.vault
        if not self._can_answer() or vault is None or self.conversation_id is None:
            return
        messages = vault.conversations.messages(self.conversation_id)
        while messages and messages[-1].role == "assistant":
            vault.conversations.delete_message(messages.pop().id)
        if not messages:
            return
        last = messages.pop()
        vault.conversations.delete_message(last.id)
        self.chat.show_messages(messages)
        self._sent_text = last.content
        self._start(last.content, clear_chat=not messages)

    def copy_answer(self) -> None:
        vault = self.session.vault
        if vault is None or vault.is_locked or self.conversation_id is None:
            return
        answers = [
            m.content
            for m in vault.conversations.messages(self.conversation_id)
            if m.role == "assistant"
        ]
        if answers:
            QGuiApplication.clipboard().setText(answers[-1])
            self.statusBar().showMessage("Answer copied.", 3000)

    def stop(self) -> None:
        if self.busy:
            self.worker.cancel.cancel()

    def _can_answer(self) -> bool:
        vault = self.session.vault
        return vault is not None and not vault.is_locked and not self.busy

    def _start(self, text: str, *, clear_chat: bool) -> None:
        vault = self.session.vault
        assert vault is not None
        mode = self.mode_bar.mode
        if self.conversation_id is None:
            conv = vault.conversations.create(text[:40], mode.strategy)
            self.conversation_id = conv.id
            self.mode_bar.conversation_started(conv.id)
        history = tuple(
            ChatMessage(m.role, m.content)
            for m in vault.conversations.messages(self.conversation_id)
        )
        self.outline.clear()
        self.chat.begin_answer(text, first=clear_chat)
        self._tokens, self._note = 0, ""
        self.busy = True
        self.refresh()
        self._start_worker()
        self.worker.cancel = CancelToken()
        self.prepare_request.emit(
            AnswerRequest(
                vault,
                text,
                history,
                mode.strategy,
                mode.privacy_mode,
                self.conversation_id,
                self.max_tokens,
                consent=mode.strategy == "full" and self.mode_bar.has_consent(),
            )
        )

    def _on_prepared(self, request: AnswerRequest, ask: Ask, public: PublicText) -> None:
        """Last stop before anything leaves: the preview (by policy), then answer."""
        vault = request.vault
        if self.worker.cancel.cancelled or vault.is_locked or request.conversation_id is None:
            self._not_sent("stopped before anything was sent")
            return
        if request.strategy in PREVIEWED:
            text = confirm_public_text(
                self.settings.preview_policy, public, request.instruction, self
            )
            if text is None:
                self._not_sent("not sent: the preview was cancelled")
                return
            ask = replace(ask, public=text)
        vault.conversations.add_message(request.conversation_id, "user", request.instruction)
        self._show_conversations()
        self.answer_request.emit(request, ask)

    def _not_sent(self, note: str) -> None:
        if self._conversation_is_empty():  # it was made for this message: drop it
            vault = self.session.vault
            assert vault is not None and self.conversation_id is not None
            vault.conversations.delete(self.conversation_id)
            self.conversation_id = None
            self.mode_bar.conversation_id = None
        self._restore_input()
        self._note = note
        self._on_finished()

    def _conversation_is_empty(self) -> bool:
        vault = self.session.vault
        if vault is None or vault.is_locked or self.conversation_id is None:
            return False
        return not vault.conversations.messages(self.conversation_id)

    def _restore_input(self) -> None:
        """Put the unsent message back in the box (unless the user typed something new)."""
        if not self.input.toPlainText().strip():
            self.input.setPlainText(self._sent_text)

    def _on_event(self, event: Event) -> None:
        if isinstance(event, Token):
            self._tokens += 1
            self.chat.add_tokens(event.text)
        elif isinstance(event, Reading):
            self.status.show_reading(event)
        elif isinstance(event, SketchText):
            self.outline.set_outline(event.text)
        elif isinstance(event, Phase):
            self.statusBar().showMessage(f"{event.name.capitalize()}…")
        elif isinstance(event, Notice):
            self.statusBar().showMessage(event.text, 10_000)
        elif isinstance(event, Failed):
            self._save_answer(event.partial or self.chat.answer)
            self._note = f"Error: {event.error.message} {event.error.hint}".strip()
        elif isinstance(event, Done):
            self._save_answer(event.text)
            self._note = "stopped" if event.finish_reason == "cancelled" else ""
            self.status.show_stats(event.stats, self._tokens)
            self.statusBar().clearMessage()

    def _save_answer(self, text: str) -> None:
        vault = self.session.vault
        if text.strip() and vault is not None and not vault.is_locked and self.conversation_id:
            vault.conversations.add_message(self.conversation_id, "assistant", text)

    def _on_crashed(self, details: str) -> None:
        self._note = "The answer failed unexpectedly."
        show_unexpected(self, details)

    def _on_finished(self) -> None:
        self.status.reading.hide()
        self.chat.end_answer(self._note)
        if self._note.startswith("Error"):
            self.statusBar().showMessage(self._note, 15_000)
        self.busy = False
        self.idle_lock.poke()
        self.refresh()
        if self.egress_dock.isVisible():
            self.egress.refresh()

    def _start_worker(self) -> None:
        if self._thread is None:
            preload()
            self._thread = QThread()
            self.worker.moveToThread(self._thread)
            self.prepare_request.connect(self.worker.prepare)
            self.answer_request.connect(self.worker.answer)
            self.settings_for_worker.connect(self.worker.apply_settings)
            self.release_worker.connect(self.worker.release)
            self.worker.prepared.connect(self._on_prepared)
            self.worker.produced.connect(self._on_event)
            self.worker.model_ready.connect(self.status.show_model)
            self.worker.threads_used.connect(self.status.show_threads)
            self.worker.crashed.connect(self._on_crashed)
            self.worker.finished.connect(self._on_finished)
            self._thread.start()

    def stop_worker(self) -> None:
        """Cancel any answer, free the models in the worker thread, end the thread."""
        self.stop()
        if self._thread is not None:
            self.release_worker.emit(self.thread())
            self._thread.quit()
            self._thread.wait()
            self._thread = None
        self.worker.shutdown()

    def _mode_changed(self, mode: AnswerMode) -> None:
        vault = self.session.vault
        if self.conversation_id is not None and vault is not None and not vault.is_locked:
            vault.conversations.set_mode(self.conversation_id, mode.strategy)

    def show_egress(self) -> None:
        """Open the record of every request that left (or was refused)."""
        self.egress_dock.show()
        self.egress_dock.raise_()
        self.egress.set_vault(self.session.vault)
        self.egress.refresh()

    def show_settings(self) -> None:
        if self.settings_file is None:
            return
        from cogenesis.gui.settings_dialog import SettingsDialog  # imports keyring

        dialog = SettingsDialog(self.settings, self.settings_file, self)
        dialog.settings_changed.connect(self.apply_settings)
        dialog.exec()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        if self.private_context is not None:
            if not self.private_context.confirm_leave():
                event.ignore()
                return
            self.private_context.close()
        self.stop_worker()
        if self._demo_start is not None:
            self._demo_start.wait()
        if self.demo is not None:
            self.demo.stop()
        self.idle_lock.stop()
        self.session.lock()
        super().closeEvent(event)
