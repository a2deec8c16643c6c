"""Which endpoint the settings choose: a configured provider or the running demo server."""

from __future__ import annotations

from dataclasses import replace

from cogenesis.adapters.remote.config import RemoteConfig
from cogenesis.adapters.remote.demo_server import DemoServer
from cogenesis.core.errors import CogenesisError, SettingsError
from cogenesis.core.settings import Settings, check_base_url

_SET_ONE = "Set one: cogenesis remote set --base-url URL --model NAME"


def config_from_settings(settings: Settings, demo: DemoServer | None = None) -> RemoteConfig:
    """The configured endpoint (``demo``: the running demo server); a clear error when none."""
    if settings.remote_provider == "demo":
        if demo is None or not demo.running:
            raise CogenesisError(
                "The demo endpoint is chosen but not running.",
                "Start it (the app does so on start), or choose another remote endpoint.",
            )
        return replace(demo.config(), stall_timeout=float(settings.remote_stall_seconds))
    if settings.remote_provider == "none" or not settings.remote_base_url:
        raise CogenesisError("No remote endpoint is configured.", _SET_ONE)
    if not settings.remote_model:
        raise CogenesisError(
            f"No model is set for the remote endpoint {settings.remote_base_url}.", _SET_ONE
        )
    try:  # a settings file written by hand or by an older version may hold a bad one
        base_url = check_base_url(settings.remote_base_url)
    except SettingsError as exc:
        raise SettingsError(
            exc.message, f"Set a valid one: {_SET_ONE.removeprefix('Set one: ')}"
        ) from None
    return RemoteConfig(
        base_url,
        settings.remote_model,
        chat_template=settings.remote_chat_template,
        stall_timeout=float(settings.remote_stall_seconds),
    )
