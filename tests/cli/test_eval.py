"""Issue 19: `cogenesis eval` and `cogenesis synth` as a user runs them: real models and a
real server on loopback (the starter model), a scripted endpoint for the judge and synth."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from cogenesis.core.collab.engine import Engine
from cogenesis.core.evaluation.dataset import load_samples
from cogenesis.core.privacy.public import PublicText
from devsupport.scripted_chat import ScriptedChat
from devsupport.servers import CppLlamaServer
from tests.cli.conftest import Cli
from tests.core.evaluation.samples import SAMPLES, write_dataset

STRATEGIES = "local,cloud,full,sketch,logit"


def results_of(out: Path) -> list[dict[str, Any]]:
    lines = (out / "results.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_every_strategy_on_two_samples_writes_results_and_a_report(
    cli: Cli, tmp_path: Path, starter_path: Path, cpp_server: CppLlamaServer
) -> None:
    dataset = write_dataset(tmp_path / "d.json")
    out = tmp_path / "run"
    code, _printed, err = cli(
        "eval", "personalization", "--dataset", str(dataset), "--limit", "2",
        "--strategies", STRATEGIES, "--local-model", str(starter_path),
        "--remote-url", cpp_server.base_url, "--remote-model", "starter",
        "--remote-chat-template-from-gguf", str(starter_path),
        "--max-tokens", "16", "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    found = results_of(out)
    names = ["local", "cloud", "full", "sketch", "logit:shift"]
    assert [(r["sample_id"], r["strategy"]) for r in found] == [
        (s, n) for s in ("u1", "u2") for n in names
    ]
    by = {(r["sample_id"], r["strategy"]): r for r in found}
    for key, result in by.items():
        assert result["text"].strip() and not result["error"], key
        assert 0.0 <= result["rouge_l"] <= 1.0
    assert by[("u1", "local")]["requests"] == 0  # nothing left for the local answer
    assert by[("u1", "logit:shift")]["remote_calls"] >= 1
    # the full strategy sends the context by design; the others send no sensitive term
    assert any("marisol quenby" in by[("u1", "full")]["leaked"] for _ in [0])
    for name in ("cloud", "sketch", "logit:shift"):
        assert by[("u1", name)]["leaked"] == [], name
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "| `sketch` | 2 | 2 | 0 |" in report
    assert "Gap closure" in report and "![rouge-l.png](rouge-l.png)" in report
    assert (out / "rouge-l.png").stat().st_size > 1000


def test_a_refused_request_is_a_result_and_the_run_goes_on(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A detector gap: the public part of the first sample keeps the user's name (the public
    builder is made to miss it). The guard, the second line, stops that request; the run
    records the refusal and goes on to the next sample, whose answer goes out."""
    real = Engine.public_text

    def missing_the_name(self: Engine, text: str, placeholders: object = None) -> PublicText:
        if "Marisol Quenby" in text:
            return PublicText(text, ())
        return real(self, text, placeholders)  # type: ignore[arg-type]

    monkeypatch.setattr(Engine, "public_text", missing_the_name)
    leaky = dict(SAMPLES[0])
    leaky["conversations"] = [
        {"from": "human", "value": "Note: Write a note that Marisol Quenby is away."},
        {"from": "gpt", "value": "Marisol is away."},
    ]
    dataset = write_dataset(tmp_path / "d.json", [leaky, SAMPLES[1]])
    with ScriptedChat(lambda _messages: "An answer.") as endpoint:
        code, _, err = cli(
            "eval", "personalization", "--dataset", str(dataset), "--strategies", "cloud",
            "--remote-url", endpoint.base_url, "--remote-model", "m",
            "--out", str(tmp_path / "run"),
        )  # fmt: skip
        sent = [json.dumps(r) for r in endpoint.requests]
    assert code == 0, err
    refused, answered = results_of(tmp_path / "run")
    assert refused["refused"] == 1 and "privacy guard" in refused["error"]
    assert refused["requests"] == 0 and refused["leaked"] == [] and refused["text"] == ""
    assert answered["text"] == "An answer." and answered["refused"] == 0
    assert not any("Quenby" in body for body in sent)  # it never reached the endpoint
    report = (tmp_path / "run" / "report.md").read_text(encoding="utf-8")
    assert "| `cloud` | 2 | 1 | 1 |" in report  # two samples, one answered, one refused


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_resume_after_a_kill_neither_repeats_nor_loses_an_answer(
    tmp_path: Path, starter_path: Path
) -> None:
    dataset = write_dataset(tmp_path / "d.json")
    out = tmp_path / "run"
    command = [
        sys.executable, "-m", "cogenesis", "eval", "personalization", "--dataset",
        str(dataset), "--strategies", "local", "--local-model", str(starter_path),
        "--max-tokens", "64", "--out", str(out),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "app")}
    process = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
    results = out / "results.jsonl"
    deadline = time.monotonic() + 300
    while not (results.exists() and results.read_bytes().count(b"\n") >= 1):
        assert process.poll() is None, "the run ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    before = results_of(out)
    assert 1 <= len(before) < 3, "killed too late to show a resume"
    done = subprocess.run([*command, "--resume"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    after = results_of(out)
    assert after[: len(before)] == before  # kept as they were
    assert sorted(r["sample_id"] for r in after) == ["u1", "u2", "u3"]  # once each
    assert f"{3 - len(before)} to run, {len(before)} already done" in done.stderr


def judge_reply(messages: list[dict[str, str]]) -> str:
    user = messages[-1]["content"]
    if "only how personal" in user:
        return "It mentions the garden club.\nScore: 8"
    return "Reasonable.\nScore: 5"


def test_the_judge_scores_each_answer_and_its_prompts_and_replies_are_kept(
    cli: Cli, tmp_path: Path
) -> None:
    dataset = write_dataset(tmp_path / "d.json")
    with (
        ScriptedChat(lambda _m: "Dear friends, see you at the club.") as remote,
        ScriptedChat(judge_reply) as judge,
    ):
        code, _, err = cli(
            "eval", "personalization", "--dataset", str(dataset), "--strategies", "cloud",
            "--limit", "2", "--remote-url", remote.base_url, "--remote-model", "m",
            "--judge-url", judge.base_url, "--judge-model", "judge",
            "--out", str(tmp_path / "run"),
        )  # fmt: skip
        judged = judge.requests
    assert code == 0, err
    first, _second = results_of(tmp_path / "run")
    assert first["judge"]["personalization"]["score"] == 8
    assert first["judge"]["overall"]["score"] == 5
    assert first["judge"]["quality"]["reply"] == "Reasonable.\nScore: 5"
    assert len(judged) == 6  # three criteria, two answers
    assert "Marisol Quenby" not in judged[2]["messages"][-1]["content"]  # quality: no profile
    report = (tmp_path / "run" / "report.md").read_text(encoding="utf-8")
    assert "judge: personalization" in report and "| 8.00 |" in report
    logged = (tmp_path / "run" / "judge-requests.jsonl").read_text(encoding="utf-8")
    assert logged.count("\n") == 6


def test_eval_privacy_writes_a_report_of_what_leaked(cli: Cli, tmp_path: Path) -> None:
    csv_file = tmp_path / "q.csv"
    csv_file.write_text(
        "conversation_hash,predicted_category,user_query,pii_units\n"
        'a,job,"Email jane.roe@example.org about the Leeds office",jane.roe@example.org||leeds\n',
        encoding="utf-8",
    )
    code, printed, err = cli("eval", "privacy", "--dataset", str(csv_file), "--out", str(tmp_path))
    assert code == 0, err
    assert "PII units counted 2" in printed
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "contains private text" in report and "| job | 1 | 2 |" in report


def synth_reply(messages: list[dict[str, str]]) -> str:
    user = messages[-1]["content"]
    if user.startswith("Describe"):
        return json.dumps([{"group": "Night nurses", "portrait": "They work nights."}])
    if user.startswith("Invent"):
        keys = user.split("keys: ")[1].split(".")[0]
        return json.dumps({k.strip(' "'): "Detail; more" for k in keys.split(",")})
    if "writing tasks" in user:
        return json.dumps([f"Task {i}: do thing {i}" for i in range(6)])
    return json.dumps({"text": "Written as them."})


def test_synth_builds_a_dataset_eval_reads_and_resumes(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "mine.jsonl"
    with ScriptedChat(synth_reply) as endpoint:
        args = ("synth", "--out", str(out), "--remote-url", endpoint.base_url,
                "--remote-model", "m")  # fmt: skip
        code, printed, err = cli(*args, "--users", "2")
        assert code == 0, err
        assert "2 sample(s)" in printed
        code, _, err = cli(*args, "--users", "2")
        assert code == 1 and "--resume" in err
        code, printed, err = cli(*args, "--users", "3", "--resume")
        assert code == 0, err
    samples = load_samples(out)
    assert [s.id for s in samples] == ["synth-1", "synth-2", "synth-3"]
    assert (tmp_path / "mine.requests.jsonl").exists()
