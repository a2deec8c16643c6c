"""Each page's errors say what to do, keep what the user typed, and keep the user there."""

from __future__ import annotations

import json
from pathlib import Path

import keyring
import pytest
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from cogenesis.adapters.remote import api_key_for
from cogenesis.core.paths import AppPaths
from cogenesis.core.settings import Settings
from cogenesis.core.vault import parse_document
from cogenesis.gui.first_run import FirstRunWizard
from cogenesis.gui.first_run.import_page import describe
from cogenesis.gui.first_run.vault_page import strength_level
from cogenesis.gui.session import VaultSession, VaultState
from devsupport.fakes import MemoryKeyring
from tests.gui.a11y import shared_mnemonics
from tests.gui.first_run.conftest import DATASET_USERS, PASSPHRASE

NEXT = QWizard.WizardButton.NextButton


def _create_vault(wizard: FirstRunWizard) -> None:
    wizard.vault_page.passphrase.setText(PASSPHRASE)
    wizard.vault_page.repeat.setText(PASSPHRASE)
    wizard.button(NEXT).click()
    assert wizard.currentPage() is wizard.import_page


def _go_to_remote(wizard: FirstRunWizard) -> None:
    while wizard.currentPage() is not wizard.remote_page:
        wizard.skip()


def test_strength_levels_follow_the_hint() -> None:
    assert [strength_level(p) for p in ("abc", "aaaaaaaa", "Abcdefgh1234", PASSPHRASE)] == [
        0,
        1,
        2,
        3,
    ]


def test_vault_errors_keep_the_user_on_the_page(wizard: FirstRunWizard) -> None:
    page = wizard.vault_page
    page.passphrase.setText(PASSPHRASE)
    page.repeat.setText(PASSPHRASE + "!")
    wizard.button(NEXT).click()
    assert wizard.currentPage() is page and "differ" in page.error.text()
    page.passphrase.setText("short")
    page.repeat.setText("short")
    wizard.button(NEXT).click()
    assert wizard.currentPage() is page and "too short" in page.error.text()
    assert page.passphrase.text() == "short"  # nothing typed is lost
    assert wizard.state.session.vault is None


def test_a_vault_error_goes_once_the_user_types_again(wizard: FirstRunWizard) -> None:
    """Issue 21: a red message stayed up while valid passphrases were typed."""
    page = wizard.vault_page
    page.passphrase.setText("short")
    page.repeat.setText("short")
    wizard.button(NEXT).click()
    assert "too short" in page.error.text()
    page.passphrase.setText(PASSPHRASE)
    assert page.error.text() == ""
    wizard.button(NEXT).click()
    assert "differ" in page.error.text()
    page.repeat.setText(PASSPHRASE)
    assert page.error.text() == ""


def test_a_broken_import_file_is_named_and_nothing_is_imported(
    wizard: FirstRunWizard, tmp_path: Path
) -> None:
    _create_vault(wizard)
    page = wizard.import_page
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    page.load(str(broken))
    assert "Cannot read" in page.error.text() and "Choose a JSON file" in page.error.text()
    wizard.button(NEXT).click()
    assert wizard.currentPage() is page and page.path.text() == str(broken)

    bad_sample = tmp_path / "bad.json"
    bad_sample.write_text(
        json.dumps({"additional_profile": "Name: X", "profile": [{"title": "t", "text": 3}]})
    )
    page.load(str(bad_sample))
    assert "profile[0].text must be text" in page.error.text()
    wizard.button(NEXT).click()
    assert wizard.currentPage() is page
    vault = wizard.state.session.vault
    assert vault is not None and vault.profile.get().is_empty() and vault.samples.all() == []


def test_importing_needs_the_vault(wizard: FirstRunWizard, dataset_file: Path) -> None:
    wizard.skip()
    wizard.import_page.load(str(dataset_file))
    wizard.button(NEXT).click()
    assert wizard.currentPage() is wizard.import_page
    assert "go Back to create it" in wizard.import_page.error.text()


