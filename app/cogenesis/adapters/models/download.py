"""Downloading a model by URL: progress, cancel, resume (HTTP Range), SHA-256 check.

The file grows as ``NAME.part`` beside its final place and is renamed only after its
checksum and GGUF header check out, so a corrupt or truncated file is never offered.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import httpx2 as httpx

from cogenesis.core.errors import CogenesisError
from cogenesis.core.fileio import write_private_atomic
from cogenesis.core.llm import CancelToken
from cogenesis.core.llm.gguf import ModelFileError, read_header

log = logging.getLogger(__name__)
_CHUNK = 1 << 20
_NOTE = ".part.json"
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class DownloadCancelled(CogenesisError):
    """The user stopped the download; the partial file is kept for resuming."""


class DownloadFailed(CogenesisError):
    """The download could not complete, or the file is not what was expected."""


@dataclass(frozen=True)
class Progress:
    received: int
    total: int | None


def download_model(
    url: str,
    dest_dir: Path,
    *,
    sha256: str | None = None,
    filename: str | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    cancel: CancelToken | None = None,
    client: httpx.Client | None = None,
    attempts: int = 4,
) -> Path:
    """Download ``url`` into ``dest_dir``; resumes a ``.part`` file left by an earlier try."""
    name = filename or _name_from_url(url)
    target = dest_dir / name
    if target.exists():
        raise DownloadFailed(
            f"{name} is already in the models folder.", "Use it, or remove it first."
        )
    dest_dir.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(name + ".part")
    note = target.with_name(name + _NOTE)  # what to resume it from, if it stops
    write_private_atomic(note, json.dumps({"url": url, "sha256": sha256}).encode())
    own_client = client is None
    http = client or httpx.Client(
        timeout=httpx.Timeout(30.0, read=60.0), follow_redirects=True, trust_env=False
    )
    try:
        expected = _fetch(
            http, url, partial, sha256, on_progress, cancel or CancelToken(), attempts
        )
    finally:
        if own_client:
            http.close()
    try:
        _verify(partial, expected)
    finally:
        if not partial.exists():  # a bad file was deleted: nothing left to resume
            note.unlink(missing_ok=True)
    partial.replace(target)
    note.unlink(missing_ok=True)
    write_private_atomic(
        target.with_name(name + ".source.json"),
        json.dumps({"url": url, "sha256": expected}).encode(),
    )
    return target


@dataclass(frozen=True)
class Unfinished:
    """A download that stopped before its end: its ``.part`` file and where it came from."""

    name: str
    url: str
    sha256: str | None
    size: int


def unfinished_downloads(dest_dir: Path) -> list[Unfinished]:
    """Downloads in ``dest_dir`` that stopped and can be resumed (or discarded)."""
    found = []
    for note in sorted(dest_dir.glob("*" + _NOTE)):
        partial = note.with_name(note.name.removesuffix(".json"))
        try:
            raw = json.loads(note.read_text(encoding="utf-8"))
            size = partial.stat().st_size
        except (OSError, ValueError):
            continue
        if isinstance(raw, dict) and isinstance(raw.get("url"), str):
            sha = raw.get("sha256") if isinstance(raw.get("sha256"), str) else None
            found.append(Unfinished(partial.name.removesuffix(".part"), raw["url"], sha, size))
    return found


def discard_unfinished(dest_dir: Path, download: Unfinished) -> None:
    """Delete a stopped download's part file and its note."""
    (dest_dir / (download.name + ".part")).unlink(missing_ok=True)
    (dest_dir / (download.name + _NOTE)).unlink(missing_ok=True)


def partial_size(url: str, dest_dir: Path) -> int:
    """Bytes an earlier, unfinished download of ``url`` left in ``dest_dir`` (0: none; raises
    DownloadFailed if ``url`` names no .gguf file)."""
    partial = dest_dir / (_name_from_url(url) + ".part")
    try:
        return partial.stat().st_size
    except OSError:
        return 0


