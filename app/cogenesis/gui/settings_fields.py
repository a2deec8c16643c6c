"""The settings dialog's choices, fields and checks: each failure names the field and the next
step."""

from __future__ import annotations

import os
from pathlib import Path

from keyring.errors import KeyringError
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QSizePolicy, QSpinBox, QWidget

from cogenesis.adapters.api_keys import KEY_ENV, NO_KEY, api_key_for, save_api_key
from cogenesis.adapters.keystore import keyring_available
from cogenesis.core.errors import CogenesisError
from cogenesis.core.llm.gguf import read_header
from cogenesis.core.settings import check_base_url

MODES = (
    ("Private collaboration", "private"),
    ("Cloud without context", "cloud-no-context"),
    ("Full context (asks consent)", "full-context"),
)
PREVIEWS = (
    ("Always", "always"),
    ("Only when something private was removed", "when-removed"),
    ("Never", "never"),
)
DEVICES = (("Automatic", "auto"), ("CPU only", "cpu"), ("GPU", "gpu"))
THEMES = (("Same as the system", "system"), ("Light", "light"), ("Dark", "dark"))
FUSION_CHOICES = (
    ("Cloud leads, context steers (recommended)", "shift"),
    ("Equal say", "product"),
    ("The surer model weighs more", "adaptive"),
)
FUSION_HELP = {
    "shift": "The cloud's next-token choice, moved by what your local model knows of you.",
    "product": "Both models' next-token probabilities multiplied: each has an equal say.",
    "adaptive": "Set per token from the two models' certainty: the more certain weighs more.",
}
PROVIDERS = (
    ("Custom endpoint", "custom"),
    ("Demo endpoint (on this computer)", "demo"),
    ("None", "none"),
)
PROVIDER_HELP = {
    "custom": "Any OpenAI-compatible API: OpenAI, vLLM, llama.cpp's server, Ollama…",
    "demo": "A stand-in for a cloud that runs on this computer, to try the collaboration.",
    "none": "No remote model: every answer is written on this computer.",
}
MODES_HELP = {
    "private": "Private collaboration: the cloud model helps (sketch or logit fusion) but never"
    " sees your private context.",
    "cloud-no-context": "Cloud without context: only the public part of your message is sent;"
    " the local model is not used.",
    "full-context": "Full context: your private context goes to the cloud, only after you"
    " consent for each conversation.",
}
NO_KEYRING = (
    f"No OS keyring on this computer to keep the API key: set the {KEY_ENV} "
    "environment variable before starting CoGenesis."
)


def combo(
    name: str,
    choices: tuple[tuple[str, str], ...],
    current: str,
    help_by_value: dict[str, str] | None = None,
) -> QComboBox:
    """A choice of (label, value) pairs, ``current`` chosen (else the first); each item's
    tooltip from ``help_by_value``. It is never narrower than its longest label."""
    box = QComboBox()
    box.setAccessibleName(name)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    box.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)  # hint = least
    for label, value in choices:
        box.addItem(label, value)
        if help_by_value and value in help_by_value:
            box.setItemData(box.count() - 1, help_by_value[value], Qt.ItemDataRole.ToolTipRole)
    box.setCurrentIndex(max(box.findData(current), 0))
    return box


def spin(name: str, low: int, high: int, value: int, suffix: str = "") -> QSpinBox:
    """A whole number from ``low`` to ``high``."""
    box = QSpinBox(minimum=low, maximum=high, value=value, suffix=suffix)
    box.setAccessibleName(name)
    return box


class FieldError(Exception):
    """A value in the form that cannot be saved; ``field`` is where to fix it."""

    def __init__(self, field: QWidget, error: CogenesisError) -> None:
        super().__init__(str(error))
        self.field = field
        self.error = error


def key_status(base_url: str) -> str:
    """Where the endpoint's key comes from, in a sentence for under the key field."""
    if os.environ.get(KEY_ENV):
        return f"Using the key from the {KEY_ENV} environment variable."
    if not keyring_available():
        return NO_KEYRING
    if base_url and api_key_for(base_url) != NO_KEY:
        return "A key is saved in the OS keyring. Type a new one to replace it."
    return "Kept in the OS keyring, never in the settings file. Local servers need none."


def save_key(base_url: str, field: QLineEdit) -> None:
    """Put the typed key (if any) into the OS keyring; FieldError when there is none."""
    key = field.text().strip()
    if not key:
        return
    try:
        save_api_key(base_url, key)
    except CogenesisError as exc:
        raise FieldError(
            field, CogenesisError(f"The API key was not saved. {NO_KEYRING}", _CLEAR)
        ) from exc
    except KeyringError as exc:
        message = f"The OS keyring refused the API key ({exc}). {NO_KEYRING}"
        raise FieldError(field, CogenesisError(message, _CLEAR)) from exc


_CLEAR = "Or clear the API key field to save the other settings."


def validate_remote(
    base_url_field: QLineEdit, model_field: QLineEdit, offline: bool, key_field: QLineEdit
) -> tuple[str, str]:
    """The endpoint's base URL (without a trailing slash) and model name."""
    base_url = base_url_field.text().strip().rstrip("/")
    model = model_field.text().strip()
    if base_url:
        try:  # the check `cogenesis remote set` makes ("http://[::1" raised a ValueError)
            base_url = check_base_url(base_url)
        except CogenesisError as exc:
            raise FieldError(base_url_field, exc) from exc
    if base_url and not model:
        raise FieldError(
            model_field,
            CogenesisError(
                "The remote model has no name.",
                "Enter the model the endpoint serves, like gpt-4o-mini.",
            ),
        )
    if model and not base_url:
        raise FieldError(
            base_url_field,
            CogenesisError(
                "The remote model has no base URL.",
                "Enter the endpoint's address, like https://api.openai.com/v1.",
            ),
        )
    if key_field.text().strip() and not base_url:
        raise FieldError(
            base_url_field,
            CogenesisError("An API key belongs to an endpoint.", "Enter the base URL it is for."),
        )
    if not offline and not base_url:
        raise FieldError(
            base_url_field,
            CogenesisError(
                "Working online needs a remote model.",
                "Enter its base URL and model name, or turn Offline on.",
            ),
        )
    return base_url, model


def validate_local_model(field: QLineEdit) -> str:
    """The model file's path ('' for the starter model); it must be a readable GGUF file."""
    text = field.text().strip()
    if not text:
        return ""
    path = Path(text).expanduser()
    if path.is_dir():
        raise FieldError(
            field,
            CogenesisError(
                f"{path} is a folder.", "Choose a .gguf file with Browse…, or clear the field."
            ),
        )
    try:
        read_header(path)
    except CogenesisError as exc:
        raise FieldError(
            field,
            CogenesisError(
                exc.message,
                "Choose a .gguf file with Browse…, or clear the field to use the starter model.",
            ),
        ) from exc
    return str(path)
