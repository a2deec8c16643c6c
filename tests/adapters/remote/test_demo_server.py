"""The demo endpoint: a real llama-cpp-python server process with the starter model."""

from __future__ import annotations

import http.client
import io
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from cogenesis.adapters.remote import (
    DEMO_LABEL,
    DemoServer,
    DemoServerError,
    OpenAIRemote,
    build_client,
    config_from_settings,
)
from cogenesis.adapters.remote.demo_server import SERVE_FLAG, serve_command
from cogenesis.core.egress import EgressContext, EgressLedger, egress_context, mode_guard
from cogenesis.core.errors import CogenesisError
from cogenesis.core.settings import Settings
from cogenesis.launcher import SERVE_DEMO, main
from devsupport.servers import SERVER_CAPABILITIES


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    # Variables the server would read from the environment must not move it off loopback.
    with pytest.MonkeyPatch.context() as env:
        env.setenv("HOST", "0.0.0.0")  # noqa: S104 (that is the point)
        env.setenv("PORT", "9")
        env.setenv("API_KEY", "would-lock-us-out")
        server = DemoServer(tmp_path_factory.mktemp("demo") / "demo.log")
        server.start()
    yield server
    server.stop()


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_it_listens_on_loopback_only(demo: DemoServer) -> None:
    assert demo.running and demo.process is not None
    listening = [
        c for c in psutil.Process(demo.process.pid).net_connections() if c.status == "LISTEN"
    ]
    assert [(c.laddr.ip, c.laddr.port) for c in listening] == [("127.0.0.1", demo.port)]
    assert demo.base_url == f"http://127.0.0.1:{demo.port}/v1"
    assert demo.label == DEMO_LABEL and "stand-in for a cloud model" in demo.label


def test_a_request_through_build_client_lands_in_the_ledger(
    demo: DemoServer, ledger: EgressLedger
) -> None:
    settings = Settings(remote_provider="demo", privacy_mode="private")
    config = config_from_settings(settings, demo)
    client = build_client(config, mode_guard, ledger)
    with egress_context(EgressContext("private", None, "demo-test")):
        reply = client.chat.completions.create(
            model=config.model,
            messages=[{"role": "user", "content": "Say hello to the harbour."}],
            max_tokens=4,
        )
    client.close()
    assert reply.choices[0].message.content
    (record,) = ledger.records()
    assert record.host.endswith(f":{demo.port}") and record.path == "/v1/chat/completions"
    assert b"Say hello to the harbour." in record.request_body
    assert record.outcome == "complete" and record.purpose == "demo-test"


def test_the_probe_finds_a_collaborator(demo: DemoServer, ledger: EgressLedger) -> None:
    config = demo.config()
    assert config.chat_template  # from the starter model: logit fusion can continue prefixes
    remote = OpenAIRemote(config, build_client(config, mode_guard, ledger))
    with egress_context(EgressContext("private", None, "probe")):
        capabilities = remote.probe()
    remote.close()
    assert capabilities == SERVER_CAPABILITIES
    assert capabilities.missing_for("sketch") == capabilities.missing_for("logit") == []
    assert len(ledger.records()) >= 5


def _status(port: int, method: str, path: str, headers: dict[str, str]) -> int:
    body: dict[str, object] = {"model": "demo", "max_tokens": 1}
    if "chat" in path:
        body["messages"] = [{"role": "user", "content": "hi"}]
    else:
        body["prompt"] = "hi"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        data = json.dumps(body) if method == "POST" else None
        conn.request(method, path, data, {"Content-Type": "application/json", **headers})
        return conn.getresponse().status
    finally:
        conn.close()


def test_it_answers_only_requests_with_its_key(demo: DemoServer, ledger: EgressLedger) -> None:
    """Another local process cannot use it: each start has a random key only the app holds."""
    for method, path in (
        ("POST", "/v1/chat/completions"),
        ("POST", "/v1/completions"),
        ("GET", "/v1/models"),
    ):
        for headers in ({}, {"Authorization": "Bearer bogus"}, {"Authorization": "Bearer "}):
            assert _status(demo.port, method, path, headers) == 401, (path, headers)
    key = demo.config().api_key
    assert len(key) >= 32
    assert _status(demo.port, "GET", "/v1/models", {"Authorization": f"Bearer {key}"}) == 200
    assert demo.process is not None
    assert key not in " ".join(psutil.Process(demo.process.pid).cmdline())  # not in ps output
    assert key not in repr(demo.config())
    # the app's own client sends it (and the ledger keeps it out of its records)
    config = demo.config()
    client = build_client(config, mode_guard, ledger)
    with egress_context(EgressContext("private", None, "demo-key")):
        reply = client.completions.create(model=config.model, prompt="Hello", max_tokens=2)
    client.close()
    assert reply.choices
    (record,) = ledger.records()
    assert key.encode() not in record.request_body and key not in json.dumps(record.request_headers)


