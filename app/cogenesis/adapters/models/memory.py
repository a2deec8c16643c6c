"""How much memory this computer has for a model: free RAM, and the GPUs' free memory.

NVIDIA GPUs are read with ``nvidia-smi`` (installed with the driver); on Apple silicon the
GPU shares the RAM. Other GPUs are not measured: the hint then speaks of RAM alone.
"""

from __future__ import annotations

import logging
import platform
import shutil
import subprocess
import sys

import psutil

from cogenesis.core.llm.fit import GpuMemory, MachineMemory

log = logging.getLogger(__name__)
_MIB = 1024 * 1024
_QUERY = ["--query-gpu=name,memory.total,memory.free", "--format=csv,noheader,nounits"]


def machine_memory() -> MachineMemory:
    """Free RAM now, the NVIDIA GPUs found, and this llama.cpp build's GPU backend."""
    from cogenesis.adapters.llama.device import gpu_backend  # loads llama.cpp: only when asked

    return MachineMemory(
        ram_available=psutil.virtual_memory().available,
        gpus=nvidia_gpus(),
        gpu_backend=gpu_backend(),
        unified=sys.platform == "darwin" and platform.machine() == "arm64",
    )


def nvidia_gpus(timeout: float = 5.0) -> tuple[GpuMemory, ...]:
    """Each NVIDIA GPU's name and memory, from ``nvidia-smi``; none if it is absent or fails."""
    command = shutil.which("nvidia-smi")
    if command is None:
        return ()
    try:
        done = subprocess.run(
            [command, *_QUERY], capture_output=True, text=True, timeout=timeout, check=True
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.info("nvidia-smi gave no answer: %s", exc)
        return ()
    return tuple(gpu for line in done.stdout.splitlines() if (gpu := _parse(line)))


def _parse(line: str) -> GpuMemory | None:
    """``NVIDIA H200, 143771, 143100`` (name, total MiB, free MiB)."""
    name, _, numbers = line.strip().rpartition(", ")
    name, _, total = name.rpartition(", ")
    if not (name and total.isdigit() and numbers.isdigit()):
        return None
    return GpuMemory(name, int(numbers) * _MIB, int(total) * _MIB)
