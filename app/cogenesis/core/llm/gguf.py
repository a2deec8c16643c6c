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
            header = _parse(_Reader(handle))
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


class _Reader:
    """The file in pieces of a MiB. A read per value (a vocabulary is 100,000 strings and
    more) gave up the GIL and took it back each time, and a thread waiting for it kept losing
    the race: the window's thread waited up to 80 ms while the worker read a header."""

    PIECE = 1 << 20

    def __init__(self, f: BinaryIO) -> None:
        self._f = f
        self._data = b""
        self._at = 0  # position in _data
        self._start = 0  # file offset of _data[0]

    def take(self, size: int) -> bytes:
        if self._at + size > len(self._data):
            self._refill(size)
        data = self._data[self._at : self._at + size]
        self._at += size
        return data

    def unpack(self, fmt: str) -> Any:
        size = struct.calcsize(fmt)
        if self._at + size > len(self._data):
            self._refill(size)
        value = struct.unpack_from(fmt, self._data, self._at)[0]
        self._at += size
        return value

    def tell(self) -> int:
        return self._start + self._at

    def _refill(self, size: int) -> None:
        rest = self._data[self._at :]
        self._start += self._at
        self._data = rest + self._f.read(max(size - len(rest), self.PIECE))
        self._at = 0
        if len(self._data) < size:
            raise ValueError("file ends inside the header")


def _parse(f: _Reader) -> GgufHeader:
    if f.take(4) != MAGIC:
        raise ValueError("no GGUF magic number")
    version = f.unpack("<I")
    if version not in (2, 3):
        raise ValueError(f"unsupported GGUF version {version}")
    tensor_count, kv_count = f.unpack("<Q"), f.unpack("<Q")
    metadata = {}
    for _ in range(kv_count):
        key = _string(f)
        metadata[key] = _value(f, f.unpack("<I"))
    tensors = [_tensor_info(f) for _ in range(tensor_count)]
    alignment = int(metadata.get("general.alignment", 32))
    data_start = -(-f.tell() // alignment) * alignment
    ends = [_tensor_end(offset, dims, kind) for offset, dims, kind in tensors]
    known = None if any(e is None for e in ends) else max((e for e in ends if e), default=0)
    return GgufHeader(
        version, metadata, tensor_count, None if known is None else data_start + known
    )


def _tensor_info(f: _Reader) -> tuple[int, list[int], int]:
    _string(f)
    dims = [f.unpack("<Q") for _ in range(f.unpack("<I"))]
    kind = f.unpack("<I")
    return f.unpack("<Q"), dims, kind


def _tensor_end(offset: int, dims: list[int], kind: int) -> int | None:
    if kind not in _TYPE_SIZES:
        return None
    block_bytes, block_elems = _TYPE_SIZES[kind]
    elements = 1
    for d in dims:
        elements *= d
    return offset + elements // block_elems * block_bytes


def _value(f: _Reader, kind: int) -> Any:
    if kind in _SCALARS:
        return f.unpack(_SCALARS[kind])
    if kind == _STRING:
        return _string(f)
    if kind == _ARRAY:
        item_kind, count = f.unpack("<I"), f.unpack("<Q")
        if item_kind in _SCALARS:
            f.take(struct.calcsize(_SCALARS[item_kind]) * count)
        else:
            for _ in range(count):
                _value(f, item_kind)
        return count
    raise ValueError(f"unknown metadata type {kind}")


def _string(f: _Reader) -> str:
    length = f.unpack("<Q")
    if length > 1 << 24:
        raise ValueError("implausible string length")
    return f.take(length).decode("utf-8")