def test_offline_mode_sends_nothing_to_it(demo: DemoServer, ledger: EgressLedger) -> None:
    config = demo.config()
    client = build_client(config, mode_guard, ledger)
    with pytest.raises(CogenesisError, match="offline"):
        client.chat.completions.create(
            model=config.model, messages=[{"role": "user", "content": "hi"}], max_tokens=1
        )
    client.close()
    assert [r.outcome for r in ledger.records()] == ["refused"]


def test_stop_leaves_no_process(tmp_path: Path) -> None:
    server = DemoServer(tmp_path / "demo.log")
    with server:
        assert server.process is not None
        pid, port = server.process.pid, server.port
        first_key = server.config().api_key
    with server:  # a new start, a new key
        assert server.config().api_key != first_key
        pid, port = server.process.pid, server.port
    assert not server.running and _gone(pid)
    assert not server.answers() and server.port == port
    with pytest.raises(CogenesisError, match="not running"):
        config_from_settings(Settings(remote_provider="demo"), server)
    server.stop()  # a second stop is harmless


def test_the_server_ends_with_the_app_even_when_the_app_is_killed(tmp_path: Path) -> None:
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from cogenesis.adapters.remote import DemoServer\n"
        f"server = DemoServer(Path({str(tmp_path / 'demo.log')!r}))\n"
        "server.start()\n"
        "print(server.process.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    app = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert app.stdout is not None
    server_pid = int(app.stdout.readline())
    assert not _gone(server_pid)
    app.kill()  # no atexit, no cleanup: only the closed pipe tells the server
    app.wait()
    app.stdout.close()
    deadline = time.monotonic() + 20
    while not _gone(server_pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _gone(server_pid)


def test_a_failed_start_quotes_the_server_output(tmp_path: Path) -> None:
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF" + b"\0" * 64)
    server = DemoServer(tmp_path / "demo.log", broken, startup_timeout=60)
    with pytest.raises(DemoServerError) as info:
        server.start()
    assert "exited with status" in info.value.message
    assert "Its last output:" in info.value.message and "(no output)" not in info.value.message
    assert str(tmp_path / "demo.log") in info.value.hint
    assert server.process is None


def test_a_frozen_app_starts_itself_with_the_hidden_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    assert SERVE_FLAG == SERVE_DEMO
    command = serve_command(Path("m.gguf"), 8123, context_size=1024, threads=3)
    assert command[:4] == [sys.executable, "-m", "cogenesis", SERVE_FLAG]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    frozen = serve_command(Path("m.gguf"), 8123, context_size=1024, threads=3)
    assert frozen[:2] == [sys.executable, SERVE_FLAG]
    assert frozen[2:] == command[4:]


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (Settings(), "No remote endpoint"),
        (Settings(remote_provider="custom"), "No remote endpoint"),
        (Settings(remote_provider="custom", remote_base_url="http://h/v1"), "No model"),
        (Settings(remote_provider="demo"), "not running"),
    ],
)
def test_config_from_settings_says_what_is_missing(settings: Settings, message: str) -> None:
    with pytest.raises(CogenesisError, match=message) as info:
        config_from_settings(settings)
    assert info.value.hint


def test_the_command_line_uses_the_demo_endpoint_for_one_command(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    passphrase = "harbour lights 2024"

    def run(*args: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "stdin", io.StringIO(f"{passphrase}\n"))
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    before = {p.pid for p in psutil.Process().children(recursive=True)}
    run("vault", "init")
    code, out, err = run("remote", "demo", "--privacy-mode", "private")
    assert code == 0 and "stand-in for a cloud model" in out and "offline -> private" in err
    code, out, err = run("remote", "test")
    assert code == 0, err
    assert "sketch: ready" in out and "logit: ready" in out
    code, out, err = run("ask", "--mode", "cloud", "--max-tokens", "8", "Plan a picnic")
    assert code == 0, err
    assert "what left this device: 1 request(s)" in err
    assert "POST 127.0.0.1:" in err and "/v1/chat/completions" in err
    after = {p.pid for p in psutil.Process().children(recursive=True)}
    assert after <= before  # each command stopped the server it started