def _fetch(
    http: httpx.Client,
    url: str,
    partial: Path,
    sha256: str | None,
    on_progress: Callable[[Progress], None] | None,
    cancel: CancelToken,
    attempts: int,
) -> str | None:
    expected = sha256.lower() if sha256 else None
    for attempt in range(1, attempts + 1):
        try:
            linked = _stream_into(http, url, partial, on_progress, cancel)
            return expected or linked
        except (httpx.TransportError, _Incomplete) as exc:
            log.warning("download interrupted (attempt %d of %d): %s", attempt, attempts, exc)
            if attempt == attempts:
                have = partial.stat().st_size if partial.exists() else 0
                raise DownloadFailed(
                    f"The download stopped after {have:,} bytes ({exc}).",
                    "Check the connection and start it again: it resumes where it stopped.",
                ) from exc
            time.sleep(min(0.2 * 2**attempt, 5.0))
    return expected


class _Incomplete(Exception):
    pass


def _stream_into(
    http: httpx.Client,
    url: str,
    partial: Path,
    on_progress: Callable[[Progress], None] | None,
    cancel: CancelToken,
) -> str | None:
    have = partial.stat().st_size if partial.exists() else 0
    headers = {"Range": f"bytes={have}-"} if have else {}
    with http.stream("GET", url, headers=headers) as response:
        if response.status_code == 416 and have:
            return _linked_sha256(response)  # the part file is already complete
        if response.status_code not in (200, 206):
            raise DownloadFailed(
                f"The server answered {response.status_code} for {url}.",
                "Check the URL (and that the file is public).",
            )
        if response.status_code == 200:
            have = 0  # the server ignored Range: start over
        total = _total(response, have)
        received = have
        with partial.open("r+b" if have else "wb") as out:
            out.seek(have)
            out.truncate()
            for chunk in response.iter_bytes():  # as received: no progress is lost on a cut
                if cancel.cancelled:
                    raise DownloadCancelled(
                        "The download was stopped.", "Start it again to resume where it stopped."
                    )
                out.write(chunk)
                received += len(chunk)
                if on_progress:
                    on_progress(Progress(received, total))
        if total is not None and received < total:
            raise _Incomplete(f"received {received:,} of {total:,} bytes")
        return _linked_sha256(response)


def _verify(partial: Path, expected: str | None) -> None:
    if expected:
        digest = hashlib.sha256()
        with partial.open("rb") as handle:
            while block := handle.read(_CHUNK):
                digest.update(block)
        if digest.hexdigest() != expected:
            partial.unlink()
            raise DownloadFailed(
                "The downloaded file does not match its SHA-256 checksum; it was deleted.",
                "Download it again; if it keeps failing, check the checksum you gave.",
            )
    try:
        read_header(partial)
    except ModelFileError as exc:
        partial.unlink()
        raise DownloadFailed(
            f"The download is not a usable GGUF model: {exc.message}",
            "Check that the URL points to a .gguf file.",
        ) from exc


def _total(response: httpx.Response, have: int) -> int | None:
    if response.status_code == 206:
        match = re.search(r"/(\d+)$", response.headers.get("content-range", ""))
        return int(match[1]) if match else None
    length = response.headers.get("content-length")
    return int(length) if length and length.isdigit() else None


def _linked_sha256(response: httpx.Response) -> str | None:
    """Hugging Face names an LFS file's SHA-256 in X-Linked-Etag (or ETag)."""
    for header in ("x-linked-etag", "etag"):
        value = response.headers.get(header, "").strip('W/"').lower()
        if _HEX64.match(value):
            return value
    return None


def _name_from_url(url: str) -> str:
    name = unquote(Path(urlparse(url).path).name)
    if not name.endswith(".gguf"):
        raise DownloadFailed(
            f"{url} does not name a .gguf file.",
            "Give the direct URL of the file (on Hugging Face: its 'resolve' URL).",
        )
    return name
