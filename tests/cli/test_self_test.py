"""Issue 20: `cogenesis --self-test` from source: every step passes on a working install,
and a broken one fails with the step named and exit code 1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cogenesis.self_test import run_self_test


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_the_self_test_passes_on_this_installation(tmp_path: Path) -> None:
    env = {**os.environ, "COGENESIS_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "cogenesis", "--self-test"],
        env=env,
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (verdict,) = done.stdout.splitlines()
    assert verdict.startswith("self-test passed")
    for step in ("vault:", "local model:", "sketch:", "window:"):
        assert step in verdict
    assert "the private name not among them" in verdict
    assert not any(tmp_path.iterdir()), "the self-test wrote into the user's home"


def test_a_missing_model_fails_the_self_test_and_names_the_step(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("cogenesis.adapters.models.starter_model_path", lambda: None)
    assert run_self_test() == 1
    verdict = capsys.readouterr().out
    assert verdict.startswith("self-test FAILED")
    assert "local model: the starter model is not in this installation" in verdict
    assert "sketch" not in verdict  # it stops at the first failure
