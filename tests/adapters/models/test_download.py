"""Downloads from a real HTTP server on 127.0.0.1: resume, cancel, checksum, bad content."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from cogenesis.adapters.models import (
    DownloadCancelled,
    DownloadFailed,
    Progress,
    discard_unfinished,
    download_model,
    unfinished_downloads,
)
from cogenesis.adapters.remote import recording_http_client
from cogenesis.core.egress import EgressContext, EgressLedger, egress_context, mode_guard
from cogenesis.core.errors import PrivacyViolation
from cogenesis.core.llm import CancelToken
from cogenesis.core.vault import Vault
from tests.file_server import FileServer
from tests.gguf_files import tiny_gguf


@pytest.fixture
def model_bytes(tmp_path: Path) -> bytes:
    return tiny_gguf(tmp_path / "source.gguf", elements=300_000).read_bytes()


@pytest.fixture
def server(model_bytes: bytes) -> Iterator[FileServer]:
    running = FileServer(model_bytes)
    yield running
    running.stop()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_plain_download_with_progress(
    server: FileServer, model_bytes: bytes, tmp_path: Path
) -> None:
    seen: list[Progress] = []
    path = download_model(
        server.url, tmp_path / "models", sha256=sha(model_bytes), on_progress=seen.append
    )
    assert path.read_bytes() == model_bytes and path.name == "tiny.gguf"
    assert seen[-1] == Progress(len(model_bytes), len(model_bytes))
    assert not list((tmp_path / "models").glob("*.part"))


def test_interrupted_download_resumes_with_range(
    server: FileServer, model_bytes: bytes, tmp_path: Path
) -> None:
    server.cut_after = [200_000, 300_000]
    path = download_model(server.url, tmp_path / "models", sha256=sha(model_bytes))
    assert path.read_bytes() == model_bytes
    assert server.ranges == [None, "bytes=200000-", "bytes=500000-"]


def test_gives_up_but_keeps_the_part_then_resumes_later(
    server: FileServer, model_bytes: bytes, tmp_path: Path
) -> None:
    server.cut_after = [100_000, 100_000]
    with pytest.raises(DownloadFailed, match="stopped after 200,000 bytes") as info:
        download_model(server.url, tmp_path / "models", attempts=2)
    assert "resumes" in info.value.hint
    part = tmp_path / "models" / "tiny.gguf.part"
    assert part.stat().st_size == 200_000
    path = download_model(server.url, tmp_path / "models", sha256=sha(model_bytes))
    assert path.read_bytes() == model_bytes
    assert server.ranges[-1] == "bytes=200000-"


def test_cancel_keeps_the_part(server: FileServer, tmp_path: Path) -> None:
    cancel = CancelToken()

    def stop_soon(progress: Progress) -> None:
        cancel.cancel()

    with pytest.raises(DownloadCancelled):
        download_model(server.url, tmp_path / "models", on_progress=stop_soon, cancel=cancel)
    assert (tmp_path / "models" / "tiny.gguf.part").exists()
    assert not (tmp_path / "models" / "tiny.gguf").exists()


def test_a_stopped_download_is_listed_to_resume_or_discard(
    server: FileServer, tmp_path: Path, model_bytes: bytes
) -> None:
    models, cancel = tmp_path / "models", CancelToken()
    with pytest.raises(DownloadCancelled):
        download_model(
            server.url,
            models,
            sha256=sha(model_bytes),
            on_progress=lambda _: cancel.cancel(),
            cancel=cancel,
        )
    [stopped] = unfinished_downloads(models)
    assert (stopped.name, stopped.url, stopped.sha256) == (
        "tiny.gguf",
        server.url,
        sha(model_bytes),
    )
    assert 0 < stopped.size < len(model_bytes)
    download_model(stopped.url, models, sha256=stopped.sha256)  # resumed: listed no more
    assert unfinished_downloads(models) == []
    assert sorted(p.name for p in models.iterdir()) == ["tiny.gguf", "tiny.gguf.source.json"]
    (models / "tiny.gguf").unlink()
    cancel = CancelToken()
    with pytest.raises(DownloadCancelled):
        download_model(server.url, models, on_progress=lambda _: cancel.cancel(), cancel=cancel)
    discard_unfinished(models, unfinished_downloads(models)[0])
    assert sorted(p.name for p in models.iterdir()) == ["tiny.gguf.source.json"]


def test_checksum_mismatch_deletes_the_file(server: FileServer, tmp_path: Path) -> None:
    with pytest.raises(DownloadFailed, match="SHA-256") as info:
        download_model(server.url, tmp_path / "models", sha256="0" * 64)
    assert "again" in info.value.hint
    assert not list((tmp_path / "models").iterdir())


def test_server_etag_checksum_is_used(
    server: FileServer, model_bytes: bytes, tmp_path: Path
) -> None:
    server.etag = "f" * 64  # what Hugging Face sends as the LFS file's SHA-256
    with pytest.raises(DownloadFailed, match="SHA-256"):
        download_model(server.url, tmp_path / "models")
    server.etag = sha(model_bytes)
    assert download_model(server.url, tmp_path / "models").exists()


def test_server_that_ignores_range_restarts_cleanly(
    server: FileServer, model_bytes: bytes, tmp_path: Path
) -> None:
    server.cut_after = [150_000]
    server.honour_range = False
    path = download_model(server.url, tmp_path / "models", sha256=sha(model_bytes))
    assert path.read_bytes() == model_bytes


def test_not_a_model(tmp_path: Path) -> None:
    fake = FileServer(b"<html>not found</html>" * 100)
    try:
        with pytest.raises(DownloadFailed, match="not a usable GGUF"):
            download_model(fake.url, tmp_path / "models")
        assert not list((tmp_path / "models").iterdir())
    finally:
        fake.stop()


def test_url_must_name_a_gguf_file(tmp_path: Path) -> None:
    with pytest.raises(DownloadFailed, match=r"does not name a \.gguf"):
        download_model("http://127.0.0.1:9/model", tmp_path)


def test_refused_connection_is_reported(tmp_path: Path) -> None:
    with pytest.raises(DownloadFailed, match="stopped after 0 bytes"):
        download_model("http://127.0.0.1:9/x.gguf", tmp_path / "m", attempts=1)


def test_downloads_pass_the_choke_point(
    server: FileServer, model_bytes: bytes, tmp_path: Path, vault: Vault
) -> None:
    ledger = EgressLedger(vault.db)
    client = recording_http_client(mode_guard, ledger)
    try:
        with (
            egress_context(EgressContext("offline", None, "model download")),
            pytest.raises(PrivacyViolation),
        ):
            download_model(server.url, tmp_path / "models", client=client)
        assert server.ranges == []  # offline: not even a connection
        with egress_context(EgressContext("private", None, "model download")):
            download_model(server.url, tmp_path / "models", client=client)
    finally:
        client.close()
    done, refused = ledger.records()
    assert refused.refused and done.outcome == "complete" and done.purpose == "model download"
    assert done.response_size == len(model_bytes) and done.response_body is None
