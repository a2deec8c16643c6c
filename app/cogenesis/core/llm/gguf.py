"""Reading a GGUF file's header without loading the model: metadata, tensors, expected size.

Used to refuse files that are not GGUF or are truncated, and to estimate memory needs, before
llama.cpp ever sees the file.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from cogenesis.core.errors import CogenesisError

MAGIC = b"GGUF"
_SCALARS = {
    0: "<B",
    1: "<b",
    2: "<H",
    3: "<h",
    4: "<I",
    5: "<i",
    6: "<f",
    7: "<?",
    10: "<Q",
    11: "<q",
    12: "<d",
}
_STRING, _ARRAY = 8, 9
# ggml type -> (bytes per block, elements per block); unknown types skip the size check.
_TYPE_SIZES = {
    0: (4, 1),
    1: (2, 1),
    2: (18, 32),
    3: (20, 32),
    6: (22, 32),
    7: (24, 32),
    8: (34, 32),
    9: (36, 32),
    10: (84, 256),
    11: (110, 256),
    12: (144, 256),
    13: (176, 256),
    14: (210, 256),
    15: (292, 256),
    16: (66, 256),
    17: (74, 256),
    18: (98, 256),
    19: (50, 256),
    20: (18, 32),
    21: (110, 256),
    22: (82, 256),
    23: (136, 256),
    24: (1, 1),
    25: (2, 1),
    26: (4, 1),
    27: (8, 1),
    28: (8, 1),
    29: (56, 256),
    30: (2, 1),
    34: (54, 256),
    35: (66, 256),
    39: (17, 32),
}


class ModelFileError(CogenesisError):
    """A model file is missing, not GGUF, truncated or otherwise unusable."""


@dataclass(frozen=True)
class GgufHeader:
    version: int
    metadata: dict[str, Any]  # arrays are kept only as their length
    tensor_count: int
    data_end: int | None  # expected file size; None if a tensor type is unknown

    def get(self, key: str, default: Any = None) -> Any:
        return self.metadata.get(key, default)

    @property
    def architecture(self) -> str:
        return str(self.get("general.architecture", "unknown"))

    def arch_value(self, name: str, default: Any = None) -> Any:
        return self.get(f"{self.architecture}.{name}", default)


def read_header(path: Path) -> GgufHeader:
    """Parse the header; raises ModelFileError for a missing, foreign or truncated file."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            header = _parse(handle)
    except FileNotFoundError as exc:
        raise ModelFileError(
            f"The model file {path} does not exist.", "Check the path, or choose another model."
        ) from exc
    except (OSError, struct.error, UnicodeDecodeError, ValueError) as exc:
        raise ModelFileError(
            f"{path.name} is not a readable GGUF model ({exc}).",
            "Choose a .gguf file made for llama.cpp.",
        ) from exc
    if header.data_end is not None and size < header.data_end:
        raise ModelFileError(
            f"{path.name} is truncated: {size:,} of {header.data_end:,} bytes.",
            "Download or copy it again; an interrupted download can be resumed.",
        )
    return header


def _parse(f: BinaryIO) -> GgufHeader:
    if f.read(4) != MAGIC:
        raise ValueError("no GGUF magic number")
    version = _unpack(f, "<I")
    if version not in (2, 3):
        raise ValueError(f"unsupported GGUF version {version}")
    tensor_count, kv_count = _unpack(f, "<Q"), _unpack(f, "<Q")
    metadata = {}
    for _ in range(kv_count):
        key = _string(f)
        metadata[key] = _value(f, _unpack(f, "<I"))
    tensors = [_tensor_info(f) for _ in range(tensor_count)]
    alignment = int(metadata.get("general.alignment", 32))
    data_start = -(-f.tell() // alignment) * alignment
    ends = [_tensor_end(offset, dims, kind) for offset, dims, kind in tensors]
    known = None if any(e is None for e in ends) else max((e for e in ends if e), default=0)
    return GgufHeader(
        version, metadata, tensor_count, None if known is None else data_start + known
    )


def _tensor_info(f: BinaryIO) -> tuple[int, list[int], int]:
    _string(f)
    dims = [_unpack(f, "<Q") for _ in range(_unpack(f, "<I"))]
    kind = _unpack(f, "<I")
    return _unpack(f, "<Q"), dims, kind


def _tensor_end(offset: int, dims: list[int], kind: int) -> int | None:
    if kind not in _TYPE_SIZES:
        return None
    block_bytes, block_elems = _TYPE_SIZES[kind]
    elements = 1
    for d in dims:
        elements *= d
    return offset + elements // block_elems * block_bytes


def _value(f: BinaryIO, kind: int) -> Any:
    if kind in _SCALARS:
        return _unpack(f, _SCALARS[kind])
    if kind == _STRING:
        return _string(f)
    if kind == _ARRAY:
        item_kind, count = _unpack(f, "<I"), _unpack(f, "<Q")
        if item_kind in _SCALARS:
            f.seek(struct.calcsize(_SCALARS[item_kind]) * count, 1)
        else:
            for _ in range(count):
                _value(f, item_kind)
        return count
    raise ValueError(f"unknown metadata type {kind}")


def _string(f: BinaryIO) -> str:
    length = _unpack(f, "<Q")
    if length > 1 << 24:
        raise ValueError("implausible string length")
    data = f.read(length)
    if len(data) != length:
        raise ValueError("file ends inside the header")
    return data.decode("utf-8")


def _unpack(f: BinaryIO, fmt: str) -> Any:
    size = struct.calcsize(fmt)
    data = f.read(size)
    if len(data) != size:
        raise ValueError("file ends inside the header")
    return struct.unpack(fmt, data)[0]
