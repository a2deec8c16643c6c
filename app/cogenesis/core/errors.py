"""The project's error types. Every message says what happened and what to do next."""

from __future__ import annotations


class CogenesisError(Exception):
    """Base of every error the app reports to a user.

    ``message`` says what went wrong; ``hint`` says what the user can do about it.
    """

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class SettingsError(CogenesisError):
    """The settings file cannot be read or written."""


class VaultError(CogenesisError):
    """Base of every vault problem."""


class VaultNotFound(VaultError):
    """No vault exists where one was expected."""


class VaultExists(VaultError):
    """Refusing to create a vault over an existing one."""


class VaultLocked(VaultError):
    """An operation needs an unlocked vault."""


class WrongPassphrase(VaultError):
    """The passphrase (or the key from the keyring) does not open the vault."""


class VaultDamaged(VaultError):
    """The vault file failed its integrity checks; ``report`` lists what failed."""

    def __init__(self, message: str, hint: str = "", report: list[str] | None = None) -> None:
        super().__init__(message, hint)
        self.report = list(report or [])


class KeyStoreError(VaultError):
    """The key store (OS keyring or key file) cannot give or keep the vault key."""


class KeyBackendChanged(KeyStoreError):
    """The key store in use differs from the one the vault was created with."""


class RecordNotFound(VaultError):
    """A record id does not exist in the vault."""


class ImportFormatError(VaultError):
    """An import file is malformed; ``field`` names the offending field."""

    def __init__(self, field: str, problem: str, hint: str = "") -> None:
        super().__init__(
            f"Cannot import: {field} {problem}.",
            hint or "Fix that field in the file and import again; nothing was imported.",
        )
        self.field = field


class DatasetUserNeeded(ImportFormatError):
    """A dataset file with several users and none chosen; ``ids`` are theirs (tid)."""

    def __init__(self, ids: list[str]) -> None:
        shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
        super().__init__(
            "the document",
            f"holds {len(ids)} users (tid {shown})",
            "Choose one user to import; nothing was imported.",
        )
        self.ids = ids


class PrivacyViolation(CogenesisError):
    """The privacy guard refused to let a request leave the device; nothing was sent."""


class RemoteError(CogenesisError):
    """Talking to the remote model failed. ``retryable`` says whether trying again may help."""

    retryable = False


class RemoteUnavailable(RemoteError):
    """The endpoint could not be reached (refused, reset, DNS, TLS)."""

    retryable = True


class RemoteTimeout(RemoteError):
    """The endpoint did not answer in time."""

    retryable = True


class RemoteAuthError(RemoteError):
    """The endpoint refused the API key (401/403)."""


class RemoteModelNotFound(RemoteError):
    """The endpoint has no model of that name (404)."""


class RemoteRateLimited(RemoteError):
    """429: too many requests. ``retry_after`` is the server's wait in seconds, if given."""

    retryable = True

    def __init__(self, message: str, hint: str = "", retry_after: float | None = None) -> None:
        super().__init__(message, hint)
        self.retry_after = retry_after


class RemoteServerError(RemoteError):
    """5xx from the endpoint."""

    retryable = True


class RemoteProtocolError(RemoteError):
    """The answer broke the protocol: malformed stream, missing or short log-probabilities,
    or a stream cut in the middle. ``partial`` keeps what had arrived."""

    def __init__(self, message: str, hint: str = "", partial: str = "") -> None:
        super().__init__(message, hint)
        self.partial = partial


class CapabilityMissing(RemoteError):
    """The endpoint lacks what a strategy needs."""
