"""The vault's actions in the window: create, unlock, lock (now and when idle), and the
private-context editors. A part of MainWindow (a mixin)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMainWindow, QMessageBox

from cogenesis.core.errors import CogenesisError, VaultDamaged
from cogenesis.gui.idle_lock import IdleLock
from cogenesis.gui.passphrase_dialog import PassphraseDialog
from cogenesis.gui.session import VaultSession, VaultState
from cogenesis.gui.vault_editors import PrivateContextWindow

VaultAction = Callable[[str | None], None]


class VaultActions(QMainWindow):
    """Create / unlock / lock the vault, auto-lock, and open the private-context editors."""

    session: VaultSession
    busy: bool
    idle_lock: IdleLock
    private_context: PrivateContextWindow | None

    def show_private_context(self) -> None:
        """The profile, notes, writing samples and sensitive terms, in their own window."""
        if self.private_context is None:
            self.private_context = PrivateContextWindow()
            self.private_context.resize(900, 640)
        self.private_context.set_vault(self.session.vault)
        self.private_context.show()
        self.private_context.raise_()
        self.private_context.activateWindow()

    def lock_vault(self) -> None:
        """Lock now (unsaved edits in the private-context window are asked about first)."""
        if self.private_context is None or self.private_context.confirm_leave():
            self.session.lock()

    def _auto_lock(self) -> None:
        if self.busy:
            self.idle_lock.poke()
        elif self.session.state is VaultState.UNLOCKED:
            self.session.lock()
            self.statusBar().showMessage("Locked after a time without use.")

    def _vault_action(self) -> None:
        state = self.session.state
        if state is VaultState.UNLOCKED:
            self.lock_vault()
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
