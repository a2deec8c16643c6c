"""The preview before sending, over the real public-part builder and guard of a vault."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cogenesis.core.privacy import IndexCache, PrivacyGuard, make_public
from cogenesis.core.vault import Profile, Vault
from cogenesis.gui.preview_dialog import PreviewDialog, confirm_public_text
from tests.gui.a11y import unnamed_controls
from tests.gui.screenshots import save_screenshot

MESSAGE = "Write a note to Maren Okafor about the dentist in Lyon on Friday."


@pytest.fixture
def guard(vault: Vault) -> PrivacyGuard:
    vault.profile.set(Profile(name="Maren Okafor", location="Lyon"))
    return PrivacyGuard(IndexCache(vault).get)


def make_dialog(qtbot: QtBot, guard: PrivacyGuard, vault: Vault) -> PreviewDialog:
    public = make_public(MESSAGE, IndexCache(vault).get())
    dialog = PreviewDialog(public, findings=guard.findings)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_shows_the_public_text_highlighted_and_what_was_replaced(
    qtbot: QtBot, guard: PrivacyGuard, vault: Vault
) -> None:
    dialog = make_dialog(qtbot, guard, vault)
    text = dialog.editor.toPlainText()
    assert "Maren" not in text and "Lyon" not in text and "[" in text
    assert "“Maren Okafor” →" in dialog.replaced.text() and "“Lyon” →" in dialog.replaced.text()
    block = dialog.editor.document().firstBlock()
    placeholder = text.index("[")
    assert any(f.start == placeholder for f in block.layout().formats())
    assert dialog.warning.isHidden()
    dialog.close()


def test_edits_are_returned_and_private_text_typed_back_is_flagged(
    qtbot: QtBot, guard: PrivacyGuard, vault: Vault
) -> None:
    dialog = make_dialog(qtbot, guard, vault)
    dialog.editor.setPlainText("Write a note to Maren about the dentist.")
    qtbot.waitUntil(dialog.warning.isVisible, timeout=2000)
    assert "sensitive term" in dialog.warning.text() and "[PERSON]" in dialog.warning.text()
    dialog.editor.setPlainText("Write a short note about a dentist appointment.")
    qtbot.waitUntil(dialog.warning.isHidden, timeout=2000)
    dialog.editor.setPlainText("   ")
    assert not dialog.send_button.isEnabled()
    dialog.editor.setPlainText("Write a short note about a dentist appointment.")
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.edited_text() == "Write a short note about a dentist appointment."


def test_confirm_follows_the_policy(qtbot: QtBot, guard: PrivacyGuard, vault: Vault) -> None:
    public = make_public(MESSAGE, IndexCache(vault).get())
    plain = make_public("What is the capital of France?", IndexCache(vault).get())
    assert confirm_public_text("never", public, MESSAGE) == public.text
    assert confirm_public_text("when-removed", plain, plain.text) == plain.text

    def answer(send: bool) -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PreviewDialog)
        dialog.editor.setPlainText("edited")
        (
            dialog.send_button
            if send
            else dialog.buttons.button(dialog.buttons.StandardButton.Cancel)
        ).click()

    QTimer.singleShot(0, lambda: answer(True))
    assert confirm_public_text("when-removed", public, MESSAGE) == "edited"
    QTimer.singleShot(0, lambda: answer(False))
    assert confirm_public_text("always", plain, plain.text) is None


def test_screenshot(qtbot: QtBot, guard: PrivacyGuard, vault: Vault, tmp_path: Path) -> None:
    dialog = make_dialog(qtbot, guard, vault)
    dialog.resize(640, 400)
    for target in save_screenshot(dialog, tmp_path, "preview.png"):
        assert target.stat().st_size > 5_000
    dialog.close()


def test_every_control_has_an_accessible_name(
    qtbot: QtBot, guard: PrivacyGuard, vault: Vault
) -> None:
    dialog = make_dialog(qtbot, guard, vault)
    assert unnamed_controls(dialog) == []
    dialog.close()


def test_text_in_another_script_says_why_it_was_withheld_and_can_be_released(
    qtbot: QtBot, vault: Vault
) -> None:
    vault.profile.set(Profile(name="王小明"))
    message = "Translate: 请把这封信寄给王小明，谢谢"
    guard = PrivacyGuard(IndexCache(vault).get)
    public = make_public(message, IndexCache(vault).get())
    assert "请" not in public.text  # withheld by default (fail closed)
    dialog = PreviewDialog(public, findings=guard.findings)
    qtbot.addWidget(dialog)
    dialog.show()
    (release,) = dialog.release_buttons
    assert "请把这封信寄给王小明" in release.text()  # shown on this device only
    release.click()
    text = dialog.edited_text()
    assert "请把这封信寄给" in text and "谢谢" in text  # released for this request…
    assert "王小明" not in text and "[PERSON 1]" in text  # …with the vault's name still replaced
    assert not release.isEnabled() and guard.findings(text) == []
    assert unnamed_controls(dialog) == []
