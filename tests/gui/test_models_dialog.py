"""Chat ▸ Models: the catalogue in the window, its memory-fit hint, and downloads by URL from
a real HTTP server on 127.0.0.1 (progress, stop, resume, checksum, the egress ledger)."""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from cogenesis.core.egress import EgressLedger
from cogenesis.core.paths import AppPaths
from cogenesis.core.settings import Settings, load_settings, save_settings
from cogenesis.gui.model_download import DownloadBox
from cogenesis.gui.models_dialog import ModelsDialog
from cogenesis.gui.session import VaultSession
from tests.file_server import FileServer
from tests.gguf_files import ollama_pull, tiny_gguf
from tests.gui.a11y import shared_mnemonics, unnamed_controls
from tests.gui.screenshots import save_screenshot
from tests.gui.test_main_window import unlocked_window

PASSPHRASE = "violet lantern 77"
ONLINE = Settings(privacy_mode="private")


pytestmark = pytest.mark.usefixtures("home")  # other apps' models: none but the test's


@pytest.fixture
def paths() -> AppPaths:
    return AppPaths.default().ensure()


@pytest.fixture
def session(paths: AppPaths) -> Iterator[VaultSession]:
    running = VaultSession(paths)
    running.create(PASSPHRASE)
    yield running
    running.lock()


@pytest.fixture
def model_bytes(tmp_path: Path) -> bytes:
    return tiny_gguf(tmp_path / "source.gguf", elements=600_000).read_bytes()


@pytest.fixture
def server(model_bytes: bytes) -> Iterator[FileServer]:
    running = FileServer(model_bytes)
    yield running
    running.stop()


OPENED: list[ModelsDialog] = []


@pytest.fixture(autouse=True)
def collected() -> Iterator[None]:
    """Each test's dialogs are closed (their threads waited for) and collected when it ends:
    collecting them during a later test, while a thread of its reports, crashed Qt."""
    yield
    for dialog in OPENED:
        dialog.confirm = lambda title, question: True  # type: ignore[method-assign]
        dialog.close()
    OPENED.clear()
    gc.collect()


def open_dialog(
    qtbot: QtBot, paths: AppPaths, session: VaultSession, settings: Settings = ONLINE
) -> ModelsDialog:
    save_settings(settings, paths.settings_file)
    dialog = ModelsDialog(settings, paths.settings_file, session)
    qtbot.addWidget(dialog)
    OPENED.append(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.looked)
    return dialog


def stop_a_tenth_in(qtbot: QtBot, box: DownloadBox, server: FileServer) -> None:
    """Start the download from a slow server and press Stop once a tenth has arrived."""
    server.pace = 0.02
    box.start_button.click()
    qtbot.waitUntil(lambda: box.progress.value() > 100, timeout=10_000)
    box.stop_button.click()
    qtbot.waitUntil(lambda: not box.running, timeout=10_000)


def rows(dialog: ModelsDialog) -> list[str]:
    return [dialog.models.item(i).text() for i in range(dialog.models.count())]


def test_the_starter_model_is_listed_in_use_with_its_memory_fit(
    qtbot: QtBot, paths: AppPaths, session: VaultSession, tmp_path: Path
) -> None:
    dialog = open_dialog(qtbot, paths, session)
    [starter] = rows(dialog)
    assert starter.startswith("SmolLM2-135M-Instruct.Q4_1\nstarter model, works offline · ")
    assert " MB · fits in RAM · in use" in starter
    details = dialog.details.text()
    assert "With a context of 4,096 tokens. RAM: fits (needs about 0.5 GiB" in details
    assert "GPU" in details  # "No GPU found: …", or what the GPU holds
    assert not dialog.use_button.isEnabled() and not dialog.remove_button.isEnabled()
    assert unnamed_controls(dialog) == []
    assert shared_mnemonics(dialog) == {}
    save_screenshot(dialog, tmp_path, "models.png")


def test_a_file_added_in_place_is_used_then_forgotten(
    qtbot: QtBot, paths: AppPaths, session: VaultSession, starter_path: Path, tmp_path: Path
) -> None:
    dialog = open_dialog(qtbot, paths, session)
    chosen: list[Settings] = []
    dialog.model_chosen.connect(chosen.append)
    not_a_model = tmp_path / "notes.gguf"
    not_a_model.write_bytes(b"hello")
    dialog.add(not_a_model)
    assert "not a GGUF" in dialog.details.text() or "GGUF" in dialog.details.text()
    copy = tmp_path / "my-model.gguf"
    copy.write_bytes(starter_path.read_bytes())
    dialog.add(copy)
    assert dialog.chosen() is not None and dialog.chosen().path == copy
    assert "used where it is" in rows(dialog)[1] and "in use" not in rows(dialog)[1]
    dialog.use_button.click()
    assert load_settings(paths.settings_file).local_model == str(copy)
    assert [s.local_model for s in chosen] == [str(copy)]
    assert rows(dialog)[1].endswith(" · in use") and "in use" not in rows(dialog)[0]
    assert dialog.details.text() == "my-model answers from the next message on."

    asked: list[str] = []
    dialog.confirm = lambda title, question: asked.append(question) or True  # type: ignore[method-assign]
    dialog.remove_button.click()
    assert asked and asked[0].startswith("Forget my-model? The file stays where it is")
    assert copy.exists() and len(rows(dialog)) == 1  # forgotten, not deleted
    assert load_settings(paths.settings_file).local_model == ""  # back to the starter model
    assert rows(dialog)[0].endswith(" · in use")


