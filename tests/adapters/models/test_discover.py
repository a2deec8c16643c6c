"""GGUF files other apps keep, found where those apps put them (a home folder made here)."""

from __future__ import annotations

from pathlib import Path

from cogenesis.adapters.models.discover import (
    Place,
    found_on_disk,
    known_places,
    ollama_stores,
)
from tests.gguf_files import ollama_pull, tiny_gguf


def put(path: Path, elements: int = 1000) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return tiny_gguf(path, elements=elements)


def test_models_of_other_apps_are_found_where_they_keep_them(home: Path) -> None:
    lm = put(home / ".lmstudio/models/lmstudio-community/Qwen-GGUF/qwen.Q4_K_M.gguf")
    gpt4all = put(home / ".local/share/nomic.ai/GPT4All/Llama-3.2-1B.Q4_0.gguf", 5000)
    blob = put(home / ".cache/huggingface/hub/models--x--y/blobs/abc123.gguf")
    snapshot = home / ".cache/huggingface/hub/models--x--y/snapshots/main/y.Q8_0.gguf"
    snapshot.parent.mkdir(parents=True)
    snapshot.symlink_to(blob)  # the hub's layout: a link to the blob, found once
    put(home / "models/split-00002-of-00002.gguf")  # a later part of a split model
    first_part = put(home / "models/split-00001-of-00002.gguf")
    put(home / "models/mmproj-vision.gguf")  # a vision projector, not a model
    (home / "models/notes.gguf").write_text("not a model")
    found = {(m.path, m.place) for m in found_on_disk()}  # OLLAMA_MODELS: an empty store
    assert (lm, "LM Studio") in found and (gpt4all, "GPT4All") in found
    assert (first_part, "~/models") in found
    hub = [m for m in found_on_disk() if m.place == "Hugging Face"]
    assert len(hub) == 1  # the blob and its link are one file
    assert len(found) == 4


def test_places_follow_the_apps_environment_variables(tmp_path: Path) -> None:
    places = known_places({"HF_HUB_CACHE": str(tmp_path / "hub"), "LLAMA_CACHE": "/srv/llama"})
    folders = {p.label: p.folder for p in places}
    assert folders["Hugging Face"] == tmp_path / "hub"
    assert folders["llama.cpp"] == Path("/srv/llama")


def test_missing_or_unreadable_places_are_skipped(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    put(locked / "a.gguf")
    locked.chmod(0)
    try:
        places = [Place("None", tmp_path / "absent"), Place("Locked", locked)]
        found = found_on_disk(places)
        assert found == [] or (found and found[0].place == "Locked")  # root reads anything
    finally:
        locked.chmod(0o755)


def test_depth_is_limited(tmp_path: Path) -> None:
    deep = put(tmp_path / "a/b/c/d.gguf")
    assert found_on_disk([Place("Here", tmp_path, depth=2)]) == []
    assert [m.path for m in found_on_disk([Place("Here", tmp_path, depth=3)])] == [deep]


def test_ollama_models_are_found_by_their_names(home: Path, tmp_path: Path) -> None:
    store = home / ".ollama" / "models"
    blob = ollama_pull(store, "llama3.2", "1b", put(tmp_path / "a.gguf", 3000))
    other = ollama_pull(store, "tinyllama", "latest", put(tmp_path / "b.gguf"), "someone")
    (store / "manifests" / "registry.ollama.ai" / "library" / "broken").mkdir(parents=True)
    (store / "manifests" / "registry.ollama.ai" / "library" / "broken" / "x").write_text("{")
    found = [(m.title, m.place, m.path) for m in found_on_disk(stores=[store])]
    assert found[:2] == [
        ("llama3.2:1b", "Ollama", blob),
        ("someone/tinyllama:latest", "Ollama", other),
    ]
    assert ollama_stores({"OLLAMA_MODELS": "/srv/ollama"}) == [Path("/srv/ollama")]
