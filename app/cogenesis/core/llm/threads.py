"""One thread budget for every llama.cpp context the app runs.

llama.cpp's worker threads spin-wait for each other at every step of a decode. When they ask
for more cores than are free (another program is busy, or two of the app's contexts run at
once), each step waits for a thread the system has not scheduled, and generation falls ten
times or more (measured: docs/local-model.md, "Threads"). So:

- the contexts that may run at the same time share the physical cores: the local model (its
  twin takes turns with it on the same worker thread) and the demo endpoint's server process;
- while a context runs, its threads follow the load: the cores that other programs keep busy
  are taken out of its share (``fit_to_load``), and given back when they are free again;
- prompt (batch) and generation threads are chosen separately, as llama.cpp allows.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import psutil


@dataclass(frozen=True)
class Threads:
    """The threads of one llama.cpp context."""

    generation: int
    batch: int  # prompt processing

    def describe(self) -> str:
        if self.generation == self.batch:
            return f"{self.generation} thread{'s' if self.generation > 1 else ''}"
        return f"{self.generation} threads ({self.batch} for prompts)"


@dataclass(frozen=True)
class ThreadBudget:
    """What each context may use, and whether it follows the machine's load."""

    cores: int
    local: Threads  # the local model and its twin (they never run at the same time)
    demo: Threads  # the built-in demo endpoint's server, when it runs
    adaptive: bool  # False when the user chose the local model's threads
    with_demo: bool = False  # the demo endpoint runs beside the local model

    def describe(self) -> str:
        text = f"local model: {self.local.describe()}"
        if self.with_demo:
            text += f"; demo endpoint: {self.demo.describe()}"
        text += f" of {self.cores} core{'s' if self.cores > 1 else ''}"
        return text + (", fewer while other programs are busy" if self.adaptive else "")


def plan_threads(
    cores: int, *, demo: bool = False, generation: int = 0, batch: int = 0
) -> ThreadBudget:
    """The budget on ``cores`` physical cores; ``demo``: the demo endpoint runs beside the
    local model. ``generation`` / ``batch``: the user's choice for the local model (0:
    automatic); a choice is kept as it is, and the demo endpoint gets what is left."""
    cores = max(1, cores)
    demo_share = max(1, cores // 2) if demo and cores > 1 else (1 if demo else 0)
    local_share = max(1, cores - demo_share)
    local = Threads(generation or local_share, batch or generation or local_share)
    left = max(1, cores - local.generation) if demo else demo_share or 1
    adaptive = not generation and not batch
    return ThreadBudget(cores, local, Threads(left, left), adaptive, with_demo=demo)


def fit_to_load(share: Threads, cores: int, busy_elsewhere: float) -> Threads:
    """``share`` less the cores that other programs keep busy (``busy_elsewhere``, in cores,
    measured over the last moments); at least one thread each."""
    free = cores - _whole_cores(busy_elsewhere)
    return Threads(_clamp(share.generation, free), _clamp(share.batch, free))


def _whole_cores(busy: float) -> int:
    """A core counts as taken from a third of its time on: one spinning thread that waits
    that often already costs more than the core gives."""
    return int(max(0.0, busy) + 2 / 3)


def _clamp(threads: int, free: int) -> int:
    return max(1, min(threads, free))


def physical_cores() -> int:
    """Physical cores (hyper-threads slow llama.cpp down); at least 1."""
    return max(1, psutil.cpu_count(logical=False) or os.cpu_count() or 1)
