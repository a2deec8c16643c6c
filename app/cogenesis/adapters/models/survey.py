"""Everything the models list needs that takes time, gathered off the GUI thread at once:
the free memory (and GPUs), other apps' GGUF files, and what each model needs to run."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from cogenesis.adapters.models.catalog import ModelCatalog, ModelEntry
from cogenesis.adapters.models.discover import FoundModel, found_on_disk
from cogenesis.adapters.models.memory import machine_memory
from cogenesis.core.errors import CogenesisError
from cogenesis.core.llm.fit import MachineFit, MachineMemory, machine_fit


@dataclass
class Survey:
    """``needed``: per model file, the bytes it needs (file, KV cache, runtime), or why the
    file cannot be used. Models added later are measured when first shown."""

    memory: MachineMemory
    found: list[FoundModel]
    needed: dict[Path, int | str] = field(default_factory=dict)

    def entries(self, catalog: ModelCatalog) -> list[ModelEntry]:
        """The catalog's models, then the files other apps keep that it does not list yet."""
        names = {f.path.resolve(): f.title for f in self.found}
        listed = [  # one added from Ollama keeps its name, not its blob's digest
            replace(e, name=names.get(e.path.resolve(), e.name)) for e in catalog.entries()
        ]
        known = {entry.path.resolve() for entry in listed}
        others = [f for f in self.found if f.path.resolve() not in known]
        return listed + [ModelEntry(f.title, f.path, "found", f.size) for f in others]

    def needs(self, catalog: ModelCatalog, entry: ModelEntry, context_size: int) -> int | str:
        if entry.path not in self.needed:
            self.needed[entry.path] = _needs(catalog, entry, context_size)
        return self.needed[entry.path]

    def fit(
        self, catalog: ModelCatalog, entry: ModelEntry, context_size: int, device: str
    ) -> MachineFit | str:
        """The model against this computer's memory, or why the file cannot be used."""
        needed = self.needs(catalog, entry, context_size)
        return needed if isinstance(needed, str) else machine_fit(needed, self.memory, device)


def survey(catalog: ModelCatalog, context_size: int) -> Survey:
    """Measure the memory, search other apps' folders, read every model's header (about
    70 ms each: the tokenizer's arrays are in it)."""
    taken = Survey(machine_memory(), found_on_disk())
    for entry in taken.entries(catalog):
        taken.needs(catalog, entry, context_size)
    return taken


def _needs(catalog: ModelCatalog, entry: ModelEntry, context_size: int) -> int | str:
    try:
        return catalog.needed_memory(entry, context_size)
    except CogenesisError as exc:
        return f"unusable: {exc.message}"
