"""How many cores other programs keep busy, and a context's threads that follow it.

The app's own CPU time (this process and its children, such as the demo endpoint's server)
is left out: the thread budget already shares the cores between the app's own contexts.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import llama_cpp
import psutil

from cogenesis.core.llm.threads import Threads, fit_to_load

_BUSY_FIELDS = ("user", "nice", "system", "irq", "softirq", "steal")


class CpuLoad:
    """Cores busy outside this app since the previous ``sample`` (a few microseconds)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._me = psutil.Process()
        self._last = self._read()

    def sample(self) -> float:
        now = self._read()
        (t0, busy0, own0), (t1, busy1, own1) = self._last, now
        self._last = now
        wall = t1 - t0
        return max(0.0, ((busy1 - busy0) - (own1 - own0)) / wall) if wall > 0 else 0.0

    def _read(self) -> tuple[float, float, float]:
        times = psutil.cpu_times()
        busy = sum(getattr(times, name, 0.0) for name in _BUSY_FIELDS)
        own = self._me.cpu_times()
        mine = own.user + own.system + own.children_user + own.children_system
        for child in self._children():
            mine += child
        return self._clock(), busy, mine

    def _children(self) -> list[float]:
        """Running children's time (``children_*`` counts only those already waited for)."""
        spent = []
        for child in self._me.children(recursive=True):
            try:
                times = child.cpu_times()
            except psutil.Error:
                continue
            spent.append(times.user + times.system)
        return spent


class ThreadGovernor:
    """Keeps a llama.cpp context's threads at its share less the cores busy elsewhere.

    ``check`` is called before each decode; it looks at the load at most every ``interval``
    seconds and changes the context's threads only when the fitted count changes.
    """

    def __init__(
        self,
        ctx: llama_cpp.llama_context_p,
        share: Threads,
        cores: int,
        *,
        adaptive: bool = True,
        interval: float = 0.5,
        load: CpuLoad | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ctx, self._interval, self._clock = ctx, interval, clock
        self._given_load = load
        self._load: CpuLoad | None = None
        self.retarget(share, cores, adaptive=adaptive)

    def retarget(self, share: Threads, cores: int, *, adaptive: bool) -> None:
        """Follow another share from now on."""
        self.share, self._cores = share, cores
        if adaptive and self._load is None:
            self._load = self._given_load or CpuLoad(self._clock)
        elif not adaptive:
            self._load = None
        self._checked = self._clock()
        self._apply(share)

    def check(self) -> Threads:
        """The threads in use now (refitted when ``interval`` has passed)."""
        if self._load is None or self._clock() - self._checked < self._interval:
            return self.current
        self._checked = self._clock()
        fitted = fit_to_load(self.share, self._cores, self._load.sample())
        if fitted != self.current:
            self._apply(fitted)
        return self.current

    def _apply(self, threads: Threads) -> None:
        llama_cpp.llama_set_n_threads(self._ctx, threads.generation, threads.batch)
        self.current = threads
