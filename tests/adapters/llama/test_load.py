"""The thread governor: a context's threads follow the load of the rest of the machine."""

from __future__ import annotations

import subprocess
import sys
import time

from cogenesis.adapters.llama import LlamaLocalModel
from cogenesis.adapters.llama.load import CpuLoad, ThreadGovernor
from cogenesis.core.llm.threads import Threads


class ScriptedLoad(CpuLoad):
    """Cores busy elsewhere, as scripted."""

    def __init__(self, *busy: float) -> None:
        self.busy = list(busy)

    def sample(self) -> float:
        return self.busy.pop(0)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_threads_drop_while_a_core_is_busy_and_come_back(model: LlamaLocalModel) -> None:
    clock = Clock()
    load = ScriptedLoad(0.0, 0.9, 1.0, 0.1)
    governor = ThreadGovernor(model._ctx.ctx, Threads(2, 2), 2, load=load, clock=clock)
    seen = []
    for _ in range(4):
        clock.now += 0.6
        seen.append(governor.check())
    assert seen == [Threads(2, 2), Threads(1, 1), Threads(1, 1), Threads(2, 2)]


def test_the_load_is_looked_at_only_every_interval(model: LlamaLocalModel) -> None:
    clock = Clock()
    load = ScriptedLoad(1.0)
    governor = ThreadGovernor(model._ctx.ctx, Threads(2, 2), 2, load=load, clock=clock)
    clock.now += 0.1
    assert governor.check() == Threads(2, 2) and load.busy == [1.0]  # too soon to look


def test_a_fixed_share_never_changes(model: LlamaLocalModel) -> None:
    governor = ThreadGovernor(model._ctx.ctx, Threads(2, 2), 2, adaptive=False)
    assert governor.check() == Threads(2, 2)


def test_the_apps_own_child_counts_as_its_own_time() -> None:
    load = CpuLoad()
    before = load._read()[2]
    spin = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.8)
        mine = load._read()[2] - before  # the demo endpoint's server is such a child
    finally:
        spin.kill()
        spin.wait()
    assert mine > 0.3


def test_the_load_of_a_program_the_app_did_not_start_is_seen() -> None:
    load = CpuLoad()
    orphan = (  # a grandchild whose parent exits: it is no longer the app's
        "import subprocess, sys; subprocess.Popen([sys.executable, '-c', 'import time\\n"
        "end = time.time() + 1.5\\nwhile time.time() < end: pass'], start_new_session=True)"
    )
    subprocess.run([sys.executable, "-c", orphan], check=True)
    load.sample()
    time.sleep(0.8)
    assert load.sample() > 0.5
