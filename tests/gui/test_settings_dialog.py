"""The settings dialog: what it saves, where the API key goes, and how it refuses bad input."""

from __future__ import annotations

import json
from pathlib import Path

import keyring
import pytest
from pytestqt.qtbot import QtBot

from cogenesis.adapters.api_keys import KEY_SERVICE
from cogenesis.core.paths import AppPaths
from cogenesis.core.settings import Settings, load_settings, save_settings
from cogenesis.gui.settings_dialog import SettingsDialog
from devsupport.fakes import MemoryKeyring
from tests.gui.a11y import shared_mnemonics, unnamed_controls
from tests.gui.screenshots import save_screenshot

URL = "https://api.example.com/v1"


@pytest.fixture
def settings_file() -> Path:
    return AppPaths.default().ensure().settings_file


def make_dialog(qtbot: QtBot, settings: Settings, path: Path) -> SettingsDialog:
    dialog = SettingsDialog(settings, path)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def online(dialog: SettingsDialog) -> None:
    dialog.offline.setChecked(False)
    dialog.base_url.setText(URL + "/")
    dialog.remote_model.setText("gpt-4o-mini")


def test_offline_is_one_switch_and_the_form_shows_current_values(
    qtbot: QtBot, settings_file: Path
) -> None:
    settings = Settings(privacy_mode="offline", theme="dark", font_size=13, threads=4)
    dialog = make_dialog(qtbot, settings, settings_file)
    assert dialog.offline.isChecked() and not dialog.mode.isEnabled()
    assert "Nothing leaves" in dialog.mode_help.text()
    assert dialog.theme.currentData() == "dark" and dialog.font_size.value() == 13
    assert dialog.threads.value() == 4 and dialog.preview.currentData() == "when-removed"
    dialog.offline.setChecked(False)
    assert dialog.mode.isEnabled() and dialog.mode.currentData() == "private"
    assert "never sees your private context" in dialog.mode_help.text()
    dialog.close()


def test_save_writes_the_file_and_emits_the_new_settings(qtbot: QtBot, settings_file: Path) -> None:
    old = Settings(remote_capabilities={"chat_stream": True})
    dialog = make_dialog(qtbot, old, settings_file)
    online(dialog)
    dialog.mode.setCurrentIndex(dialog.mode.findData("cloud-no-context"))
    dialog.preview.setCurrentIndex(dialog.preview.findData("always"))
    dialog.theme.setCurrentIndex(dialog.theme.findData("light"))
    dialog.font_size.setValue(14)
    dialog.context_size.setValue(8192)
    assert dialog.fusion.currentData() == "shift"  # the default
    dialog.fusion.setCurrentIndex(dialog.fusion.findData("adaptive"))
    assert dialog.stall.value() == 15 and dialog.stall.accessibleName()
    dialog.stall.setValue(40)
    with qtbot.waitSignal(dialog.settings_changed) as emitted:
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    saved = emitted.args[0]
    assert isinstance(saved, Settings)
    assert (saved.privacy_mode, saved.preview_policy, saved.theme) == (
        "cloud-no-context",
        "always",
        "light",
    )
    assert (saved.remote_base_url, saved.remote_model) == (URL, "gpt-4o-mini")
    assert saved.fusion_rule == "adaptive" and saved.remote_stall_seconds == 40
    assert saved.remote_capabilities == {}  # probed on another endpoint: stale
    assert load_settings(settings_file) == saved
    assert dialog.result() == dialog.DialogCode.Accepted


@pytest.mark.parametrize(
    ("fill", "message", "field"),
    [
        (lambda d: d.base_url.setText("api.example.com"), "does not start with", "base_url"),
        (lambda d: d.base_url.setText("http://[::1"), "not a valid web address", "base_url"),
        (lambda d: d.base_url.setText(URL), "has no name", "remote_model"),
        (lambda d: d.remote_model.setText("gpt"), "has no base URL", "base_url"),
        (lambda d: d.offline.setChecked(False), "turn Offline on", "base_url"),
        (lambda d: d.model_file.setText("/nowhere/model.gguf"), "does not exist", "model_file"),
    ],
)
def test_bad_input_is_refused_with_a_next_step_and_kept(  # type: ignore[no-untyped-def]
    qtbot: QtBot, settings_file: Path, fill, message: str, field: str
) -> None:
    dialog = make_dialog(qtbot, Settings(), settings_file)
    fill(dialog)
    typed = {
        name: getattr(dialog, name).text() for name in ("base_url", "remote_model", "model_file")
    }
    with qtbot.assertNotEmitted(dialog.settings_changed):
        dialog.save()
    assert message in dialog.error.text()
    assert dialog.focusWidget() is getattr(dialog, field)
    assert {name: getattr(dialog, name).text() for name in typed} == typed
    assert not settings_file.exists() and dialog.isVisible()
    dialog.close()


def test_a_file_that_is_not_gguf_is_refused(
    qtbot: QtBot, settings_file: Path, tmp_path: Path
) -> None:
    fake = tmp_path / "notes.gguf"
    fake.write_text("just text")
    dialog = make_dialog(qtbot, Settings(), settings_file)
    dialog.model_file.setText(str(fake))
    dialog.save()
    assert "not a readable GGUF model" in dialog.error.text() and "Browse" in dialog.error.text()
    dialog.close()


