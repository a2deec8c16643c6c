"""The main window: conversations on the left, the chat in the middle, the mode on top.

The window lays out the widgets and wires them to the objects that do the work: the answers
(``AnswerController``), the conversation list's and the vault's actions, the demo endpoint.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from cogenesis.core.policy import needs_remote
from cogenesis.core.settings import Settings
from cogenesis.gui.answer_controller import AnswerController, AnswerViews
from cogenesis.gui.answer_modes import AnswerModes
from cogenesis.gui.chat_view import ChatView
from cogenesis.gui.conversation_actions import ConversationActions, ConversationViews
from cogenesis.gui.conversation_list import ConversationList, ConversationSearch
from cogenesis.gui.demo_endpoint import DemoEndpoint
from cogenesis.gui.egress_panel import EgressPanel
from cogenesis.gui.mode_bar import ModeBar
from cogenesis.gui.open_conversation import OpenConversation
from cogenesis.gui.outline_view import OutlineView
from cogenesis.gui.session import VaultSession, VaultState
from cogenesis.gui.status_line import StatusLine
from cogenesis.gui.theme import apply_appearance
from cogenesis.gui.vault_actions import VAULT_BUTTON, VaultActions, vault_text
from cogenesis.gui.window_menus import build_menus
from cogenesis.gui.window_state import WindowState

if TYPE_CHECKING:  # the remote adapters are imported when the demo is used
    from cogenesis.adapters.remote import DemoServer


class MainWindow(QMainWindow):
    """Chat with the local model alone or with a remote model, per conversation.

    ``stop_worker`` (called on close) must run before the window is destroyed.
    """

    def __init__(
        self, session: VaultSession, settings: Settings, settings_file: Path | None = None
    ) -> None:
        super().__init__()
        self.session = session
        self.settings = settings
        self.settings_file = settings_file
        self.setWindowTitle("CoGenesis")
        self.resize(1100, 720)
        self._build()
        self.window_state = (
            None if settings_file is None else WindowState(_state_file(settings_file))
        )
        if self.window_state is not None:
            self.window_state.restore(self)
        self.conversation = OpenConversation(session, self.mode_bar)
        bar = self.statusBar()
        self.answers = AnswerController(
            settings,
            AnswerViews(self.input, self.chat, self.outline, self.status, bar),
            self.conversation,
            self.mode_bar,
            self,
        )
        self.conversation_actions = ConversationActions(
            self.conversation,
            ConversationViews(
                self.conversations, self.search, self.chat, self.outline, self.input, bar
            ),
            self.answers.is_busy,
            self,
        )
        self.vault_actions = VaultActions(
            session, self.answers.is_busy, settings.auto_lock_minutes, bar, self
        )
        self.demo_endpoint = DemoEndpoint(bar, self)
        self.undo_button = self.conversation_actions.undo_button
        bar.addWidget(self.undo_button)
        self.modes = AnswerModes(settings, self.mode_bar, self.conversation, self.demo_endpoint)
        self._wire()
        self.vault_menu = build_menus(
            self,
            self.answers,
            self.conversation_actions,
            self.vault_actions,
            toggle_egress=self.toggle_egress,
            show_settings=self.show_settings,
            show_generation=self.show_generation,
            show_models=self.show_models,
        )
        self.modes.offer()
        self.refresh()

    # building ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.vault_label = QLabel()
        self.vault_label.setAccessibleName("Vault state")
        self.vault_label.setWordWrap(True)
        self.vault_button = QPushButton()
        self.vault_button.setAccessibleName("Vault action")
        self.egress_button = _button("What left this device…", "Show what left this device")
        top = QHBoxLayout()
        top.addWidget(self.vault_label, 1)
        top.addWidget(self.egress_button)
        top.addWidget(self.vault_button)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._build_list())
        splitter.addWidget(self._build_chat())
        splitter.setSizes([260, 840])
        root = QWidget()
        layout = QVBoxLayout(root)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(root)
        self.status = StatusLine(self.statusBar())
        self._build_egress_dock()

    def _build_list(self) -> QWidget:
        self.conversations = ConversationList()
        self.search = ConversationSearch()
        self.new_button = _button("New conversation", "New conversation")
        left = QWidget()
        layout = QVBoxLayout(left)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.new_button)
        layout.addWidget(self.search)
        layout.addWidget(self.conversations, 1)
        return left

    def _build_chat(self) -> QWidget:
        self.mode_bar = ModeBar()
        self.outline = OutlineView()
        self.chat = ChatView()
        self.input = QPlainTextEdit()
        self.input.setAccessibleName("Message")
        self.input.setPlaceholderText("Message (Ctrl+Enter to send)")
        self.input.setMaximumHeight(110)
        self.input.setTabChangesFocus(True)  # Tab moves on, as in every other field
        self.send_button = _button("Send", "Send the message")
        self.stop_button = _button("Stop", "Stop the answer (Esc)")
        self.regenerate_button = _button("Regenerate", "Answer again")
        self.copy_button = _button("Copy answer", "Copy the last answer")
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.regenerate_button)
        buttons.addStretch(1)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.send_button)
        center = QWidget()
        layout = QVBoxLayout(center)
        layout.addWidget(self.mode_bar)
        layout.addWidget(self.outline)
        layout.addWidget(self.chat, 1)
        layout.addWidget(self.input)
        layout.addLayout(buttons)
        return center

    def _build_egress_dock(self) -> None:
        self.egress = EgressPanel()
        self.egress_dock = QDockWidget("What left this device", self)
        self.egress_dock.setObjectName("egress")
        self.egress_dock.setWidget(self.egress)
        self.egress_dock.setAccessibleName("What left this device")
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.egress_dock)
        self.egress_dock.hide()

    def _wire(self) -> None:
        answers, conversations = self.answers, self.conversation_actions
        self.vault_button.clicked.connect(self.vault_actions.create_unlock_or_lock)
        self.egress_button.clicked.connect(self.show_egress)
        self.new_button.clicked.connect(conversations.new)
        self.send_button.clicked.connect(answers.send)
        self.stop_button.clicked.connect(answers.stop)
        self.regenerate_button.clicked.connect(answers.regenerate)
        self.copy_button.clicked.connect(conversations.copy_answer)
        answers.busy_changed.connect(self._busy_changed)
        answers.conversations_changed.connect(conversations.show_list)
        conversations.shown.connect(self.modes.offer)
        conversations.shown.connect(lambda: answers.show_generation(self.conversation.id))
        self.demo_endpoint.changed.connect(self._demo_changed)
        self.session.changed.connect(self._vault_changed)

    # state ------------------------------------------------------------------------------

    def _vault_changed(self) -> None:
        self.egress.set_vault(self.session.vault)
        self.vault_actions.vault_changed()
        if self.session.state is VaultState.UNLOCKED and self.conversation.id is None:
            self.chat.show_empty()  # just unlocked: from "locked" to an invitation to type
        self.refresh()
        if self.session.state is VaultState.UNLOCKED:
            self.input.setFocus()  # the passphrase dialog took the focus with it

    def refresh(self) -> None:
        """Show the vault's state, the conversations, and what can be done now."""
        state = self.session.state
        self.vault_label.setText(vault_text(self.session))
        self.vault_button.setText(VAULT_BUTTON[state])
        unlocked, busy = state is VaultState.UNLOCKED, self.answers.busy
        self.vault_menu.follow(state)
        if not unlocked:
            self.conversation.forget()
            self.chat.show_locked(exists=state is not VaultState.ABSENT)
            self.outline.clear()
        self.conversation_actions.show_list()
        self.status.show_vault(state.value)
        self.input.setEnabled(unlocked)
        for button in (self.send_button, self.regenerate_button):
            button.setEnabled(unlocked and not busy)
        self.copy_button.setEnabled(unlocked)  # locked: there is no answer on show
        self.stop_button.setEnabled(busy)
        self.mode_bar.combo.setEnabled(not busy)

    def _busy_changed(self, busy: bool) -> None:
        if not busy:  # an answer ended: the user was there all along
            self.vault_actions.idle_lock.poke()
        self.refresh()
        if not busy and self.egress_dock.isVisible():
            self.egress.refresh()

    # settings and the demo endpoint -----------------------------------------------------

    def apply_settings(self, settings: Settings) -> None:
        """Use new settings now: modes, appearance, auto-lock, and (next answer) the models."""
        self.settings = self.modes.settings = settings
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_appearance(app, settings)
        self.vault_actions.idle_lock.set_minutes(settings.auto_lock_minutes)
        self.answers.apply_settings(settings)
        if settings.remote_provider == "demo" and needs_remote(settings.privacy_mode):
            self.start_demo()
        elif self.demo_endpoint.running and not needs_remote(settings.privacy_mode):
            self.demo_endpoint.stop()  # offline now: nothing may use it
        self.modes.offer()

    def use_demo(self, demo: DemoServer | None) -> None:
        """The app's demo endpoint (started elsewhere); the window stops it when it closes."""
        self.demo_endpoint.use(demo)

    def start_demo(self) -> None:
        """Start the demo endpoint off the GUI thread; the cloud modes appear once it runs."""
        if self.settings_file is not None:
            self.demo_endpoint.start()

    def _demo_changed(self) -> None:
        self.answers.use_demo(self.demo_endpoint.server)
        self.modes.offer()

    def show_generation(self) -> None:
        """Chat ▸ Answer settings for the conversation shown (or the next new one)."""
        from cogenesis.gui.generation_dialog import GenerationDialog

        vault, conversation_id = self.session.vault, self.conversation.id
        title = "a new conversation"
        if vault is not None and not vault.is_locked and conversation_id is not None:
            title = vault.conversations.get(conversation_id).title
        dialog = GenerationDialog(self.answers.generation, title, self)
        chosen = dialog.chosen() if dialog.exec() else None
        if chosen is not None:
            self.answers.set_generation(chosen)

    def show_models(self) -> None:
        """Chat ▸ Models: choose, add, remove or download the local model."""
        if self.settings_file is None:
            return
        from cogenesis.gui.models_dialog import ModelsDialog

        dialog = ModelsDialog(self.settings, self.settings_file, self.session, self)
        dialog.model_chosen.connect(self.apply_settings)
        dialog.exec()
        dialog.deleteLater()

    def show_settings(self) -> None:
        if self.settings_file is None:
            return
        from cogenesis.gui.settings_dialog import SettingsDialog  # imports keyring

        dialog = SettingsDialog(self.settings, self.settings_file, self)
        dialog.settings_changed.connect(self.apply_settings)
        dialog.exec()

    def show_egress(self) -> None:
        """Open the record of every request that left (or was refused)."""
        if not self.egress_dock.isVisible() and not self.egress_dock.isFloating():
            self._place_egress_dock()
        self.egress_dock.show()
        self.egress_dock.raise_()
        self.egress.set_vault(self.session.vault)
        self.egress.refresh()

    def toggle_egress(self) -> None:
        """Ctrl+Shift+E: open the record, or close it (and back to the message box)."""
        if self.egress_dock.isVisible():
            self.egress_dock.hide()
            self.input.setFocus()
        else:
            self.show_egress()
            self.egress.table.setFocus()

    def _place_egress_dock(self) -> None:
        """Beside the chat where the screen has room for both, else below it: the window
        never grows past the screen."""
        screen = self.screen().availableGeometry().width()
        frame = self.frameGeometry().width() - self.width()
        central = self.centralWidget()
        beside = (
            (central.minimumSizeHint().width() if central is not None else 0)
            + self.egress_dock.minimumSizeHint().width()
            + frame
        )
        wanted = Qt.DockWidgetArea.RightDockWidgetArea
        if beside > screen:
            wanted = Qt.DockWidgetArea.BottomDockWidgetArea
        if self.dockWidgetArea(self.egress_dock) != wanted:
            self.addDockWidget(wanted, self.egress_dock)

    # what tests, benchmarks and the app use -------------------------------------------

    @property
    def busy(self) -> bool:
        return self.answers.busy

    @property
    def max_tokens(self) -> int:
        return self.answers.max_tokens

    @max_tokens.setter
    def max_tokens(self, tokens: int) -> None:
        self.answers.max_tokens = tokens

    def send(self) -> None:
        self.answers.send()

    def stop(self) -> None:
        self.answers.stop()

    def stop_worker(self) -> None:
        self.answers.stop_worker()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        if not self.vault_actions.confirm_close():
            event.ignore()
            return
        if self.window_state is not None:
            self.window_state.save(self)
        self.answers.stop_worker()
        self.demo_endpoint.stop()
        self.vault_actions.idle_lock.stop()
        self.session.lock()
        super().closeEvent(event)


def _state_file(settings_file: Path) -> Path:
    return settings_file.with_name("window.ini")


def _button(text: str, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name)
    return button
