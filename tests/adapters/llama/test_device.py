"""Device choice on this CPU-only build, and the fallback when a GPU load fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from cogenesis.adapters.llama import LlamaLocalModel, device, model
from cogenesis.adapters.llama.device import physical_cores, plan_device


def test_cpu_only_build_explains_the_fallback() -> None:
    assert plan_device("cpu").note == "CPU chosen in settings"
    auto = plan_device("auto")
    assert (auto.device, auto.gpu_layers) == ("CPU", 0)
    assert "CPU-only build" in auto.note
    assert "CPU-only build" in plan_device("gpu").note


def test_gpu_build_offloads_every_layer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(device, "gpu_backend", lambda: "CUDA")
    plan = plan_device("auto")
    assert (plan.device, plan.gpu_layers, plan.note) == ("CUDA", -1, "")


def test_failed_gpu_load_falls_back_to_cpu(
    monkeypatch: pytest.MonkeyPatch, starter_path: Path
) -> None:
    monkeypatch.setattr(model, "plan_device", lambda choice: device.DevicePlan("CUDA", -1))
    real = model._llama

    def gpu_fails(path: Path, n_ctx: int, n_batch: int, threads: int, gpu_layers: int):  # type: ignore[no-untyped-def]
        if gpu_layers:
            raise ValueError("Failed to create llama_context: out of device memory")
        return real(path, n_ctx, n_batch, threads, gpu_layers)

    monkeypatch.setattr(model, "_llama", gpu_fails)
    with LlamaLocalModel(starter_path, context_size=256) as loaded:
        assert loaded.info.device == "CPU"
        assert "CUDA load failed" in loaded.info.device_note
        assert "out of device memory" in loaded.info.device_note


def test_threads_default_to_physical_cores(starter_path: Path) -> None:
    with LlamaLocalModel(starter_path, context_size=256) as loaded:
        assert loaded.info.threads == physical_cores()
