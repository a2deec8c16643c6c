"""Map openai / httpx2 exceptions to the project's typed remote errors."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import httpx2
import openai

from cogenesis.core.errors import (
    PrivacyViolation,
    RemoteAuthError,
    RemoteError,
    RemoteModelNotFound,
    RemoteProtocolError,
    RemoteRateLimited,
    RemoteServerError,
    RemoteTimeout,
    RemoteUnavailable,
)


@contextlib.contextmanager
def remote_errors(host: str, model: str) -> Iterator[None]:
    """Translate exceptions raised inside the block; PrivacyViolation passes unchanged."""
    try:
        yield
    except PrivacyViolation:
        raise
    except openai.APIConnectionError as exc:
        raise _connection(exc, host) from exc
    except openai.APIStatusError as exc:
        raise _status(exc, host, model) from exc
    except (httpx2.RemoteProtocolError, httpx2.ReadError) as exc:
        raise RemoteProtocolError(
            f"The answer from {host} broke off ({exc}).", "Try again; what arrived so far is kept."
        ) from exc
    except httpx2.TimeoutException as exc:
        raise RemoteTimeout(
            f"{host} stopped answering.", "Try again, or check the endpoint."
        ) from exc
    except (ValueError, KeyError, TypeError, openai.APIResponseValidationError) as exc:
        raise RemoteProtocolError(
            f"{host} sent an answer that could not be read ({exc}).",
            "The endpoint may not be OpenAI-compatible for this call.",
        ) from exc


def _connection(exc: openai.APIConnectionError, host: str) -> RemoteError | PrivacyViolation:
    cause = exc.__cause__
    while cause is not None:
        if isinstance(cause, PrivacyViolation):
            return cause
        if isinstance(cause, httpx2.RemoteProtocolError):
            return RemoteProtocolError(
                f"The answer from {host} broke off ({cause}).",
                "Try again; what arrived so far is kept.",
            )
        cause = cause.__cause__
    if isinstance(exc, openai.APITimeoutError):
        return RemoteTimeout(f"{host} did not answer in time.", "Try again, or raise the timeout.")
    return RemoteUnavailable(
        f"Cannot reach {host} ({exc.__cause__ or exc}).",
        "Check the base URL and that the server is running.",
    )


def _status(exc: openai.APIStatusError, host: str, model: str) -> RemoteError:
    code = exc.status_code
    if code in (401, 403):
        return RemoteAuthError(
            f"{host} refused the API key ({code}).",
            "Check the key: cogenesis remote set --api-key-stdin.",
        )
    if code == 404:
        return RemoteModelNotFound(
            f"{host} has no model {model!r} (404).",
            "Check the model name (see the provider's model list).",
        )
    if code == 429:
        after = exc.response.headers.get("retry-after", "")
        seconds = float(after) if after.replace(".", "", 1).isdigit() else None
        wait = f" Wait {seconds:g} s." if seconds is not None else ""
        return RemoteRateLimited(
            f"{host} is rate-limiting requests (429).",
            f"Try again later.{wait}",
            retry_after=seconds,
        )
    if code >= 500:
        return RemoteServerError(f"{host} had an internal error ({code}).", "Try again later.")
    return RemoteError(
        f"{host} rejected the request ({code}): {exc.message}",
        "The endpoint may not support this call.",
    )
