"""Which device runs the model: CPU, or a GPU (CUDA, Metal, Vulkan…) when the build has one."""

from __future__ import annotations

from dataclasses import dataclass

import llama_cpp

_BACKENDS = ("CUDA", "Metal", "Vulkan", "ROCm", "HIP", "SYCL", "OpenCL", "CANN", "MUSA")


@dataclass(frozen=True)
class DevicePlan:
    """What to ask llama.cpp for, and what to tell the user."""

    device: str
    gpu_layers: int
    note: str = ""
    fallback: bool = False  # the CPU stands in for a GPU that was asked for or failed


def gpu_backend() -> str | None:
    """The GPU backend compiled into this llama.cpp build, or None for a CPU-only build."""
    if not llama_cpp.llama_supports_gpu_offload():
        return None
    info = llama_cpp.llama_print_system_info().decode("utf-8", errors="replace")
    found = [name for name in _BACKENDS if f"{name} :" in info or name.upper() in info.upper()]
    return found[0] if found else "GPU"


def plan_device(choice: str) -> DevicePlan:
    """``choice`` is "auto", "cpu" or "gpu" (the setting)."""
    if choice == "cpu":
        return DevicePlan("CPU", 0, "CPU chosen in settings")
    backend = gpu_backend()
    if backend is None:
        why = "this llama.cpp build has no GPU support (CPU-only build)"
        if choice == "gpu":
            return DevicePlan("CPU", 0, why, fallback=True)
        return DevicePlan("CPU", 0, f"auto: {why}")  # no GPU here: the CPU is the device
    return DevicePlan(backend, -1)
