"""Offline mode starts nothing remote: `ask` in a mode that sends refuses before the demo
endpoint starts, and the window does not start it either."""

from __future__ import annotations

import io
import sys
from dataclasses import replace

import pytest

from cogenesis.adapters.remote.demo_server import DemoServer
from cogenesis.core.paths import AppPaths
from cogenesis.core.policy import needs_remote
from cogenesis.core.settings import Settings, load_settings, save_settings
from cogenesis.launcher import main

PASSPHRASE = "tangerine submarine 42"


@pytest.fixture
def no_demo_start(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    started: list[str] = []

    def start(self: DemoServer, *args: object, **kwargs: object) -> None:
        started.append("demo endpoint")
        raise AssertionError("the demo endpoint was started in offline mode")

    monkeypatch.setattr(DemoServer, "start", start)
    return started


@pytest.mark.parametrize("mode", ["sketch", "logit", "cloud", "full"])
def test_ask_offline_refuses_before_starting_the_demo_endpoint(
    mode: str,
    no_demo_start: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    paths = AppPaths.default()
    save_settings(replace(Settings(), remote_provider="demo"), paths.settings_file)
    assert load_settings(paths.settings_file).privacy_mode == "offline"
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{PASSPHRASE}\n"))
    assert main(["vault", "init"]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{PASSPHRASE}\n"))
    code = main(["ask", "--mode", mode, "Say hello."])
    err = capsys.readouterr().err
    assert code != 0 and "not allowed in the 'offline' privacy mode" in err
    assert no_demo_start == []


def test_only_offline_needs_no_remote() -> None:
    assert not needs_remote("offline")
    assert all(needs_remote(m) for m in ("private", "cloud-no-context", "full-context"))
