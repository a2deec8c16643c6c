"""GGUF models already on this computer: the folders where LM Studio, GPT4All, Jan,
llama.cpp and the Hugging Face cache keep them, and ~/models. Found files are offered to be
used where they are; nothing is copied or changed."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import platformdirs

_MAGIC = b"GGUF"
_LATER_PART = re.compile(r"-(\d{5})-of-\d{5}\.gguf$", re.IGNORECASE)  # split files: part 1 loads
_MOST = 200  # files listed at most: a huge cache must not stall the list


@dataclass(frozen=True)
class Place:
    """A folder to look in, what to call it, and how deep to look."""

    label: str
    folder: Path
    depth: int = 6


@dataclass(frozen=True)
class FoundModel:
    path: Path
    place: str
    size: int


def known_places(env: Mapping[str, str] | None = None) -> list[Place]:
    """Where the usual local-model apps keep their GGUF files, on this platform."""
    env = os.environ if env is None else env
    home = Path.home()
    hf_home = Path(env.get("HF_HOME", home / ".cache" / "huggingface"))
    return [
        Place("LM Studio", home / ".lmstudio" / "models"),
        Place("LM Studio", home / ".cache" / "lm-studio" / "models"),
        Place("GPT4All", Path(platformdirs.user_data_dir()) / "nomic.ai" / "GPT4All"),
        Place("Jan", Path(platformdirs.user_data_dir("Jan", False, roaming=True)) / "data"),
        Place("Jan", home / "jan" / "models"),
        Place("llama.cpp", Path(env.get("LLAMA_CACHE", platformdirs.user_cache_dir("llama.cpp")))),
        Place("Hugging Face", Path(env.get("HF_HUB_CACHE", hf_home / "hub"))),
        Place("~/models", home / "models"),
    ]


def found_on_disk(places: Sequence[Place] | None = None) -> list[FoundModel]:
    """GGUF files in ``places`` (default: ``known_places()``), each once, biggest first
    within a place; a file that does not start like a GGUF model is left out."""
    seen: set[Path] = set()
    found: list[FoundModel] = []
    for place in known_places() if places is None else places:
        here = []
        for path in _gguf_files(place.folder, place.depth):
            real = path.resolve()
            if real in seen or not _looks_like_gguf(real):
                continue
            seen.add(real)
            here.append(FoundModel(path, place.label, real.stat().st_size))
            if len(found) + len(here) >= _MOST:
                break
        found += sorted(here, key=lambda m: -m.size)
        if len(found) >= _MOST:
            break
    return found


def _gguf_files(folder: Path, depth: int) -> Iterator[Path]:
    """``*.gguf`` under ``folder`` (links followed, hidden folders skipped), ``depth`` deep."""
    if depth < 0 or not folder.is_dir():
        return
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        path = Path(entry.path)
        try:
            if entry.is_file() and _is_model_name(entry.name):
                yield path
            elif entry.is_dir() and not entry.name.startswith("."):
                yield from _gguf_files(path, depth - 1)
        except OSError:
            continue


def _is_model_name(name: str) -> bool:
    """A .gguf file that llama.cpp loads as a model: not a vision projector (mmproj), not
    the second or later part of a split model."""
    lower = name.lower()
    if not lower.endswith(".gguf") or lower.startswith("mmproj"):
        return False
    part = _LATER_PART.search(lower)
    return part is None or int(part[1]) == 1


def _looks_like_gguf(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(4) == _MAGIC
    except OSError:
        return False
