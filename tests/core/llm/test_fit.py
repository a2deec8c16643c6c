"""The "fits on this computer" hint: RAM, and GPU memory where the GPU would run the model."""

from __future__ import annotations

from cogenesis.core.llm.fit import GpuMemory, MachineMemory, machine_fit

GIB = 1024**3
H200 = GpuMemory("NVIDIA H200", 139 * GIB, 140 * GIB)


def test_no_gpu_means_ram_alone() -> None:
    fit = machine_fit(2 * GIB, MachineMemory(ram_available=16 * GIB))
    assert fit.verdict == "fits in RAM" and fit.gpu is None
    assert fit.describe() == (
        "RAM: fits (needs about 2.0 GiB, 16.0 GiB free). "
        "No GPU found: the model runs on the CPU, from RAM."
    )


def test_a_gpu_that_holds_the_model_is_where_it_runs() -> None:
    memory = MachineMemory(ram_available=4 * GIB, gpus=(H200,), gpu_backend="CUDA")
    fit = machine_fit(20 * GIB, memory)
    assert fit.verdict == "fits the GPU" and fit.ram.verdict == "won't fit"
    assert "GPU (NVIDIA H200): 139.0 GiB free: fits there (CUDA)." in fit.describe()


def test_a_model_too_big_for_the_gpu_falls_back_to_ram() -> None:
    small = GpuMemory("RTX 3050", 3 * GIB, 4 * GIB)
    memory = MachineMemory(ram_available=64 * GIB, gpus=(small,), gpu_backend="CUDA")
    fit = machine_fit(5 * GIB, memory)
    assert fit.verdict == "fits in RAM"
    assert fit.gpu is not None and fit.gpu.verdict == "won't fit"
    assert "too big for it, so it would run on the CPU" in fit.describe()


def test_several_gpus_add_up() -> None:
    memory = MachineMemory(ram_available=GIB, gpus=(H200, H200), gpu_backend="CUDA")
    assert machine_fit(200 * GIB, memory).verdict == "fits the GPU"


def test_a_cpu_only_build_or_setting_ignores_the_gpu() -> None:
    found = MachineMemory(ram_available=16 * GIB, gpus=(H200,))
    assert "this build runs models on the CPU only" in machine_fit(GIB, found).describe()
    chosen = MachineMemory(ram_available=16 * GIB, gpus=(H200,), gpu_backend="CUDA")
    fit = machine_fit(GIB, chosen, device="cpu")
    assert fit.verdict == "fits in RAM" and "the device setting says CPU" in fit.describe()


def test_unified_memory_is_the_ram() -> None:
    memory = MachineMemory(ram_available=24 * GIB, gpu_backend="Metal", unified=True)
    fit = machine_fit(8 * GIB, memory)
    assert fit.verdict == "fits in RAM" and "Metal: the GPU shares this RAM." in fit.describe()
