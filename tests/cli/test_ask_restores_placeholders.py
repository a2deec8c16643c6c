"""Issue 16: `cogenesis ask` prints no placeholder in any mode. The cloud copies the public
part's labels ("[PERSON 1]"); the answer and the outline printed are shown with the real
values, while the line that says what left keeps the labels."""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path
from typing import Any

import pytest

from cogenesis.adapters.keystore import keystore_for
from cogenesis.core.paths import AppPaths
from cogenesis.core.privacy import build_index, make_public
from cogenesis.core.vault import VaultFiles, unlock_vault
from tests.cli.conftest import Cli
from tests.core.collab.scripted import ScriptedLocal, ScriptedRemote

PASSPHRASE = "lantern orchard 77"
REQUEST = "Write a birthday note from Ada Brook to Lena"
LABEL = re.compile(r"\[\[?[A-Z][A-Za-z ]*\d*\]\]?")


class CliLocal(ScriptedLocal):
    """The scripted local model where the CLI builds a LlamaLocalModel."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__()

    def twin(self) -> CliLocal:
        return self


class CliRemote(ScriptedRemote):
    def close(self) -> None:
        pass


@pytest.fixture
def scripted(cli: Cli, app_home: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The CLI's models replaced by scripted ones; a vault with Ada's profile; private mode."""
    made: dict[str, Any] = {"local": CliLocal(), "remote": CliRemote()}
    monkeypatch.setattr("cogenesis.adapters.llama.LlamaLocalModel", lambda *a, **k: made["local"])
    monkeypatch.setattr(
        "cogenesis.adapters.remote.factory.remote_from_settings", lambda *a: made["remote"]
    )
    monkeypatch.setattr(
        "cogenesis.adapters.remote.demo_if_chosen", lambda *a: contextlib.nullcontext()
    )
    assert cli("vault", "init", stdin=f"{PASSPHRASE}\n")[0] == 0
    profile = app_home / "ada.json"
    profile.write_text(json.dumps({"additional_profile": "Name: Ada Brook\nLocation: Leeds"}))
    assert cli("vault", "import", str(profile), stdin=f"{PASSPHRASE}\n")[0] == 0
    assert cli("settings", "set", "privacy_mode", "private")[0] == 0
    return made


def labels() -> dict[str, str]:
    """What the public part calls each name in REQUEST, with the CLI's own vault."""
    files = VaultFiles(AppPaths.default().vault_dir)
    with unlock_vault(files, keystore_for(files), PASSPHRASE) as vault:
        public = make_public(REQUEST, build_index(vault))
    return {r.original: r.placeholder for r in public.replacements}


def ask(cli: Cli, mode: str) -> tuple[int, str, str]:
    consent = ["--send-my-context"] if mode == "full" else []
    return cli("ask", "--mode", mode, *consent, REQUEST, stdin=f"{PASSPHRASE}\n")


def test_cloud_answers_are_printed_with_the_real_names(cli: Cli, scripted: dict[str, Any]) -> None:
    lena = labels()["Lena"]
    scripted["remote"].enqueue_chat(f"Dear {lena[:3]}", f"{lena[3:]}, from ", f"{lena}'s friend.")
    code, out, err = ask(cli, "cloud")
    assert code == 0, err
    assert out.strip() == "Dear Lena, from Lena's friend." and not LABEL.search(out)
    assert lena in err.split("[what the cloud sees of the request:")[1]  # what left: the label


def test_the_sketch_outline_and_answer_are_printed_with_the_real_names(
    cli: Cli, scripted: dict[str, Any]
) -> None:
    lena = labels()["Lena"]
    scripted["remote"].enqueue_chat(f"1. Greet {lena}\n2. Wish {lena} a good year")
    scripted["local"].enqueue("Dear Lena, a good year to you!")
    code, out, err = ask(cli, "sketch")
    assert code == 0, err
    outline = err.split("[outline from the cloud]")[1].split("[answer]")[0]
    assert "1. Greet Lena" in outline and not LABEL.search(outline)
    assert not LABEL.search(out)


def test_fused_tokens_are_printed_with_the_real_names(cli: Cli, scripted: dict[str, Any]) -> None:
    lena = labels()["Lena"]
    scripted["local"].prefers = scripted["remote"].says = f"Dear {lena}, happy day."
    assert cli("settings", "set", "fusion_rule", "product")[0] == 0  # no baseline model needed
    code, out, err = ask(cli, "logit")
    assert code == 0, err
    assert "Dear Lena, happy day." in out and not LABEL.search(out)


@pytest.mark.parametrize("mode", ["local", "full"])
def test_modes_without_a_public_part_print_what_the_model_wrote(
    cli: Cli, scripted: dict[str, Any], mode: str
) -> None:
    if mode == "full":
        assert cli("settings", "set", "privacy_mode", "full-context")[0] == 0
        scripted["remote"].enqueue_chat("Dear Lena, from Ada.")
    scripted["local"].enqueue("Dear Lena, from Ada.")
    code, out, err = ask(cli, mode)
    assert code == 0, err
    assert out.strip() == "Dear Lena, from Ada." and not LABEL.search(out)
