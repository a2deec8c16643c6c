"""Reading GPU memory from nvidia-smi (a stand-in script on PATH: these machines have no
GPU; its lines are nvidia-smi's own csv,noheader,nounits format)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from cogenesis.adapters.models.memory import machine_memory, nvidia_gpus
from cogenesis.core.llm.fit import GpuMemory

MIB = 1024 * 1024


def put_nvidia_smi(folder: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> None:
    script = folder / "nvidia-smi"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")


def test_gpus_are_read_from_nvidia_smi(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    put_nvidia_smi(
        tmp_path,
        monkeypatch,
        'case "$*" in *memory.free*) ;; *) exit 9;; esac\n'
        "echo 'NVIDIA H200, 143771, 143100'\necho 'NVIDIA GeForce RTX 4090, 24564, 20000'",
    )
    assert nvidia_gpus() == (
        GpuMemory("NVIDIA H200", 143100 * MIB, 143771 * MIB),
        GpuMemory("NVIDIA GeForce RTX 4090", 20000 * MIB, 24564 * MIB),
    )
    assert machine_memory().gpu_free == (143100 + 20000) * MIB


def test_unreadable_lines_and_failures_mean_no_gpu(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    put_nvidia_smi(tmp_path, monkeypatch, "echo 'Some GPU, [N/A], [N/A]'")
    assert nvidia_gpus() == ()
    put_nvidia_smi(tmp_path, monkeypatch, "echo 'NVIDIA-SMI has failed' >&2; exit 9")
    assert nvidia_gpus() == ()
    put_nvidia_smi(tmp_path, monkeypatch, "exec sleep 5")
    assert nvidia_gpus(timeout=0.2) == ()


def test_without_nvidia_smi_there_is_ram_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    memory = machine_memory()
    assert memory.gpus == () and memory.ram_available > 0
