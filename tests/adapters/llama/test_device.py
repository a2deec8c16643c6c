"""Device choice on this CPU-only build, and the fallback when a GPU load fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from cogenesis.adapters.llama import LlamaLocalModel, device, model
from cogenesis.adapters.llama.device import plan_device
from cogenesis.core.llm.threads import Threads, physical_cores, plan_threads


def test_cpu_only_build_explains_the_fallback() -> None:
    assert plan_device("cpu").note == "CPU chosen in settings"
    auto = plan_device("auto")
    assert (auto.device, auto.gpu_layers) == ("CPU", 0)
    assert "CPU-only build" in auto.note
    assert not auto.fallback and not plan_device("cpu").fallback  # the CPU is the device
    asked = plan_device("gpu")
    assert "CPU-only build" in asked.note and asked.fallback  # a GPU was asked for


def test_gpu_build_offloads_every_layer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(device, "gpu_backend", lambda: "CUDA")
    plan = plan_device("auto")
    assert (plan.device, plan.gpu_layers, plan.note) == ("CUDA", -1, "")


def test_failed_gpu_load_falls_back_to_cpu(
    monkeypatch: pytest.MonkeyPatch, starter_path: Path
) -> None:
    monkeypatch.setattr(model, "plan_device", lambda choice: device.DevicePlan("CUDA", -1))
    real = model._llama

    def gpu_fails(path: Path, n_ctx: int, n_batch: int, threads: Threads, gpu_layers: int):  # type: ignore[no-untyped-def]
        if gpu_layers:
            raise ValueError("Failed to create llama_context: out of device memory")
        return real(path, n_ctx, n_batch, threads, gpu_layers)

    monkeypatch.setattr(model, "_llama", gpu_fails)
    with LlamaLocalModel(starter_path, context_size=256) as loaded:
        assert loaded.info.device == "CPU"
        assert "CUDA load failed" in loaded.info.device_note
        assert "out of device memory" in loaded.info.device_note
        assert loaded.info.device_fallback


def test_threads_default_to_the_budget_of_this_machine(starter_path: Path) -> None:
    with LlamaLocalModel(starter_path, context_size=256) as loaded:
        assert loaded.info.threads == physical_cores()
        assert loaded.budget == plan_threads(physical_cores())
        assert "fewer while other programs are busy" in loaded.info.threads_note


def test_a_chosen_thread_count_is_kept_whatever_the_load(starter_path: Path) -> None:
    chosen = plan_threads(physical_cores(), generation=1, batch=2)
    with LlamaLocalModel(starter_path, context_size=256, threads=chosen) as loaded:
        assert (loaded.info.threads, loaded.info.batch_threads) == (1, 2)
        assert loaded.threads == Threads(1, 2) and not loaded.budget.adaptive


def test_a_new_budget_reaches_the_model_and_its_twin(starter_path: Path) -> None:
    with LlamaLocalModel(starter_path, context_size=256, threads=1) as loaded:
        twin = loaded.twin()
        budget = plan_threads(4, generation=3, batch=4)
        loaded.use_threads(budget)
        assert loaded.threads == twin.threads == Threads(3, 4)
        assert twin.budget == budget
