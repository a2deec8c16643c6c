"""The remote model the settings describe, wired to the vault's guard and ledger."""

from __future__ import annotations

from cogenesis.adapters.remote.client import build_client
from cogenesis.adapters.remote.demo_server import DemoServer
from cogenesis.adapters.remote.endpoint import config_from_settings
from cogenesis.adapters.remote.openai_remote import OpenAIRemote
from cogenesis.core.collab.prompts import APP_TEXTS
from cogenesis.core.egress import EgressLedger
from cogenesis.core.privacy import IndexCache, PrivacyGuard
from cogenesis.core.privacy.guard import Consent
from cogenesis.core.remote import Capabilities
from cogenesis.core.settings import Settings
from cogenesis.core.vault import Vault


def remote_from_settings(
    settings: Settings,
    vault: Vault,
    demo: DemoServer | None = None,
    consent: Consent = lambda _conversation: False,
) -> OpenAIRemote:
    """Every request it makes passes this vault's privacy guard and lands in its ledger.
    ``demo``: the running demo server, needed when the settings choose it. ``consent``: which
    conversations the user allowed to send their private context (full-context mode)."""
    config = config_from_settings(settings, demo)
    guard = PrivacyGuard(IndexCache(vault).get, consent, app_texts=APP_TEXTS)
    stored = settings.remote_capabilities
    capabilities = (
        Capabilities(**{**stored, "notes": tuple(stored.get("notes", ()))}) if stored else None
    )
    client = build_client(config, guard, EgressLedger(vault.db))
    return OpenAIRemote(config, client, capabilities=capabilities)
