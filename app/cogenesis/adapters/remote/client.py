"""The single place where the openai client is built, with the recording transport."""

from __future__ import annotations

import httpx2
import openai

from cogenesis.adapters.api_keys import api_key_for
from cogenesis.adapters.remote.config import RemoteConfig
from cogenesis.adapters.remote.transport import RecordingTransport
from cogenesis.core.egress import EgressLedger, Guard


def build_client(
    config: RemoteConfig,
    guard: Guard,
    ledger: EgressLedger,
    *,
    api_key: str | None = None,
    inner: httpx2.BaseTransport | None = None,
) -> openai.OpenAI:
    """An openai client whose every request passes the guard and is recorded in the ledger."""
    # trust_env=False: no proxy from the environment, nothing but the configured endpoint.
    transport = RecordingTransport(inner or httpx2.HTTPTransport(trust_env=False), guard, ledger)
    http = httpx2.Client(
        transport=transport, trust_env=False, timeout=httpx2.Timeout(config.timeout, connect=10.0)
    )
    return openai.OpenAI(
        base_url=config.base_url,
        api_key=api_key or config.api_key or api_key_for(config.base_url),
        http_client=http,
        max_retries=0,  # retries happen above, only where they are safe
    )


def recording_http_client(
    guard: Guard, ledger: EgressLedger, *, timeout: float = 60.0
) -> httpx2.Client:
    """A plain HTTP client behind the same choke point, for downloads: response sizes are
    recorded, not their content (a model file is not worth a copy in the vault)."""
    transport = RecordingTransport(
        httpx2.HTTPTransport(trust_env=False), guard, ledger, store_responses=False
    )
    return httpx2.Client(
        transport=transport,
        trust_env=False,
        follow_redirects=True,
        timeout=httpx2.Timeout(timeout, connect=10.0),
    )