def test_browse_fills_the_model_file_and_a_real_model_is_accepted(  # type: ignore[no-untyped-def]
    qtbot: QtBot, settings_file: Path, starter_path: Path, monkeypatch
) -> None:
    dialog = make_dialog(qtbot, Settings(), settings_file)
    monkeypatch.setattr(
        "cogenesis.gui.settings_dialog.QFileDialog.getOpenFileName",
        lambda *_args: (str(starter_path), "GGUF models (*.gguf)"),
    )
    dialog.browse.click()
    assert dialog.model_file.text() == str(starter_path)
    dialog.save()
    assert load_settings(settings_file).local_model == str(starter_path)


def test_without_a_keyring_the_key_is_refused_with_the_environment_variable(
    qtbot: QtBot, settings_file: Path
) -> None:
    dialog = make_dialog(qtbot, Settings(), settings_file)  # tests run with the fail keyring
    assert "COGENESIS_API_KEY" in dialog.key_status.text()
    online(dialog)
    dialog.api_key.setText("sk-live-123")
    dialog.save()
    assert "API key was not saved" in dialog.error.text()
    assert "COGENESIS_API_KEY" in dialog.error.text() and "clear the API key" in dialog.error.text()
    assert dialog.api_key.text() == "sk-live-123" and dialog.focusWidget() is dialog.api_key
    assert not settings_file.exists()
    dialog.api_key.clear()
    dialog.save()
    assert load_settings(settings_file).remote_base_url == URL


def test_the_key_goes_to_the_keyring_never_the_file(
    qtbot: QtBot, settings_file: Path, memory_keyring: MemoryKeyring
) -> None:
    keyring.set_keyring(memory_keyring)
    dialog = make_dialog(qtbot, Settings(), settings_file)
    online(dialog)
    dialog.api_key.setText("sk-live-123")
    dialog.save()
    assert memory_keyring.secrets == {(KEY_SERVICE, URL): "sk-live-123"}
    assert "sk-live-123" not in settings_file.read_text()
    again = make_dialog(qtbot, load_settings(settings_file), settings_file)
    assert "saved in the OS keyring" in again.key_status.text() and again.api_key.text() == ""
    again.close()


def test_the_environment_variable_is_named_when_it_provides_the_key(  # type: ignore[no-untyped-def]
    qtbot: QtBot, settings_file: Path, monkeypatch
) -> None:
    monkeypatch.setenv("COGENESIS_API_KEY", "sk-env")
    dialog = make_dialog(qtbot, Settings(), settings_file)
    assert "from the COGENESIS_API_KEY environment variable" in dialog.key_status.text()
    dialog.close()


def test_unknown_fields_and_other_settings_survive_a_save(
    qtbot: QtBot, settings_file: Path
) -> None:
    save_settings(Settings(remote_chat_template="{{ x }}", unknown={"future": 1}), settings_file)
    dialog = make_dialog(qtbot, load_settings(settings_file), settings_file)
    dialog.save()
    document = json.loads(settings_file.read_text())
    assert document["future"] == 1 and document["remote_chat_template"] == "{{ x }}"


def test_nothing_is_clipped_labels_or_an_error(qtbot: QtBot, settings_file: Path) -> None:
    dialog = make_dialog(
        qtbot, Settings(privacy_mode="private", remote_provider="demo", font_size=14), settings_file
    )
    font = dialog.font()
    font.setPointSize(14)  # as a user with a larger font sees it
    dialog.setFont(font)
    qtbot.wait(10)
    for box in (dialog.fusion, dialog.provider, dialog.mode):
        widest = max(
            box.fontMetrics().horizontalAdvance(box.itemText(i)) for i in range(box.count())
        )
        assert box.width() >= widest, box.accessibleName()
    dialog.provider.setCurrentIndex(dialog.provider.findData("custom"))
    dialog.base_url.setText("api.example.com/v1")
    dialog.save()
    qtbot.waitUntil(
        lambda: dialog.error.height() >= dialog.error.heightForWidth(dialog.error.width())
    )
    assert dialog.error.isVisible() and "http" in dialog.error.text()
    dialog.close()


def test_screenshot(qtbot: QtBot, settings_file: Path, tmp_path: Path) -> None:
    dialog = make_dialog(
        qtbot,
        Settings(privacy_mode="private", remote_base_url=URL, remote_model="gpt-4o-mini"),
        settings_file,
    )
    dialog.base_url.setText("api.example.com/v1")
    dialog.save()
    qtbot.wait(50)  # the dialog grows to fit the error
    for target in save_screenshot(dialog, tmp_path, "settings.png"):
        assert target.stat().st_size > 10_000
    dialog.close()


def test_every_control_has_an_accessible_name(qtbot: QtBot, settings_file: Path) -> None:
    dialog = make_dialog(qtbot, Settings(), settings_file)
    assert unnamed_controls(dialog) == []
    assert shared_mnemonics(dialog) == {}  # Alt+F and Alt+R each claimed twice in Settings
    dialog.close()


def test_choosing_the_demo_endpoint_needs_no_url(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = SettingsDialog(Settings(), tmp_path / "settings.json")
    qtbot.addWidget(dialog)
    dialog.offline.setChecked(False)
    dialog.provider.setCurrentIndex(dialog.provider.findData("demo"))
    assert not dialog.base_url.isEnabled() and not dialog.api_key.isEnabled()
    saved: list[Settings] = []
    dialog.settings_changed.connect(saved.append)
    dialog.save()
    assert saved and saved[0].remote_provider == "demo" and saved[0].privacy_mode == "private"
