from __future__ import annotations

from pathlib import Path

import pytest

from cogenesis.core.llm.fit import fit_hint, kv_cache_bytes
from cogenesis.core.llm.gguf import ModelFileError, read_header
from tests.gguf_files import tiny_gguf


def test_header_of_a_valid_file(tmp_path: Path) -> None:
    path = tiny_gguf(tmp_path / "m.gguf", elements=1000)
    header = read_header(path)
    assert header.version == 3 and header.tensor_count == 1
    assert header.architecture == "llama" and header.get("general.name") == "tiny test model"
    assert header.data_end == path.stat().st_size


@pytest.mark.parametrize("cut", [1, 100, 3000])
def test_truncation_is_detected(tmp_path: Path, cut: int) -> None:
    path = tiny_gguf(tmp_path / "m.gguf", elements=1000)
    path.write_bytes(path.read_bytes()[:-cut])
    with pytest.raises(ModelFileError, match=r"truncated|not a readable"):
        read_header(path)


@pytest.mark.parametrize("content", [b"", b"GGUF", b"PK\x03\x04zipfile", b"GGUF\x09\x00\x00\x00"])
def test_foreign_files(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "m.gguf"
    path.write_bytes(content)
    with pytest.raises(ModelFileError, match="not a readable GGUF") as info:
        read_header(path)
    assert ".gguf" in info.value.hint


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="does not exist"):
        read_header(tmp_path / "nope.gguf")


def test_kv_cache_estimate_and_fit(tmp_path: Path) -> None:
    header = read_header(tiny_gguf(tmp_path / "m.gguf"))
    assert kv_cache_bytes(header, 4096) == 0  # no layer metadata: nothing to cache
    gib = 1024**3
    assert fit_hint(1 * gib, 8 * gib).verdict == "fits"
    assert fit_hint(7 * gib, 8 * gib).verdict == "may be slow"
    assert fit_hint(9 * gib, 8 * gib).verdict == "won't fit"
