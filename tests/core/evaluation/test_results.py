"""results.jsonl: a line per finished answer; a resumed run skips what is there and runs
again what a kill cut in half."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cogenesis.core.errors import CogenesisError
from cogenesis.core.evaluation.results import Result, ResultStore


def test_results_are_read_back_on_resume(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    store = ResultStore(path, resume=False)
    store.add(Result("u1", "local", text="Hello", rouge_l=0.5, leaked=["ghent"]))
    store.add(Result("u1", "cloud", error="the privacy guard stopped a request", refused=1))
    again = ResultStore(path, resume=True)
    assert set(again.done) == {("u1", "local"), ("u1", "cloud")}
    assert again.done[("u1", "local")].leaked == ["ghent"]
    assert again.done[("u1", "cloud")].refused == 1


def test_a_line_cut_by_a_kill_is_dropped_and_its_answer_runs_again(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    ResultStore(path, resume=False).add(Result("u1", "local", text="kept"))
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"sample_id": "u2", "strategy": "local"})[:20])  # no newline
    store = ResultStore(path, resume=True)
    assert set(store.done) == {("u1", "local")}
    store.add(Result("u2", "local", text="again"))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["sample_id"] for line in lines] == ["u1", "u2"]


def test_results_are_not_overwritten_without_resume(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    ResultStore(path, resume=False).add(Result("u1", "local"))
    with pytest.raises(CogenesisError, match="already holds results") as raised:
        ResultStore(path, resume=False)
    assert "--resume" in raised.value.hint


def test_per_token_figures_divide_by_the_generated_tokens() -> None:
    result = Result("u1", "logit:shift", remote_calls=3, generated_tokens=30, sensitive_terms=4)
    result.leaked = ["a"]
    assert result.per_token(result.remote_calls) == pytest.approx(0.1)
    assert result.leakage == 0.25
    assert Result("u1", "local").per_token(3) is None
