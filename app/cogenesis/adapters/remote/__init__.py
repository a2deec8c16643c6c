"""The remote model through any OpenAI-compatible API, behind the egress choke point.

The client side (``openai``, about a second to import) loads on first use of one of its
names: the welcome wizard and the window show before anyone needs it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from cogenesis.adapters.api_keys import api_key_for, save_api_key
from cogenesis.adapters.remote.config import RemoteConfig
from cogenesis.adapters.remote.demo_server import (
    DEMO_LABEL,
    DemoServer,
    DemoServerError,
    demo_if_chosen,
    demo_log_file,
)
from cogenesis.adapters.remote.endpoint import config_from_settings

if TYPE_CHECKING:
    from cogenesis.adapters.remote.client import build_client, recording_http_client
    from cogenesis.adapters.remote.openai_remote import OpenAIRemote
    from cogenesis.adapters.remote.transport import REDACTED, RecordingTransport

_LOADED_ON_USE = {
    "build_client": "client",
    "recording_http_client": "client",
    "OpenAIRemote": "openai_remote",
    "REDACTED": "transport",
    "RecordingTransport": "transport",
}

__all__ = [
    "DEMO_LABEL",
    "REDACTED",
    "DemoServer",
    "DemoServerError",
    "OpenAIRemote",
    "RecordingTransport",
    "RemoteConfig",
    "api_key_for",
    "build_client",
    "config_from_settings",
    "demo_if_chosen",
    "demo_log_file",
    "recording_http_client",
    "save_api_key",
]


def __getattr__(name: str) -> Any:
    module = _LOADED_ON_USE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