def test_models_other_apps_keep_are_offered_and_used_where_they_are(
    qtbot: QtBot, paths: AppPaths, session: VaultSession, starter_path: Path, home: Path
) -> None:
    """Issue 21: "models found on disk" (LM Studio, GPT4All, Jan, llama.cpp, Hugging Face)."""
    lm_studio = home / ".lmstudio/models/community/SmolLM2-GGUF/smol.Q4_1.gguf"
    lm_studio.parent.mkdir(parents=True)
    lm_studio.write_bytes(starter_path.read_bytes())
    dialog = open_dialog(qtbot, paths, session)
    assert len(rows(dialog)) == 2
    assert rows(dialog)[1].startswith("smol.Q4_1\nfound in LM Studio's folder · 98 MB · fits")
    dialog.models.setCurrentRow(1)
    assert dialog.use_button.isEnabled() and not dialog.remove_button.isEnabled()
    dialog.use_button.click()
    assert load_settings(paths.settings_file).local_model == str(lm_studio)
    assert "used where it is" in rows(dialog)[1] and rows(dialog)[1].endswith(" · in use")
    assert len(rows(dialog)) == 2  # now in the catalog, and not listed twice
    assert lm_studio.exists()


def test_an_ollama_model_keeps_its_name(
    qtbot: QtBot, paths: AppPaths, session: VaultSession, starter_path: Path, home: Path
) -> None:
    blob = ollama_pull(home / ".ollama" / "models", "smollm2", "135m", starter_path)
    dialog = open_dialog(qtbot, paths, session)
    assert rows(dialog)[1].startswith("smollm2:135m\nfound in Ollama's folder · 98 MB")
    dialog.models.setCurrentRow(1)
    dialog.use_button.click()
    assert load_settings(paths.settings_file).local_model == str(blob)
    assert rows(dialog)[1].startswith("smollm2:135m\nused where it is")  # not its digest


