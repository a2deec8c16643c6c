"""The vault's actions in the window: create, unlock, lock (now and when idle), and the
private-context editors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QStatusBar, QWidget

from cogenesis.core.errors import CogenesisError, VaultDamaged
from cogenesis.core.vault import Recovery, list_automatic_backups
from cogenesis.gui.backups_dialog import BackupsDialog, backup_label
from cogenesis.gui.idle_lock import IdleLock
from cogenesis.gui.passphrase_dialog import PassphraseDialog
from cogenesis.gui.session import VaultSession, VaultState
from cogenesis.gui.vault_editors import PrivateContextWindow

VaultAction = Callable[[str | None], None]
VAULT_BUTTON = {  # what the vault button does in each state
    VaultState.ABSENT: "Create vault…",
    VaultState.LOCKED: "Unlock…",
    VaultState.UNLOCKED: "Lock",
}
_VAULT_TEXT = {
    VaultState.ABSENT: "Vault: none yet. Create one to keep your private context.",
    VaultState.LOCKED: "Vault: locked.",
    VaultState.UNLOCKED: "Vault: unlocked.",
}


def fitted_size(near: QWidget, width: int, height: int) -> QSize:
    """``width`` × ``height``, made smaller where the screen of ``near`` has less room (the
    private-context window ran off the bottom of a 900-pixel-high screen)."""
    screen = near.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return QSize(width, height)
    room = screen.availableGeometry()
    frame = 60  # title bar and borders the window manager adds
    return QSize(min(width, room.width() - frame), min(height, room.height() - 2 * frame))


def vault_text(session: VaultSession) -> str:
    """The vault's state in a sentence, with where its key is kept."""
    state = session.state
    if state is VaultState.ABSENT:
        return _VAULT_TEXT[state]
    return f"{_VAULT_TEXT[state]}  Key: {session.key_description()}"


class VaultActions(QObject):
    """Create / unlock / lock the vault of ``session``, lock it after ``auto_lock_minutes``
    idle (later while ``is_busy()``), and open the private-context editors. Dialogs open
    over ``window``."""

    def __init__(
        self,
        session: VaultSession,
        is_busy: Callable[[], bool],
        auto_lock_minutes: int,
        status_bar: QStatusBar,
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self._session = session
        self._is_busy = is_busy
        self._status_bar = status_bar
        self._window = window
        self.private_context: PrivateContextWindow | None = None
        self.confirm: Callable[[str, str], bool] = self._confirm  # replaced in tests
        self.idle_lock = IdleLock(self._auto_lock, auto_lock_minutes, window)

    def show_private_context(self) -> None:
        """The profile, notes, writing samples and sensitive terms, in their own window."""
        if self.private_context is None:
            self.private_context = PrivateContextWindow()
            self.private_context.resize(fitted_size(self._window, 900, 640))
        self.private_context.set_vault(self._session.vault)
        self.private_context.show()
        self.private_context.raise_()
        self.private_context.activateWindow()

    def vault_changed(self) -> None:
        """The editors follow the vault as it opens or locks."""
        if self.private_context is not None:
            self.private_context.set_vault(self._session.vault)

    def confirm_close(self) -> bool:
        """Close the editors, unless the user keeps unsaved edits (False then)."""
        if self.private_context is None:
            return True
        if not self.private_context.confirm_leave():
            return False
        self.private_context.close()
        return True

    def lock(self) -> None:
        """Lock now (unsaved edits in the private-context window are asked about first)."""
        if self.private_context is None or self.private_context.confirm_leave():
            self._session.lock()

    def create_unlock_or_lock(self) -> None:
        """What the vault button does in each state."""
        state = self._session.state
        if state is VaultState.UNLOCKED:
            self.lock()
        elif state is VaultState.LOCKED:
            self._ask(self._session.unlock, "Unlock the vault", confirm=False)
        else:
            self._ask(self._session.create, "Create the vault", confirm=True)

    def try_vault_action(self, action: VaultAction, passphrase: str | None) -> str | None:
        """Run a create/unlock; returns the message to show, or None on success."""
        try:
            action(passphrase)
        except VaultDamaged as exc:
            return self._offer_recovery(exc, passphrase)
        except CogenesisError as exc:
            return str(exc)
        return None

    def restore_backup(self) -> None:
        """Vault ▸ Restore an automatic backup: choose one, confirm with the passphrase."""
        dialog = BackupsDialog(self._window, list_automatic_backups(self._session.files))
        chosen = dialog.chosen() if dialog.exec() else None
        if chosen is None or not self.confirm_close():
            return
        self._ask(lambda secret: self.recover(secret, chosen), "Restore backup", confirm=False)

    def recover(self, passphrase: str | None, backup: Path | None) -> None:
        """Put ``backup`` (None: the newest sound one) back and say what happened."""
        self._announce(self._session.recover(passphrase, backup))

    def _offer_recovery(self, exc: VaultDamaged, passphrase: str | None) -> str | None:
        report = "\n".join(exc.report[:8]) + ("\n…" if len(exc.report) > 8 else "")
        backups = list_automatic_backups(self._session.files)
        if not backups:
            QMessageBox.critical(self._window, "Vault damaged", f"{exc}\n\n{report}")
            return str(exc)
        offer = (
            f"{exc.message}\n\n{report}\n\nPut back the automatic backup of "
            f"{backup_label(backups[0])}? Changes made after it are not in it; the damaged "
            "database is kept aside in the vault folder."
        )
        if not self.confirm("Vault damaged", offer):
            return str(exc)
        try:
            self.recover(passphrase, None)
        except CogenesisError as failed:
            return str(failed)
        return None

    def _announce(self, recovery: Recovery) -> None:
        kept = (
            f" The replaced database is kept as {recovery.kept_aside.name}."
            if (recovery.kept_aside)
            else ""
        )
        self._status_bar.showMessage(
            f"Put back the automatic backup of {backup_label(recovery.backup)}.{kept}"
        )

    def _confirm(self, title: str, text: str) -> bool:
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        answer = QMessageBox.warning(self._window, title, text, buttons)
        return answer == QMessageBox.StandardButton.Yes

    def _ask(self, action: VaultAction, title: str, *, confirm: bool) -> None:
        if not self._session.keystore().needs_passphrase:
            self.try_vault_action(action, None)
            return
        dialog = PassphraseDialog(self._window, title, confirm=confirm)
        while dialog.exec():
            error = self.try_vault_action(action, dialog.value())
            if error is None:
                return
            dialog.show_error(error)

    def _auto_lock(self) -> None:
        if self._is_busy():
            self.idle_lock.poke()
        elif self._session.state is VaultState.UNLOCKED:
            self._session.lock()
            self._status_bar.showMessage("Locked after a time without use.")
