"""GGUF models already on this computer: the folders where LM Studio, GPT4All, Jan,
llama.cpp and the Hugging Face cache keep them, ~/models, and Ollama's store (its blobs are
GGUF files named by digest; its manifests give their names). Found files are offered to be
used where they are; nothing is copied or changed."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
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
    name: str = ""  # what the app calls it ("llama3.2:1b"); "" for the file's own name

    @property
    def title(self) -> str:
        return self.name or self.path.stem


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


def ollama_stores(env: Mapping[str, str] | None = None) -> list[Path]:
    """Where Ollama keeps models: ``OLLAMA_MODELS``, else ~/.ollama/models, and the Linux
    service's /usr/share/ollama/.ollama/models."""
    env = os.environ if env is None else env
    if env.get("OLLAMA_MODELS"):
        return [Path(env["OLLAMA_MODELS"])]
    return [Path.home() / ".ollama" / "models", Path("/usr/share/ollama/.ollama/models")]


def found_on_disk(
    places: Sequence[Place] | None = None, stores: Sequence[Path] | None = None
) -> list[FoundModel]:
    """GGUF files in ``places`` (default: ``known_places()``) and Ollama's ``stores``
    (default: ``ollama_stores()``), each once, biggest first within a place; a file that
    does not start like a GGUF model is left out."""
    seen: set[Path] = set()
    found: list[FoundModel] = []
    for store in ollama_stores() if stores is None else stores:
        for model in _ollama_models(store):
            if model.path.resolve() not in seen and len(found) < _MOST:
                seen.add(model.path.resolve())
                found.append(model)
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
    return _files_under(folder, depth, _is_model_name, skip_hidden=True)


def _ollama_models(store: Path) -> list[FoundModel]:
    """Each manifest's model layer (``application/vnd.ollama.image.model``), by its name:
    manifests/registry.ollama.ai/library/llama3.2/1b names "llama3.2:1b"."""
    manifests = store / "manifests"
    found = []
    for manifest in _files_under(manifests, 4):
        try:
            layers = json.loads(manifest.read_text(encoding="utf-8")).get("layers", [])
            digest = next(
                layer["digest"]
                for layer in layers
                if layer.get("mediaType") == "application/vnd.ollama.image.model"
            )
        except (OSError, ValueError, AttributeError, KeyError, TypeError, StopIteration):
            continue
        blob = store / "blobs" / str(digest).replace(":", "-")
        if _looks_like_gguf(blob):
            found.append(FoundModel(blob, "Ollama", blob.stat().st_size, _ollama_name(manifest)))
    return sorted(found, key=lambda m: -m.size)


def _ollama_name(manifest: Path) -> str:
    *path, model, tag = manifest.parts[-4:]
    namespace = path[-1] if path else ""
    return f"{model}:{tag}" if namespace in ("library", "") else f"{namespace}/{model}:{tag}"


def _files_under(
    folder: Path,
    depth: int,
    wanted: Callable[[str], bool] = lambda name: True,
    *,
    skip_hidden: bool = False,
) -> Iterator[Path]:
    """Files under ``folder`` whose name is ``wanted``, ``depth`` folders deep, in name
    order; unreadable folders and entries are passed over."""
    if depth < 0 or not folder.is_dir():
        return
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_file() and wanted(entry.name):
                yield Path(entry.path)
            elif entry.is_dir() and not (skip_hidden and entry.name.startswith(".")):
                yield from _files_under(
                    Path(entry.path), depth - 1, wanted, skip_hidden=skip_hidden
                )
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
