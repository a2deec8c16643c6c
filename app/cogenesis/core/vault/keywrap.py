"""Wrapping a vault key under a passphrase: Argon2id derives a key, AES-256-GCM seals it.

The KDF parameters and a context label are authenticated (AES-GCM associated data), so a
file whose parameters were weakened or swapped to another vault fails to open.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from cogenesis.core.errors import KeyStoreError, VaultError, WrongPassphrase

KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12
SEALED_BYTES = KEY_BYTES + 16  # the key and GCM's tag
Key = bytes | bytearray  # keys are kept in bytearrays so they can be wiped
MIN_MEMORY_KIB = 64 * 1024
MIN_TIME_COST = 3
MIN_PASSPHRASE_CHARS = 8
# Upper bounds: a key file asking for more is damaged, and would otherwise make Argon2id run
# for hours or fail to allocate (4 GiB, t = 64, p = 64 are far beyond anything written here).
MAX_MEMORY_KIB = 4 * 1024 * 1024
MAX_TIME_COST = 64
MAX_PARALLELISM = 64


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost parameters (RFC 9106's second recommendation by default)."""

    memory_kib: int = MIN_MEMORY_KIB
    time_cost: int = MIN_TIME_COST
    parallelism: int = 4

    def check(self) -> None:
        """Refuse parameters below the project's floor (64 MiB, t >= 3) or absurdly high."""
        if self.memory_kib < MIN_MEMORY_KIB or self.time_cost < MIN_TIME_COST:
            raise _damaged("it asks for weaker Argon2id settings than CoGenesis allows")
        if (
            self.memory_kib > MAX_MEMORY_KIB
            or self.time_cost > MAX_TIME_COST
            or not 1 <= self.parallelism <= MAX_PARALLELISM
        ):
            raise _damaged(
                f"its Argon2id settings are out of range (m={self.memory_kib} KiB, "
                f"t={self.time_cost}, p={self.parallelism})"
            )


@dataclass(frozen=True)
class WrappedKey:
    """A key sealed under a passphrase, with everything needed to open it again."""

    params: KdfParams
    salt: bytes
    nonce: bytes
    sealed: bytes

    def to_json(self) -> dict[str, Any]:
        doc = self._fields()
        return {**doc, "check": _checksum(doc)}

    def _fields(self) -> dict[str, Any]:
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
            for name in ("memory_kib", "time_cost", "parallelism"):
                if type(doc[name]) is not int:
                    raise ValueError(f"{name} is not a whole number")
            params = KdfParams(doc["memory_kib"], doc["time_cost"], doc["parallelism"])
            wrapped = cls(params, _unb64(doc["salt"]), _unb64(doc["nonce"]), _unb64(doc["sealed"]))
            lengths = (len(wrapped.salt), len(wrapped.nonce), len(wrapped.sealed))
            if lengths != (SALT_BYTES, NONCE_BYTES, SEALED_BYTES):
                raise ValueError("the salt, nonce or sealed key has the wrong length")
        except (KeyError, TypeError, ValueError) as exc:
            raise _damaged(f"it is malformed: {exc}") from exc
        params.check()
        # Files written since the check was added carry a checksum of these fields: a flipped
        # bit or an edited value is then told apart from a wrong passphrase. (Anyone can
        # recompute it, so it proves no authenticity; AES-GCM does that.)
        if "check" in doc and not hmac.compare_digest(
            str(doc["check"]).encode(), _checksum(wrapped._fields()).encode()
        ):
            raise _damaged("its fields do not match their checksum")
        return wrapped


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
    if params.memory_kib < MIN_MEMORY_KIB or params.time_cost < MIN_TIME_COST:
        raise VaultError(
            "These Argon2id settings are weaker than CoGenesis allows.",
            f"Use at least {MIN_MEMORY_KIB} KiB and t = {MIN_TIME_COST}.",
        )
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
            "Check the keyboard layout and Caps Lock, then try again. If you are sure of it, "
            "the key file may have been altered: restore it from a backup.",
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


def _checksum(fields: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()


def _damaged(problem: str) -> KeyStoreError:
    return KeyStoreError(
        f"The key file is damaged: {problem}.",
        "Restore vault.key (or the whole vault) from a backup; the passphrase was not tried.",
    )


def _wipe(buffer: bytearray) -> None:
    for i in range(len(buffer)):
        buffer[i] = 0


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
