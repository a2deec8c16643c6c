"""Threads: `cogenesis ask` as a user runs it, on a quiet machine and beside CPU-bound programs.

Each row runs the real command in a new process (a temporary COGENESIS_HOME with a vault and
the starter model) and reads the figures it prints: time to first token and decode tok/s
(tokens after the first over the time after the first). "busy N" runs N CPU-bound processes
(a Python busy loop each) during the command. The default settings are measured beside each
fixed thread count of a sweep, so the best setting under each load is in view.

THREADS_CONDITIONS (e.g. "0,1"), THREADS_SWEEP (e.g. "1,2"), THREADS_MODES ("local,sketch,
logit") and THREADS_REPEATS choose what runs.
"""

from __future__ import annotations

import contextlib
import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator

PASSPHRASE = "benchmark lantern 77"
INSTRUCTION = "Write a short note to my neighbour inviting them to a barbecue on Saturday."
MAX_TOKENS = 80
_DONE = re.compile(r"first token (\d+) ms, total (\d+) ms; remote calls (\d+), local tokens (\d+)")
_BUDGET = re.compile(r"\[(local model: [^\]]*)\]")
_SPIN = "while True: pass"


def _env(name: str, default: str) -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


def main() -> None:
    conditions = [int(v) for v in _env("THREADS_CONDITIONS", "0,1,2")]
    sweep = [int(v) for v in _env("THREADS_SWEEP", "1,2")]
    modes = _env("THREADS_MODES", "local,sketch,logit")
    repeats = int(os.environ.get("THREADS_REPEATS", "2"))
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "COGENESIS_HOME": home}
        _cli(env, "vault", "init", stdin=f"{PASSPHRASE}\n{PASSPHRASE}\n")
        print(
            f"# threads benchmark: `cogenesis ask --max-tokens {MAX_TOKENS}` with the starter "
            f"model, {os.cpu_count()} CPUs; median of {repeats}; busy N = N CPU-bound processes"
        )
        _ask(env, "local")  # warm-up: the model file into the page cache, imports compiled
        for mode in modes:
            settings = ["0", *(str(t) for t in sweep)] if mode == "local" else ["0"]
            for busy in conditions:
                for threads in settings:
                    _row(env, mode, busy, int(threads), repeats)


def _row(env: dict[str, str], mode: str, busy: int, threads: int, repeats: int) -> None:
    _settings(env, mode, threads)
    runs = []
    with _competitors(busy):
        for _ in range(repeats):
            runs.append(_ask(env, mode))
    first = statistics.median(r[0] for r in runs)
    rate = statistics.median(r[1] for r in runs)
    total = statistics.median(r[2] for r in runs)
    label = "default" if threads == 0 else f"threads={threads}"
    budget = runs[-1][3]
    print(
        f"{mode:<7} busy {busy}  {label:<10} first token {first / 1000:6.2f} s, "
        f"decode {rate:5.1f} tok/s, total {total / 1000:6.2f} s  [{budget}]",
        flush=True,
    )


def _settings(env: dict[str, str], mode: str, threads: int) -> None:
    _cli(env, "settings", "set", "threads", str(threads))
    _cli(env, "settings", "set", "privacy_mode", "private" if mode != "local" else "offline")
    if mode != "local":
        _cli(env, "remote", "demo", stdin="")


def _ask(env: dict[str, str], mode: str) -> tuple[float, float, float, str]:
    out = _cli(
        env,
        "ask",
        "--mode",
        mode,
        "--max-tokens",
        str(MAX_TOKENS),
        INSTRUCTION,
        stdin=PASSPHRASE + "\n",
    )
    found = _DONE.search(out)
    if found is None:
        raise RuntimeError(f"no figures in the output of cogenesis ask:\n{out[-2000:]}")
    first, total, _calls, tokens = (int(g) for g in found.groups())
    rate = (tokens - 1) / ((total - first) / 1000) if total > first and tokens > 1 else 0.0
    budget = _BUDGET.search(out)
    return first, rate, total, budget.group(1) if budget else "no local model"


def _cli(env: dict[str, str], *args: str, stdin: str = "") -> str:
    done = subprocess.run(
        [sys.executable, "-m", "cogenesis", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=1800,
    )
    if done.returncode != 0:
        raise RuntimeError(f"cogenesis {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout + done.stderr


@contextlib.contextmanager
def _competitors(count: int) -> Iterator[None]:
    procs = [subprocess.Popen([sys.executable, "-c", _SPIN]) for _ in range(count)]
    try:
        yield
    finally:
        for proc in procs:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    main()