def test_download_with_progress_lands_in_the_list_and_the_ledger(
    qtbot: QtBot,
    paths: AppPaths,
    session: VaultSession,
    server: FileServer,
    model_bytes: bytes,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked_for_a_file: list[object] = []
    monkeypatch.setattr(
        "cogenesis.gui.models_dialog.QFileDialog.getOpenFileName",
        lambda *args: asked_for_a_file.append(args) or ("", ""),
    )
    dialog = open_dialog(qtbot, paths, session)
    box = dialog.download
    assert not box.start_button.isEnabled()  # no URL yet
    box.url.setText(server.url)
    box.sha256.setText(hashlib.sha256(model_bytes).hexdigest())
    assert box.start_button.isEnabled() and box.start_button.text() == "&Download"
    server.pace = 0.01
    with qtbot.waitSignal(box.downloaded, timeout=30_000) as done:
        box.sha256.setFocus()
        qtbot.keyClick(box.sha256, Qt.Key.Key_Return)  # in a real window it opened "Add a file"
        assert box.stop_button.isEnabled() and not box.start_button.isEnabled()
        qtbot.waitUntil(lambda: " of 2.4 MB" in box.progress.format(), timeout=10_000)
    assert done.args == [paths.models_dir / "tiny.gguf"]
    assert asked_for_a_file == []
    assert box.progress.value() == 1000 and box.progress.format().startswith("2.4 of 2.4 MB")
    assert box.message.text() == "Downloaded and checked tiny.gguf."
    assert dialog.chosen() is not None and dialog.chosen().source == "downloaded"
    assert "downloaded · 2 MB" in dialog.models.currentItem().text()
    assert session.vault is not None
    [record] = EgressLedger(session.vault.db).records()
    assert record.purpose == "model download" and record.response_size == len(model_bytes)


def test_a_stopped_download_resumes_where_it_stopped(
    qtbot: QtBot, paths: AppPaths, session: VaultSession, server: FileServer, model_bytes: bytes
) -> None:
    dialog = open_dialog(qtbot, paths, session)
    box = dialog.download
    box.url.setText(server.url)
    stop_a_tenth_in(qtbot, box, server)
    assert box.message.text().startswith("The download was stopped.")
    partial = paths.models_dir / "tiny.gguf.part"
    have = partial.stat().st_size
    assert 0 < have < len(model_bytes)
    assert box.start_button.text() == f"R&esume ({have / 1e6:,.1f} MB here)"
    assert len(rows(dialog)) == 1  # a part file is never offered as a model
    dialog.close()
    again = open_dialog(qtbot, paths, session)  # another day: the URL is not typed again
    box = again.download
    assert box.url.text() == "" and box.unfinished_row.isVisibleTo(again)
    assert box.unfinished.text() == f"Unfinished: tiny.gguf, {have / 1e6:,.1f} MB here."
    server.pace = 0.0
    with qtbot.waitSignal(box.downloaded, timeout=30_000):
        box.continue_button.click()
    assert not box.unfinished_row.isVisibleTo(again)
    assert server.ranges[-1] == f"bytes={have}-"
    assert (paths.models_dir / "tiny.gguf").read_bytes() == model_bytes


def test_an_unfinished_download_can_be_discarded(
    qtbot: QtBot, paths: AppPaths, session: VaultSession, server: FileServer, tmp_path: Path
) -> None:
    dialog = open_dialog(qtbot, paths, session)
    box = dialog.download
    assert not box.unfinished_row.isVisibleTo(dialog)
    box.url.setText(server.url)
    stop_a_tenth_in(qtbot, box, server)
    assert box.unfinished_row.isVisibleTo(dialog)
    save_screenshot(dialog, tmp_path, "models-unfinished.png")
    box.discard_button.click()
    assert box.message.text() == "Deleted the unfinished tiny.gguf."
    assert list(paths.models_dir.glob("tiny.gguf*")) == []
    assert not box.unfinished_row.isVisibleTo(dialog) and box.start_button.text() == "&Download"


def test_a_wrong_checksum_is_reported_and_nothing_is_kept(
    qtbot: QtBot, paths: AppPaths, session: VaultSession, server: FileServer
) -> None:
    dialog = open_dialog(qtbot, paths, session)
    box = dialog.download
    box.url.setText(server.url)
    box.sha256.setText("0" * 64)
    box.start_button.click()
    qtbot.waitUntil(lambda: not box.running, timeout=30_000)
    assert "does not match its SHA-256 checksum" in box.message.text()
    assert list(paths.models_dir.glob("tiny.gguf*")) == []
    assert box.url.text() == server.url  # what the user typed stays, to fix and retry


def test_offline_mode_and_a_locked_vault_say_why_nothing_downloads(
    qtbot: QtBot, paths: AppPaths, session: VaultSession, server: FileServer
) -> None:
    dialog = open_dialog(qtbot, paths, session, Settings())  # offline: the default
    box = dialog.download
    box.url.setText(server.url)
    assert not box.start_button.isEnabled()
    assert box.message.text().startswith("Offline mode: nothing may leave this device")
    box.start()
    assert server.ranges == []  # not even a connection
    dialog.close()
    online = open_dialog(qtbot, paths, session, replace(ONLINE))
    session.lock()
    online.download.url.setText(server.url)
    assert not online.download.start_button.isEnabled()
    assert online.download.message.text().startswith("Unlock the vault to download")


def test_closing_during_a_download_asks_and_keeps_the_part(
    qtbot: QtBot, paths: AppPaths, session: VaultSession, server: FileServer
) -> None:
    dialog = open_dialog(qtbot, paths, session)
    box = dialog.download
    box.url.setText(server.url)
    server.pace = 0.05
    box.start_button.click()
    qtbot.waitUntil(lambda: box.progress.value() > 0, timeout=10_000)
    answers = [False, True]
    dialog.confirm = lambda title, question: answers.pop(0)  # type: ignore[method-assign]
    dialog.reject()
    assert dialog.isVisible() and box.running  # "No": the download goes on
    dialog.reject()
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: not box.running, timeout=10_000)
    assert (paths.models_dir / "tiny.gguf.part").stat().st_size > 0


def test_the_window_opens_it_from_the_chat_menu_and_uses_the_choice(
    qtbot: QtBot, starter_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = unlocked_window(qtbot)
    chat_menu = window.menuBar().actions()[1].menu()
    [models] = [a for a in chat_menu.actions() if a.text().startswith("&Models")]
    assert models.shortcut().toString() == "Ctrl+Shift+M"
    copy = tmp_path / "bigger.gguf"
    copy.write_bytes(starter_path.read_bytes())

    def choose(dialog: ModelsDialog) -> int:
        assert dialog.download.start_button.text() == "&Download"
        dialog.add(copy)
        dialog.use_chosen()
        return 0

    monkeypatch.setattr(ModelsDialog, "exec", choose)
    models.trigger()
    assert window.settings.local_model == str(copy)
    assert window.answers.worker._settings.local_model == str(copy)  # the next answer's model
