"""`cogenesis remote set / test / ledger` against the loopback server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cogenesis.adapters.models import starter_model_path
from devsupport.servers import LlamaServer
from tests.adapters.remote.conftest import run_cli

PASSPHRASE = "harbour lights 2024"


def test_set_test_and_ledger(
    llama_server: LlamaServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    app_home: Path,
) -> None:
    code, _, err = run_cli(capsys, monkeypatch, "remote", "test")
    assert code == 1 and "No remote endpoint" in err
    run_cli(capsys, monkeypatch, "vault", "init", stdin=f"{PASSPHRASE}\n")
    code, out, err = run_cli(
        capsys,
        monkeypatch,
        "remote",
        "set",
        "--base-url",
        llama_server.base_url,
        "--model",
        "starter",
        "--chat-template-from-gguf",
        str(starter_model_path()),
        "--privacy-mode",
        "private",
    )
    assert code == 0 and "offline -> private" in err
    code, out, err = run_cli(capsys, monkeypatch, "remote", "test", stdin=f"{PASSPHRASE}\n")
    assert code == 0, err
    assert "prefix continuation:        completions" in out
    assert "sketch: ready" in out and "logit: ready" in out
    settings = json.loads((app_home / "config" / "settings.json").read_text())
    assert settings["remote_capabilities"]["max_top_logprobs"] == 100
    code, out, _ = run_cli(capsys, monkeypatch, "remote", "ledger", stdin=f"{PASSPHRASE}\n")
    assert "/v1/chat/completions" in out and "[private, allowed]" in out
    assert "requests (0 refused)" in out


def test_offline_mode_refuses_the_probe(
    llama_server: LlamaServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run_cli(capsys, monkeypatch, "vault", "init", stdin=f"{PASSPHRASE}\n")
    run_cli(
        capsys,
        monkeypatch,
        "remote",
        "set",
        "--base-url",
        llama_server.base_url,
        "--model",
        "starter",
    )
    run_cli(capsys, monkeypatch, "settings", "set", "privacy_mode", "offline")
    code, _, err = run_cli(capsys, monkeypatch, "remote", "test", stdin=f"{PASSPHRASE}\n")
    assert code == 1 and "offline mode" in err and "Nothing was sent" in err
    code, out, _ = run_cli(capsys, monkeypatch, "remote", "ledger", stdin=f"{PASSPHRASE}\n")
    assert "refused" in out and "1 refused" in out


def test_ask_streams_an_answer_and_lists_the_egress(
    llama_server: LlamaServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def ask(mode: str) -> tuple[int, str, str]:
        question = "Say hello to my friends in Lisbon."
        args = ("ask", "--mode", mode, "--max-tokens", "12", question)
        return run_cli(capsys, monkeypatch, *args, stdin=f"{PASSPHRASE}\n")

    run_cli(capsys, monkeypatch, "vault", "init", stdin=f"{PASSPHRASE}\n")
    (llama_server.log_file.parent / "user.json").write_text(
        json.dumps({"additional_profile": "Name: Ada Byron\nLocation: Lisbon"})
    )
    run_cli(
        capsys,
        monkeypatch,
        "vault",
        "import",
        str(llama_server.log_file.parent / "user.json"),
        stdin=f"{PASSPHRASE}\n",
    )
    code, out, err = ask("local")
    assert code == 0 and out.strip() and "nothing left this device" in err
    run_cli(
        capsys,
        monkeypatch,
        "remote",
        "set",
        "--base-url",
        llama_server.base_url,
        "--model",
        "starter",
        "--chat-template-from-gguf",
        str(starter_model_path()),
        "--privacy-mode",
        "private",
    )
    code, out, err = ask("sketch")
    assert code == 0 and out.strip(), err
    assert "[what the cloud sees of the request: Say hello to my friends in [PLACE 1].]" in err
    assert "[outline from the cloud]" in err and "what left this device: 1 request(s)" in err
    code, out, err = ask("logit")  # logit fusion (shift, the default), its public side on a twin
    assert code == 0 and out.strip(), err
    assert "what left this device:" in err and "Lisbon" not in err.split("what left")[1]
