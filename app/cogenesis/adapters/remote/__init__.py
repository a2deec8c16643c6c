"""The remote model through any OpenAI-compatible API, behind the egress choke point."""

from cogenesis.adapters.api_keys import api_key_for, save_api_key
from cogenesis.adapters.remote.client import build_client, recording_http_client
from cogenesis.adapters.remote.config import RemoteConfig
from cogenesis.adapters.remote.demo_server import (
    DEMO_LABEL,
    DemoServer,
    DemoServerError,
    demo_if_chosen,
    demo_log_file,
)
from cogenesis.adapters.remote.endpoint import config_from_settings
from cogenesis.adapters.remote.openai_remote import OpenAIRemote
from cogenesis.adapters.remote.transport import REDACTED, RecordingTransport

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