def test_going_back_does_not_import_twice(wizard: FirstRunWizard, dataset_file: Path) -> None:
    _create_vault(wizard)
    wizard.import_page.load(str(dataset_file))
    wizard.import_page.user.setCurrentIndex(wizard.import_page.user.findData("u1"))
    wizard.button(NEXT).click()
    wizard.back()
    wizard.button(NEXT).click()
    vault = wizard.state.session.vault
    assert vault is not None and [s.title for s in vault.samples.all()] == ["Note"]


def test_describe_counts_what_a_file_holds() -> None:
    doc = parse_document(DATASET_USERS, "u1")
    assert describe(doc) == "a profile (Ola Berg, carpenter), 1 writing sample"


def test_a_gguf_file_can_be_added_and_chosen(
    qtbot: QtBot, wizard: FirstRunWizard, starter_path: Path, tmp_path: Path
) -> None:
    wizard.skip()
    wizard.skip()
    page = wizard.model_page
    not_a_model = tmp_path / "notes.gguf"
    not_a_model.write_bytes(b"hello")
    page.add(not_a_model)
    assert page.error.text() and page.chosen() is not None and page.chosen().source == "starter"
    copy = tmp_path / "my-model.gguf"
    copy.write_bytes(starter_path.read_bytes())
    page.add(copy)
    chosen = page.chosen()
    assert chosen is not None and chosen.path == copy and chosen.source == "in place"
    qtbot.waitUntil(lambda: page.looked)  # surveyed once the page showed
    assert page.fit.text().startswith("RAM: fits (needs about 0.5 GiB")
    assert "GPU" in page.fit.text()  # "No GPU found", or what the GPU holds
    wizard.button(NEXT).click()
    assert wizard.settings.local_model == str(copy)


@pytest.mark.parametrize(
    ("url", "model", "message"),
    [
        ("api.example.com/v1", "m", "does not start with http:// or https://"),
        ("", "m", "is empty"),
        ("http://[::1", "m", "is not a valid web address"),
        ("http://localhost:99999/v1", "m", "port"),
        ("https://api.example.com/v1", "", "model name is empty"),
    ],
)
def test_a_custom_endpoint_is_checked(
    wizard: FirstRunWizard, url: str, model: str, message: str
) -> None:
    _go_to_remote(wizard)
    page = wizard.remote_page
    page.custom.click()
    page.base_url.setText(url)
    page.model.setText(model)
    wizard.button(NEXT).click()
    assert wizard.currentPage() is page and message in page.error.text()
    assert (page.base_url.text(), page.model.text()) == (url, model)


def test_an_api_key_needs_a_keyring(wizard: FirstRunWizard) -> None:
    _go_to_remote(wizard)
    page = wizard.remote_page
    page.custom.click()
    page.base_url.setText("https://api.example.com/v1/")
    page.model.setText("big-model")
    page.api_key.setText("sk-secret")
    wizard.button(NEXT).click()
    assert wizard.currentPage() is page and "COGENESIS_API_KEY" in page.error.text()
    page.api_key.clear()
    wizard.button(NEXT).click()
    assert wizard.currentPage() is wizard.summary_page
    settings = wizard.settings
    assert (settings.remote_provider, settings.remote_base_url, settings.remote_model) == (
        "custom",
        "https://api.example.com/v1",
        "big-model",
    )
    assert settings.privacy_mode == "private"


def test_testing_needs_the_vault_and_reports_off_the_gui_thread(
    qtbot: QtBot, wizard: FirstRunWizard, paths: AppPaths
) -> None:
    _go_to_remote(wizard)
    page = wizard.remote_page
    page.custom.click()
    page.base_url.setText("http://127.0.0.1:9/v1")
    page.model.setText("m")
    with qtbot.waitSignal(page.probe.failed, timeout=10_000):
        page.test_button.click()
    assert "Testing needs the vault" in page.error.text()
    assert page.isComplete() and page.test_button.isEnabled()


def test_an_unreachable_endpoint_is_reported(qtbot: QtBot, wizard: FirstRunWizard) -> None:
    _create_vault(wizard)
    _go_to_remote(wizard)
    page = wizard.remote_page
    page.custom.click()
    page.base_url.setText("http://127.0.0.1:9/v1")  # the discard port: nothing listens
    page.model.setText("m")
    with qtbot.waitSignal(page.probe.failed, timeout=60_000):
        page.test_button.click()
    assert "127.0.0.1:9" in page.error.text()
    assert not page.capabilities.isVisible()


