"""User settings: a versioned JSON file with numbered migrations and no secrets.

API keys and vault keys live in the OS keyring or the vault, never here.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cogenesis.core.errors import SettingsError
from cogenesis.core.fileio import write_private_atomic
from cogenesis.core.policy import PrivacyMode

SCHEMA_VERSION = 2
_SECRET_NAME = re.compile(r"(api_?key|secret|token|password|passphrase|credential)", re.I)

PRIVACY_MODES = tuple(m.value for m in PrivacyMode)
PREVIEW_POLICIES = ("always", "when-removed", "never")
THEMES = ("system", "light", "dark")
DEVICES = ("auto", "cpu", "gpu")
# none: no remote model (a configured URL is kept); demo: the built-in endpoint on this
# computer; custom: remote_base_url (not configured while that is empty)
REMOTE_PROVIDERS = ("none", "demo", "custom")
# Logit fusion: the cloud's distribution moved by the private context (shift), or both
# models' distributions multiplied with equal weights (product) or weights by certainty.
FUSION_RULES = ("shift", "product", "adaptive")


@dataclass
class Settings:
    """Everything the user can set. Add a field with a default, or write a migration."""

    privacy_mode: str = "offline"
    preview_policy: str = "when-removed"
    theme: str = "system"
    font_size: int = 11
    local_model: str = ""
    device: str = "auto"
    threads: int = 0  # the local model's generation threads (0: the thread budget)
    batch_threads: int = 0  # its prompt-processing threads (0: the thread budget)
    context_size: int = 4096
    auto_lock_minutes: int = 15
    remote_provider: str = "custom"  # with no base URL yet: no remote model
    remote_base_url: str = ""
    remote_model: str = ""
    remote_chat_template: str = ""  # Jinja, for prefix continuation through /completions
    remote_capabilities: dict[str, Any] = field(default_factory=dict)  # from the last probe
    fusion_rule: str = "shift"
    # how long a remote may stay silent mid-answer before the local model finishes alone
    remote_stall_seconds: int = 15
    unknown: dict[str, Any] = field(default_factory=dict, repr=False)

    def validate(self) -> None:
        """Raise SettingsError naming the first value that is out of range."""
        _check_choice("privacy_mode", self.privacy_mode, PRIVACY_MODES)
        _check_choice("preview_policy", self.preview_policy, PREVIEW_POLICIES)
        _check_choice("theme", self.theme, THEMES)
        _check_choice("device", self.device, DEVICES)
        _check_choice("remote_provider", self.remote_provider, REMOTE_PROVIDERS)
        _check_choice("fusion_rule", self.fusion_rule, FUSION_RULES)
        _check_range("font_size", self.font_size, 6, 48)
        _check_range("threads", self.threads, 0, 512)
        _check_range("batch_threads", self.batch_threads, 0, 512)
        _check_range("context_size", self.context_size, 256, 1_048_576)
        _check_range("auto_lock_minutes", self.auto_lock_minutes, 0, 24 * 60)
        _check_range("remote_stall_seconds", self.remote_stall_seconds, 1, 600)


Migration = Callable[[dict[str, Any]], dict[str, Any]]
_MIGRATIONS: dict[int, Migration] = {}


def migration(to_version: int) -> Callable[[Migration], Migration]:
    """Register a function that turns a version ``to_version - 1`` document into the next."""

    def register(func: Migration) -> Migration:
        _MIGRATIONS[to_version] = func
        return func

    return register


@migration(1)
def _m001_versioned(doc: dict[str, Any]) -> dict[str, Any]:
    """Pre-release files had no version and called the privacy mode ``mode``."""
    if "mode" in doc and "privacy_mode" not in doc:
        doc["privacy_mode"] = doc.pop("mode")
    return doc


@migration(2)
def _m002_remote_provider(doc: dict[str, Any]) -> dict[str, Any]:
    """The provider became a choice; older files keep using their base URL (if any)."""
    doc.setdefault("remote_provider", "custom")
    return doc


def migrate(doc: dict[str, Any]) -> dict[str, Any]:
    """Bring a settings document up to SCHEMA_VERSION."""
    version = doc.get("schema_version", 0)
    if not isinstance(version, int) or version < 0:
        raise SettingsError(
            f"The settings file has an invalid schema_version {version!r}.",
            "Fix or delete the settings file; the app will start with defaults.",
        )
    if version > SCHEMA_VERSION:
        raise SettingsError(
            f"The settings file was written by a newer CoGenesis (schema {version}).",
            "Upgrade CoGenesis; this version will not overwrite newer settings.",
        )
    for target in range(version + 1, SCHEMA_VERSION + 1):
        doc = _MIGRATIONS[target](doc)
        doc["schema_version"] = target
    return doc


def load_settings(path: Path) -> Settings:
    """Read settings from ``path``; defaults when the file does not exist yet."""
    if not path.exists():
        return Settings()
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SettingsError(
            f"Cannot read the settings file {path}: {exc}.",
            "Fix or delete that file; the app will start with defaults.",
        ) from exc
    if not isinstance(doc, dict):
        raise SettingsError(
            f"The settings file {path} does not hold a JSON object.",
            "Fix or delete that file; the app will start with defaults.",
        )
    return _from_document(migrate(doc))


def save_settings(settings: Settings, path: Path) -> None:
    """Validate and write settings atomically (0600)."""
    settings.validate()
    if settings.remote_base_url:  # checked on save, not on load: a bad one stays fixable
        check_base_url(settings.remote_base_url)
    doc = {"schema_version": SCHEMA_VERSION, **settings.unknown}
    doc.update({k: v for k, v in asdict(settings).items() if k != "unknown"})
    for name in doc:
        if _SECRET_NAME.search(name):
            raise SettingsError(
                f"Refusing to write {name!r} to the settings file: secrets never go there.",
                "Store it in the OS keyring or the vault instead.",
            )
    write_private_atomic(path, (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode())


def _from_document(doc: dict[str, Any]) -> Settings:
    known = {f.name for f in fields(Settings)} - {"unknown"}
    values = {k: v for k, v in doc.items() if k in known}
    unknown = {k: v for k, v in doc.items() if k not in known and k != "schema_version"}
    defaults = Settings()
    for name, value in values.items():
        expected = type(getattr(defaults, name))
        if not isinstance(value, expected) or isinstance(value, bool) != (expected is bool):
            raise SettingsError(
                f"Setting {name!r} should be {expected.__name__}, found {value!r}.",
                "Fix that value in the settings file, or delete the file to use defaults.",
            )
    settings = Settings(**values, unknown=unknown)
    settings.validate()
    return settings


_URL_EXAMPLE = "Write it in full, like https://api.openai.com/v1 or http://127.0.0.1:8080/v1."
_HOST_NAME = re.compile(
    r"^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?$"
)


def check_base_url(url: str) -> str:
    """A remote endpoint's base URL, normalised (scheme and host in lower case, no trailing
    slash); SettingsError saying what is wrong otherwise. Only http and https, with a host
    and a valid port; no user name or password (keys go to the keyring), query or fragment."""
    text = url.strip()

    def bad(problem: str, hint: str = _URL_EXAMPLE) -> SettingsError:
        return SettingsError(f"The base URL {text!r} {problem}.", hint)

    if not text:
        raise bad("is empty")
    try:
        parts = urlsplit(text)
    except ValueError as exc:  # an unclosed "[" of an IPv6 address, for one
        raise bad(f"is not a valid web address ({exc})") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not text.lower().startswith(scheme + "://"):
        raise bad("does not start with http:// or https://")
    if "@" in parts.netloc:
        raise bad(
            "holds a user name or password",
            "Leave them out (give an API key with --api-key-stdin). " + _URL_EXAMPLE,
        )
    if parts.fragment or "#" in text:
        raise bad("has a fragment (#…)", _URL_EXAMPLE)
    if parts.query:
        raise bad("has a query (?…)", _URL_EXAMPLE)
    host = parts.hostname or ""
    if not host:
        raise bad("has no host")
    try:
        port = parts.port
    except ValueError as exc:
        raise bad(
            "has an invalid port", "Use a port from 1 to 65535, or none. " + _URL_EXAMPLE
        ) from exc
    if port == 0:
        raise bad("has an invalid port", "Use a port from 1 to 65535, or none. " + _URL_EXAMPLE)
    if parts.netloc.endswith(":"):
        raise bad("has an empty port", "Give a port after the colon, or none. " + _URL_EXAMPLE)
    if parts.netloc.startswith("["):
        try:
            ipaddress.IPv6Address(host.split("%")[0])
        except ValueError as exc:
            raise bad("is not a valid web address (a bad IPv6 address)") from exc
        netloc_host = f"[{host}]"
    else:
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise bad(f"has an invalid host {host!r}") from exc
        if not _HOST_NAME.match(ascii_host):
            raise bad(f"has an invalid host {host!r}")
        if re.fullmatch(r"[0-9.]+", host.rstrip(".")):  # digits only: an IPv4 address
            try:
                ipaddress.IPv4Address(host.rstrip("."))
            except ValueError as exc:
                raise bad(f"has an invalid IPv4 address {host!r}") from exc
        netloc_host = host
    netloc = netloc_host if port is None else f"{netloc_host}:{port}"
    path = parts.path.rstrip("/")
    if any(c.isspace() for c in path):
        raise bad("has a space in its path", "Write spaces as %20. " + _URL_EXAMPLE)
    return f"{scheme}://{netloc}{path}"


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise SettingsError(f"Setting {name!r} is {value!r}.", f"Use one of: {', '.join(choices)}.")


def _check_range(name: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise SettingsError(f"Setting {name!r} is {value}.", f"Use a number from {low} to {high}.")
