"""The main window: conversations on the left, the chat in the middle, vault state on top."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
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
from cogenesis.core.settings import Settings
from cogenesis.gui.passphrase_dialog import PassphraseDialog
from cogenesis.gui.session import VaultSession, VaultState

VaultAction = Callable[[str | None], None]
_EMPTY_CHAT = (
    "<h3>No conversation yet</h3>"
    "<p>Your notes, profile and writing samples stay in the encrypted vault on this device.</p>"
    "<p>Chatting needs the local model, which is not connected in this build yet.</p>"
)


class MainWindow(QMainWindow):
    """A shell that shows the vault state and the (still empty) chat area."""

    def __init__(self, session: VaultSession, settings: Settings) -> None:
        super().__init__()
        self.session = session
        self.settings = settings
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
        self.input.setPlaceholderText("Chat arrives with the local model.")
        self.input.setEnabled(False)
        self.input.setMaximumHeight(110)
        center = QWidget()
        center_layout = QVBoxLayout(center)
        center_layout.addWidget(self.chat, 1)
        center_layout.addWidget(self.input)
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

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        self.session.lock()
        super().closeEvent(event)
