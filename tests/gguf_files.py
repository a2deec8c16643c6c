"""Small synthetic GGUF files for tests that need a valid (or broken) model file."""

from __future__ import annotations

import hashlib
import json
import struct
from pathlib import Path


def _string(text: str) -> bytes:
    data = text.encode()
    return struct.pack("<Q", len(data)) + data


def tiny_gguf(path: Path, elements: int = 4096) -> Path:
    """A GGUF v3 file with two metadata keys and one F32 tensor of ``elements`` values."""
    header = b"GGUF" + struct.pack("<IQQ", 3, 1, 2)
    header += _string("general.architecture") + struct.pack("<I", 8) + _string("llama")
    header += _string("general.name") + struct.pack("<I", 8) + _string("tiny test model")
    header += _string("t") + struct.pack("<I", 1) + struct.pack("<Q", elements)
    header += struct.pack("<I", 0) + struct.pack("<Q", 0)  # F32, offset 0
    padding = b"\x00" * (-len(header) % 32)
    data = b"".join(struct.pack("<f", i / 7) for i in range(elements))
    path.write_bytes(header + padding + data)
    return path


def ollama_pull(store: Path, name: str, tag: str, blob: Path, namespace: str = "library") -> Path:
    """Lay a model out as `ollama pull` does: a blob named by digest, a manifest naming it."""
    digest = "sha256:" + hashlib.sha256(blob.read_bytes()).hexdigest()
    target = store / "blobs" / digest.replace(":", "-")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(blob.read_bytes())
    manifest = store / "manifests" / "registry.ollama.ai" / namespace / name / tag
    manifest.parent.mkdir(parents=True, exist_ok=True)
    layers = [
        {"mediaType": "application/vnd.ollama.image.template", "digest": "sha256:00"},
        {"mediaType": "application/vnd.ollama.image.model", "digest": digest},
    ]
    manifest.write_text(json.dumps({"schemaVersion": 2, "layers": layers}))
    return target
