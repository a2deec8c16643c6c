"""Bad input through the real command line: a clear message and exit 1, never a traceback
(issue 17, items 3, 4, 6 and 7)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cogenesis.core import settings as settings_module
from cogenesis.core.errors import SettingsError
from tests.cli.conftest import saved_settings

PASSPHRASE = "lantern orchard 77"


# -- item 3: tracebacks instead of messages ------------------------------------------------


def test_importing_deeply_nested_json_says_so(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("vault", "init", stdin=f"{PASSPHRASE}\n")
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    code, _, err = cli("vault", "import", str(deep), stdin=f"{PASSPHRASE}\n")
    assert code == 1
    assert "nested too deeply" in err and "nothing was imported" in err


def test_a_stored_url_with_a_broken_host_is_an_error_not_a_traceback(  # type: ignore[no-untyped-def]
    cli, app_home: Path
) -> None:
    """A settings file written before URLs were checked (or by hand) may hold one."""
    cli("vault", "init", stdin=f"{PASSPHRASE}\n")
    config = app_home / "config" / "settings.json"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        json.dumps(
            {
                "schema_version": 2,
                "privacy_mode": "private",
                "remote_provider": "custom",
                "remote_base_url": "http://[::1",
                "remote_model": "m",
            }
        )
    )
    code, _, err = cli("remote", "test", stdin=f"{PASSPHRASE}\n")
    assert code == 1
    assert "base URL" in err and "cogenesis remote set --base-url" in err


# -- item 4: remote set checks the URL and keeps the privacy mode --------------------------


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("", "empty"),
        ("not a url", "http:// or https://"),
        ("javascript:alert(1)", "http:// or https://"),
        ("ftp://files.example.com/v1", "http:// or https://"),
        ("http://", "no host"),
        ("https:///v1", "no host"),
        ("http://[::1", "not a valid"),
        ("http://example.com:99999/v1", "port"),
        ("http://example.com:0/v1", "port"),
        ("http://example.com:abc/v1", "port"),
        ("http://user:secret@example.com/v1", "user name or password"),
        ("http://exa mple.com/v1", "host"),
        ("http://1.2.3.999/v1", "IPv4"),
        ("http://example.com/v1#frag", "fragment"),
    ],
)
def test_remote_set_refuses_a_bad_base_url(  # type: ignore[no-untyped-def]
    cli, app_home: Path, url: str, problem: str
) -> None:
    code, out, err = cli("remote", "set", "--base-url", url, "--model", "m")
    assert code == 1, out
    assert problem in err and "Traceback" not in err
    assert "https://api.openai.com/v1" in err  # says what a good one looks like
    assert not (app_home / "config" / "settings.json").exists()  # nothing was saved


@pytest.mark.parametrize(
    ("url", "stored"),
    [
        ("https://api.openai.com/v1/", "https://api.openai.com/v1"),
        ("HTTP://LocalHost:8080/v1", "http://localhost:8080/v1"),
        ("  http://127.0.0.1:1234/v1  ", "http://127.0.0.1:1234/v1"),
        ("http://[::1]:8000/v1", "http://[::1]:8000/v1"),
        ("https://example.com", "https://example.com"),
    ],
)
def test_check_base_url_normalises(url: str, stored: str) -> None:
    assert settings_module.check_base_url(url) == stored


def test_check_base_url_raises_a_settings_error_with_a_hint() -> None:
    with pytest.raises(SettingsError) as info:
        settings_module.check_base_url("http://")
    assert info.value.hint


def test_remote_set_keeps_the_privacy_mode(cli, app_home: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli("remote", "set", "--base-url", "http://127.0.0.1:9/v1/", "--model", "m")
    assert code == 0, err
    settings = saved_settings(app_home)
    assert settings["privacy_mode"] == "offline"
    assert settings["remote_base_url"] == "http://127.0.0.1:9/v1"
    assert "offline" in err and "cogenesis settings set privacy_mode private" in err
    code, _, err = cli("remote", "demo")
    assert code == 0 and saved_settings(app_home)["privacy_mode"] == "offline"
    assert "cogenesis settings set privacy_mode private" in err


def test_remote_set_changes_the_privacy_mode_only_when_asked(  # type: ignore[no-untyped-def]
    cli, app_home: Path
) -> None:
    code, _, err = cli(
        "remote",
        "set",
        "--base-url",
        "http://127.0.0.1:9/v1",
        "--model",
        "m",
        "--privacy-mode",
        "private",
    )
    assert code == 0, err
    assert saved_settings(app_home)["privacy_mode"] == "private"
    assert "offline -> private" in err
    code, _, err = cli("remote", "set", "--base-url", "http://127.0.0.1:9/v1", "--model", "m")
    assert code == 0 and saved_settings(app_home)["privacy_mode"] == "private"  # kept, not reset
