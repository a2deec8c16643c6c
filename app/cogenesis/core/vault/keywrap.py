"""Wrapping a vault key under a passphrase: Argon2id derives a key, AES-256-GCM seals it.

The KDF parameters and a context label are authenticated (AES-GCM associated data), so a
file whose parameters were weakened or swapped to another vault fails to open.
"""

from __future__ import annotations

import base64
import json
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from cogenesis.core.errors import VaultError, WrongPassphrase

KEY_BYTES = 32
Key = bytes | bytearray  # keys are kept in bytearrays so they can be wiped
MIN_MEMORY_KIB = 64 * 1024
MIN_TIME_COST = 3
MIN_PASSPHRASE_CHARS = 8


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost parameters (RFC 9106's second recommendation by default)."""

    memory_kib: int = MIN_MEMORY_KIB
    time_cost: int = MIN_TIME_COST
    parallelism: int = 4

    def check(self) -> None:
        """Refuse parameters below the project's floor (64 MiB, t >= 3)."""
        if self.memory_kib < MIN_MEMORY_KIB or self.time_cost < MIN_TIME_COST:
            raise VaultError(
                "The key file asks for weaker Argon2id settings than CoGenesis allows.",
                "The file may have been tampered with; restore it from a backup.",
            )


@dataclass(frozen=True)
class WrappedKey:
    """A key sealed under a passphrase, with everything needed to open it again."""

    params: KdfParams
    salt: bytes
    nonce: bytes
    sealed: bytes

    def to_json(self) -> dict[str, Any]:
        return {
            "kdf": "argon2id",
            "memory_kib": self.params.memory_kib,
            "time_cost": self.params.time_cost,
            "parallelism": self.params.parallelism,
            "salt": _b64(self.salt),
            "nonce": _b64(self.nonce),
            "sealed": _b64(self.sealed),
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> WrappedKey:
        try:
            if doc["kdf"] != "argon2id":
                raise ValueError(f"unknown kdf {doc['kdf']!r}")
            params = KdfParams(
                int(doc["memory_kib"]), int(doc["time_cost"]), int(doc["parallelism"])
            )
            return cls(params, _unb64(doc["salt"]), _unb64(doc["nonce"]), _unb64(doc["sealed"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise VaultError(
                f"The key file is malformed ({exc}).",
                "Restore the key file or the vault from a backup.",
            ) from exc


def check_passphrase_strength(passphrase: str) -> None:
    """Refuse passphrases too short to protect a vault."""
    if len(passphrase) < MIN_PASSPHRASE_CHARS:
        raise VaultError(
            f"The passphrase is too short ({len(passphrase)} characters).",
            f"Use at least {MIN_PASSPHRASE_CHARS} characters; a few unrelated words work well.",
        )


def wrap_key(
    key: bytes, passphrase: str, label: str, params: KdfParams | None = None
) -> WrappedKey:
    """Seal ``key`` under ``passphrase``; ``label`` binds it to one vault or backup."""
    params = params or KdfParams()
    params.check()
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    kek = _derive(passphrase, salt, params)
    sealed = AESGCM(bytes(kek)).encrypt(nonce, bytes(key), _aad(params, label))
    _wipe(kek)
    return WrappedKey(params, salt, nonce, sealed)


def unwrap_key(wrapped: WrappedKey, passphrase: str, label: str) -> bytearray:
    """Open a sealed key; raises WrongPassphrase when the passphrase does not fit."""
    wrapped.params.check()
    kek = _derive(passphrase, wrapped.salt, wrapped.params)
    try:
        key = AESGCM(bytes(kek)).decrypt(wrapped.nonce, wrapped.sealed, _aad(wrapped.params, label))
    except InvalidTag as exc:
        raise WrongPassphrase(
            "That passphrase does not open the vault.",
            "Check the keyboard layout and Caps Lock, then try again.",
        ) from exc
    finally:
        _wipe(kek)
    return bytearray(key)


def _derive(passphrase: str, salt: bytes, params: KdfParams) -> bytearray:
    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    return bytearray(
        hash_secret_raw(
            secret,
            salt,
            time_cost=params.time_cost,
            memory_cost=params.memory_kib,
            parallelism=params.parallelism,
            hash_len=KEY_BYTES,
            type=Type.ID,
        )
    )


def _aad(params: KdfParams, label: str) -> bytes:
    doc = {"label": label, "m": params.memory_kib, "t": params.time_cost, "p": params.parallelism}
    return json.dumps(doc, sort_keys=True).encode()


def _wipe(buffer: bytearray) -> None:
    for i in range(len(buffer)):
        buffer[i] = 0


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
