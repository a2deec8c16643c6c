"""Testing a remote endpoint from the wizard: the same client, choke point and ledger as
every other request (no Qt here: it runs off the GUI thread)."""

from __future__ import annotations

from dataclasses import dataclass

from cogenesis.adapters.remote import DemoServer, RemoteConfig
from cogenesis.core.egress import EgressLedger, egress_context, probe_context
from cogenesis.core.errors import CogenesisError
from cogenesis.core.privacy import IndexCache, PrivacyGuard
from cogenesis.core.remote import Capabilities
from cogenesis.core.settings import check_base_url
from cogenesis.core.vault import Vault


@dataclass(frozen=True)
class EndpointChoice:
    """What the remote page says: provider "none", "demo" or "custom" (with its fields)."""

    provider: str
    base_url: str = ""
    model: str = ""
    api_key: str = ""


def checked_base_url(text: str) -> str:
    """``text`` as a base URL, normalised as ``cogenesis remote set`` stores it; a
    SettingsError saying what is wrong otherwise (the same check everywhere)."""
    return check_base_url(text)


def remote_config(choice: EndpointChoice, demo: DemoServer | None) -> RemoteConfig:
    """The config for ``choice``; starts the demo server when it is the choice (blocks)."""
    if choice.provider == "demo":
        if demo is None:
            raise CogenesisError("The demo endpoint is not available.", "Choose another one.")
        demo.start()
        return demo.config()
    if choice.provider != "custom":
        raise CogenesisError("No remote endpoint is chosen.", "Choose one to test it.")
    if not choice.model.strip():
        raise CogenesisError("The model name is empty.", "Type the model's name, e.g. gpt-4o-mini")
    return RemoteConfig(checked_base_url(choice.base_url), choice.model.strip())


def probe_endpoint(
    choice: EndpointChoice, vault: Vault | None, demo: DemoServer | None
) -> Capabilities:
    """Probe the chosen endpoint; every request passes the guard and lands in the ledger."""
    if vault is None or vault.is_locked:
        raise CogenesisError(
            "Testing needs the vault: every request is recorded in its ledger.",
            "Go Back and create the vault, or skip this test.",
        )
    from cogenesis.adapters.remote import OpenAIRemote, build_client  # openai: when tested

    config = remote_config(choice, demo)
    guard = PrivacyGuard(IndexCache(vault).get)
    client = build_client(config, guard, EgressLedger(vault.db), api_key=choice.api_key or None)
    remote = OpenAIRemote(config, client)
    try:
        with egress_context(probe_context("private")):
            return remote.probe()
    finally:
        remote.close()


def readiness(capabilities: Capabilities) -> str:
    """One line: which collaboration modes this endpoint can serve."""
    parts = []
    for strategy, label in (("sketch", "Sketch"), ("logit", "Logit fusion")):
        missing = capabilities.missing_for(strategy)
        parts.append(f"{label}: ready" if not missing else f"{label}: needs {', '.join(missing)}")
    return " · ".join(parts)