def test_with_a_keyring_the_key_and_the_api_key_go_there(
    qtbot: QtBot, paths: AppPaths, memory_keyring: MemoryKeyring
) -> None:
    keyring.set_keyring(memory_keyring)
    wizard = FirstRunWizard(VaultSession(paths), Settings(), paths)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.vault_page
    assert page.use_keyring.isChecked() and not page.passphrase.isEnabled()
    wizard.button(NEXT).click()
    assert wizard.state.session.state is VaultState.UNLOCKED
    assert "OS keyring" in wizard.state.session.key_description()
    _go_to_remote(wizard)
    remote = wizard.remote_page
    remote.custom.click()
    remote.base_url.setText("https://api.example.com/v1")
    remote.model.setText("big-model")
    remote.api_key.setText("sk-secret")
    wizard.button(NEXT).click()
    assert wizard.currentPage() is wizard.summary_page
    assert api_key_for("https://api.example.com/v1") == "sk-secret"
    wizard.state.session.lock()
    wizard.close()


def test_without_the_starter_model_the_demo_endpoint_says_so(
    wizard: FirstRunWizard, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cogenesis.adapters.models.starter_model_path", lambda: None)
    _create_vault(wizard)
    _go_to_remote(wizard)
    wizard.remote_page.demo.click()
    wizard.remote_page.test_button.click()
    assert "needs the starter model" in wizard.remote_page.error.text()
    assert wizard.demo is None and wizard.remote_page.isComplete()


def test_choosing_an_endpoint_leaves_offline_only_when_the_user_says_so(
    wizard: FirstRunWizard,
) -> None:
    _go_to_remote(wizard)
    page = wizard.remote_page
    assert wizard.settings.privacy_mode == "offline"
    page.demo.click()
    assert page.go_online.isVisibleTo(page) and page.go_online.isChecked()  # said, and asked
    page.go_online.setChecked(False)
    wizard.button(NEXT).click()
    assert wizard.currentPage() is wizard.summary_page
    assert wizard.settings.remote_provider == "demo"
    assert wizard.settings.privacy_mode == "offline"  # kept: nothing leaves until they say
    assert "kept, not used" in wizard.state.done["remote"]
    page.none.click()
    assert not page.go_online.isVisibleTo(page)


def test_no_alt_key_is_claimed_twice_on_any_page(wizard: FirstRunWizard) -> None:
    """Alt+U was both "Base URL" and "Use it now" on the endpoint page; the wizard's own
    buttons (Back, Next, Skip; Finish on the last page) share its keys."""
    kinds = QWizard.WizardButton
    buttons = [wizard.button(k).text() for k in (kinds.BackButton, kinds.CustomButton1)]
    *steps, last = wizard.pageIds()
    for page_id in steps:
        also = [*buttons, wizard.button(kinds.NextButton).text()]
        assert shared_mnemonics(wizard.page(page_id), also) == {}, wizard.page(page_id).title()
    finish = [*buttons, wizard.button(kinds.FinishButton).text()]
    assert shared_mnemonics(wizard.page(last), finish) == {}


def test_models_other_apps_keep_are_offered_on_the_model_page(
    qtbot: QtBot, wizard: FirstRunWizard, starter_path: Path, home: Path
) -> None:
    """A new user coming from GPT4All finds its models in the list, used where they are."""
    kept = home / ".local/share/nomic.ai/GPT4All/qwen2-1_5b-instruct-q4_0.gguf"
    kept.parent.mkdir(parents=True)
    kept.write_bytes(starter_path.read_bytes())
    wizard.skip()
    wizard.skip()
    page = wizard.model_page
    qtbot.waitUntil(lambda: page.looked)
    texts = [page.models.item(i).text() for i in range(page.models.count())]
    assert texts[1].startswith("qwen2-1_5b-instruct-q4_0\nfound in GPT4All's folder · 98 MB")
    assert page.chosen() is not None and page.chosen().source == "starter"  # still preselected
    page.models.setCurrentRow(1)
    wizard.button(NEXT).click()
    assert wizard.settings.local_model == str(kept)
    assert [e.source for e in page.catalog.entries()] == ["starter", "in place"]
