"""A model download through the egress choke point (the privacy mode decides whether it may
connect; the vault's ledger records the request and the size received)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cogenesis.adapters.models import download_model
from cogenesis.core.egress import EgressContext, EgressLedger, egress_context
from cogenesis.core.privacy import IndexCache, PrivacyGuard
from cogenesis.core.vault import Vault


def recorded_download(
    vault: Vault,
    privacy_mode: str,
    url: str,
    dest_dir: Path,
    **options: Any,
) -> Path:
    """``download_model`` through the egress choke point: the privacy mode decides whether
    it may connect at all, and the vault's ledger records the request and its size."""
    from cogenesis.adapters.remote.client import recording_http_client  # imports openai

    client = recording_http_client(PrivacyGuard(IndexCache(vault).get), EgressLedger(vault.db))
    try:
        with egress_context(EgressContext(privacy_mode, None, "model download")):
            return download_model(url, dest_dir, client=client, **options)
    finally:
        client.close()
