"""The models list's slow facts, gathered at once (off the GUI thread in the window)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cogenesis.adapters.models import ModelCatalog
from cogenesis.adapters.models.survey import survey


@pytest.mark.usefixtures("home")
def test_every_model_is_measured_and_a_bad_file_says_why(tmp_path: Path) -> None:
    catalog = ModelCatalog(tmp_path / "models")
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF" + b"\0" * 16)  # looks like one, is not
    catalog.models_dir.mkdir(parents=True)
    (catalog.models_dir / "broken.gguf").write_bytes(broken.read_bytes())
    taken = survey(catalog, 4096)
    starter, bad = taken.entries(catalog)
    assert taken.memory.ram_available > 0 and taken.found == []
    assert isinstance(taken.needed[starter.path], int) and taken.needed[starter.path] > 98e6
    assert str(taken.needed[bad.path]).startswith("unusable: ")
