"""API keys for remote endpoints: from $COGENESIS_API_KEY or the OS keyring, never a file.

Kept apart from the client so that the settings screen does not import the openai package.
"""

from __future__ import annotations

import os

import keyring
from keyring.errors import KeyringError

from cogenesis.adapters.keystore import keyring_available

KEY_ENV = "COGENESIS_API_KEY"
KEY_SERVICE = "CoGenesis Desktop remote"
NO_KEY = "no-key"  # local servers need none; the client insists on some value


def api_key_for(base_url: str) -> str:
    """The key from $COGENESIS_API_KEY, else the OS keyring, else none."""
    if os.environ.get(KEY_ENV):
        return os.environ[KEY_ENV]
    if keyring_available():
        try:
            return keyring.get_password(KEY_SERVICE, base_url) or NO_KEY
        except KeyringError:
            return NO_KEY
    return NO_KEY


def save_api_key(base_url: str, key: str) -> None:
    """Keep the key in the OS keyring (never in the settings file)."""
    from cogenesis.core.errors import CogenesisError

    if not keyring_available():
        raise CogenesisError(
            "There is no OS keyring to keep the API key in.",
            f"Set the {KEY_ENV} environment variable instead.",
        )
    keyring.set_password(KEY_SERVICE, base_url, key)
