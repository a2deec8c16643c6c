"""Issue 18: `remote set` for another endpoint or model does not keep the previous chat
template (a silent mismatch rendered prompts the new model was never trained on)."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Cli, saved_settings


def test_a_new_endpoint_drops_the_previous_template_and_says_so(
    cli: Cli, app_home: Path, tmp_path: Path
) -> None:
    template = tmp_path / "chatml.jinja"
    template.write_text("{% for m in messages %}<|im_start|>{{ m.content }}{% endfor %}")
    a = ("remote", "set", "--base-url", "http://127.0.0.1:8001/v1", "--model", "a")
    assert cli(*a, "--chat-template-file", str(template))[0] == 0
    assert saved_settings(app_home)["remote_chat_template"]
    assert cli(*a)[0] == 0  # the same endpoint and model again: kept
    assert saved_settings(app_home)["remote_chat_template"]
    code, _, err = cli("remote", "set", "--base-url", "http://127.0.0.1:8002/v1", "--model", "b")
    assert code == 0
    assert saved_settings(app_home)["remote_chat_template"] == ""
    assert saved_settings(app_home)["remote_capabilities"] == {}
    assert "chat template is not kept" in err and "--chat-template-from-gguf" in err
