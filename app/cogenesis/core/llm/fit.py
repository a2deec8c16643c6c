"""Will a model fit this machine? File size plus KV cache against free RAM and GPU memory."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cogenesis.core.llm.gguf import GgufHeader

Verdict = Literal["fits", "may be slow", "won't fit"]
_OVERHEAD = 300 * 1024 * 1024  # compute buffers and runtime, measured on small models
_GIB = 1024**3
_GPU_SHARE = 0.9  # of the free GPU memory: the driver and the display keep some


@dataclass(frozen=True)
class FitHint:
    verdict: Verdict
    needed_bytes: int
    available_bytes: int

    def describe(self) -> str:
        return (
            f"{self.verdict}: needs about {_gib(self.needed_bytes)}, "
            f"{_gib(self.available_bytes)} available"
        )


@dataclass(frozen=True)
class GpuMemory:
    """One GPU as its driver reports it."""

    name: str
    free_bytes: int
    total_bytes: int


@dataclass(frozen=True)
class MachineMemory:
    """What this computer has for a model: free RAM, the GPUs found, and the GPU backend this
    llama.cpp build has (None: CPU-only). ``unified``: the GPU uses the RAM (Apple silicon)."""

    ram_available: int
    gpus: tuple[GpuMemory, ...] = ()
    gpu_backend: str | None = None
    unified: bool = False

    @property
    def gpu_free(self) -> int:
        return sum(gpu.free_bytes for gpu in self.gpus)


@dataclass(frozen=True)
class MachineFit:
    """The model against RAM and, where the GPU would run it, against GPU memory."""

    ram: FitHint
    gpu: FitHint | None
    gpu_note: str

    @property
    def verdict(self) -> str:
        """A few words for a list row: where it would run, and whether it fits there."""
        if self.gpu is not None and self.gpu.verdict == "fits":
            return "fits the GPU"
        return f"{self.ram.verdict} in RAM"

    def describe(self) -> str:
        ram = (
            f"RAM: {self.ram.verdict} (needs about {_gib(self.ram.needed_bytes)}, "
            f"{_gib(self.ram.available_bytes)} free)."
        )
        return f"{ram} {self.gpu_note}"


def kv_cache_bytes(header: GgufHeader, context_size: int) -> int:
    """f16 K and V for every layer: 2 * layers * context * kv_heads * head_dim * 2 bytes."""
    layers = int(header.arch_value("block_count", 0) or 0)
    embd = int(header.arch_value("embedding_length", 0) or 0)
    heads = int(header.arch_value("attention.head_count", 1) or 1)
    kv_heads = int(header.arch_value("attention.head_count_kv", heads) or heads)
    head_dim = int(header.arch_value("attention.key_length", embd // max(heads, 1)) or 0)
    return 2 * layers * context_size * kv_heads * head_dim * 2


def estimate_memory(file_size: int, header: GgufHeader, context_size: int) -> int:
    return file_size + kv_cache_bytes(header, context_size) + _OVERHEAD


def fit_hint(needed: int, available: int) -> FitHint:
    """Fits under 70 % of available memory; may be slow (swapping) up to 100 %."""
    if needed <= 0.7 * available:
        verdict: Verdict = "fits"
    elif needed <= available:
        verdict = "may be slow"
    else:
        verdict = "won't fit"
    return FitHint(verdict, needed, available)


def machine_fit(needed: int, memory: MachineMemory, device: str = "auto") -> MachineFit:
    """``needed`` bytes against ``memory``; ``device`` is the setting (auto, cpu, gpu)."""
    ram = fit_hint(needed, memory.ram_available)
    if memory.unified and memory.gpu_backend:
        return MachineFit(ram, None, f"{memory.gpu_backend}: the GPU shares this RAM.")
    if not memory.gpus:
        return MachineFit(ram, None, "No GPU found: the model runs on the CPU, from RAM.")
    names = ", ".join(gpu.name for gpu in memory.gpus)
    found = f"GPU ({names}): {_gib(memory.gpu_free)} free"
    if memory.gpu_backend is None:
        return MachineFit(ram, None, f"{found}, but this build runs models on the CPU only.")
    if device == "cpu":
        return MachineFit(ram, None, f"{found}; the device setting says CPU.")
    if needed <= _GPU_SHARE * memory.gpu_free:
        gpu = FitHint("fits", needed, memory.gpu_free)
        return MachineFit(ram, gpu, f"{found}: fits there ({memory.gpu_backend}).")
    gpu = FitHint("won't fit", needed, memory.gpu_free)
    return MachineFit(ram, gpu, f"{found}: too big for it, so it would run on the CPU.")


def _gib(size: int) -> str:
    return f"{size / _GIB:.1f} GiB"
