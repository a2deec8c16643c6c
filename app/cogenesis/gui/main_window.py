"""The main window: conversations on the left, the chat in the middle, vault state on top."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QThread, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from cogenesis.core.errors import CogenesisError, VaultDamaged
from cogenesis.core.llm import ChatMessage
from cogenesis.core.settings import Settings
from cogenesis.gui.answer_worker import AnswerWorker
from cogenesis.gui.passphrase_dialog import PassphraseDialog
from cogenesis.gui.session import VaultSession, VaultState

VaultAction = Callable[[str | None], None]
_EMPTY_CHAT = (
    "<h3>No conversation yet</h3>"
    "<p>Your notes, profile and writing samples stay in the encrypted vault on this device.</p>"
    "<p>Type below and press Ctrl+Enter: the local model answers on this device. The cloud "
    "modes are in the terminal for now (<code>cogenesis ask --mode sketch</code>).</p>"
)


class MainWindow(QMainWindow):
    """The vault state, conversations, and a local-model chat (answers stream from a worker).

    The worker thread starts with the first message; ``stop_worker`` (called on close) must
    run before the window is destroyed.
    """

    ask_worker = Signal(object, str, object)

    def __init__(self, session: VaultSession, settings: Settings) -> None:
        super().__init__()
        self.session = session
        self.settings = settings
        self.conversation_id: int | None = None
        self.busy = False
        self._thread: QThread | None = None
        self.worker = AnswerWorker(settings)
        self.setWindowTitle("CoGenesis")
        self.resize(1000, 680)
        self._build()
        session.changed.connect(self.refresh)
        self.refresh()

    def _build(self) -> None:
        self.vault_label = QLabel()
        self.vault_label.setAccessibleName("Vault state")
        self.vault_button = QPushButton()
        self.vault_button.setAccessibleName("Vault action")
        self.vault_button.clicked.connect(self._vault_action)
        top = QHBoxLayout()
        top.addWidget(self.vault_label, 1)
        top.addWidget(self.vault_button)

        self.conversations = QListWidget()
        self.conversations.setAccessibleName("Conversations")
        self.chat = QTextBrowser()
        self.chat.setAccessibleName("Chat")
        self.chat.setHtml(_EMPTY_CHAT)
        self.input = QPlainTextEdit()
        self.input.setAccessibleName("Message")
        self.input.setPlaceholderText("Message (Ctrl+Enter to send)")
        self.input.setMaximumHeight(110)
        self.send_button = QPushButton("Send")
        self.send_button.setAccessibleName("Send")
        self.send_button.clicked.connect(self.send)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setAccessibleName("Stop the answer")
        self.stop_button.clicked.connect(self.stop)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.send_button)
        center = QWidget()
        center_layout = QVBoxLayout(center)
        center_layout.addWidget(self.chat, 1)
        center_layout.addWidget(self.input)
        center_layout.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.conversations)
        splitter.addWidget(center)
        splitter.setSizes([240, 760])

        root = QWidget()
        layout = QVBoxLayout(root)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(root)
        self.mode_label = QLabel()
        self.mode_label.setAccessibleName("Privacy mode")
        self.statusBar().addPermanentWidget(self.mode_label)
        lock = QAction("Lock vault", self, shortcut=QKeySequence("Ctrl+L"))
        lock.triggered.connect(self.session.lock)
        self.addAction(lock)
        send = QAction("Send", self, shortcut=QKeySequence("Ctrl+Return"))
        send.triggered.connect(self.send)
        self.addAction(send)
        stop = QAction("Stop", self, shortcut=QKeySequence("Esc"))
        stop.triggered.connect(self.stop)
        self.addAction(stop)

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
        self.conversations.clear()
        if self.session.vault is not None and state is VaultState.UNLOCKED:
            self.conversations.addItems([c.title for c in self.session.vault.conversations.all()])
        self.statusBar().showMessage(f"Vault {state.value}")
        unlocked = state is VaultState.UNLOCKED
        self.input.setEnabled(unlocked)
        self.send_button.setEnabled(unlocked and not self.busy)
        self.stop_button.setEnabled(self.busy)
        self.mode_label.setText(f"Privacy mode: {self.settings.privacy_mode}")

    def _vault_action(self) -> None:
        state = self.session.state
        if state is VaultState.UNLOCKED:
            self.session.lock()
        elif state is VaultState.LOCKED:
            self._ask(lambda p: self.session.unlock(p), "Unlock the vault", confirm=False)
        else:
            self._ask(lambda p: self.session.create(p), "Create the vault", confirm=True)

    def _ask(self, action: VaultAction, title: str, *, confirm: bool) -> None:
        if not self.session.keystore().needs_passphrase:
            self.try_vault_action(action, None)
            return
        dialog = PassphraseDialog(self, title, confirm=confirm)
        while dialog.exec():
            error = self.try_vault_action(action, dialog.value())
            if error is None:
                return
            dialog.show_error(error)

    def try_vault_action(self, action: VaultAction, passphrase: str | None) -> str | None:
        """Run a create/unlock; returns the message to show, or None on success."""
        try:
            action(passphrase)
        except VaultDamaged as exc:
            QMessageBox.critical(self, "Vault damaged", f"{exc}\n\n" + "\n".join(exc.report))
            return str(exc)
        except CogenesisError as exc:
            return str(exc)
        return None

    def send(self) -> None:
        """Send the typed message to the local model (the text stays if nothing is sent)."""
        vault = self.session.vault
        text = self.input.toPlainText().strip()
        if vault is None or vault.is_locked or not text or self.busy:
            return
        if self.conversation_id is None:
            self.conversation_id = vault.conversations.create(text[:40], "offline").id
            self.chat.clear()
        history = [
            ChatMessage(m.role, m.content)
            for m in vault.conversations.messages(self.conversation_id)
        ]
        vault.conversations.add_message(self.conversation_id, "user", text)
        self.input.clear()
        self._append(f"You: {text}\n\nAssistant: ")
        self.busy = True
        self.refresh()
        self._start_worker()
        self.ask_worker.emit(vault, text, history)

    def stop(self) -> None:
        if self.busy:
            self.worker.cancel.cancel()

    def stop_worker(self) -> None:
        """Cancel any answer, end the worker thread and free the model."""
        self.stop()
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            self._thread = None
        self.worker.shutdown()

    def _start_worker(self) -> None:
        if self._thread is None:
            self._thread = QThread()
            self.worker.moveToThread(self._thread)
            self.ask_worker.connect(self.worker.answer)
            self.worker.token.connect(self._append)
            self.worker.finished.connect(self._on_finished)
            self.worker.failed.connect(self._on_failed)
            self._thread.start()

    def _on_finished(self, answer: str, reason: str) -> None:
        vault = self.session.vault
        if vault is not None and not vault.is_locked and self.conversation_id is not None:
            vault.conversations.add_message(self.conversation_id, "assistant", answer)
        self._append("  [stopped]\n\n" if reason == "cancelled" else "\n\n")
        self.busy = False
        self.refresh()

    def _on_failed(self, message: str) -> None:
        self._append(f"\n[error: {message}]\n\n")
        self.busy = False
        self.refresh()

    def _append(self, text: str) -> None:
        cursor = self.chat.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text)
        self.chat.setTextCursor(cursor)
        self.chat.ensureCursorVisible()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        self.stop_worker()
        self.session.lock()
        super().closeEvent(event)
