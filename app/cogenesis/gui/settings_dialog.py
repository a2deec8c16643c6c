"""Settings: privacy mode (Offline is one switch), preview policy, remote provider (the API key
goes to the OS keyring, never the settings file), local model, theme and font size."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cogenesis.core.errors import CogenesisError
from cogenesis.core.settings import Settings, save_settings
from cogenesis.gui.settings_fields import (
    DEVICES,
    FUSION_CHOICES,
    FUSION_HELP,
    MODES,
    MODES_HELP,
    PREVIEWS,
    PROVIDER_HELP,
    PROVIDERS,
    THEMES,
    FieldError,
    combo,
    key_status,
    save_key,
    spin,
    validate_local_model,
    validate_remote,
)

_ERROR_STYLE = "color: #c62828; font-weight: 600;"
_FIELD_ERROR_STYLE = "border: 1px solid #c62828; border-radius: 3px; padding: 2px;"


class SettingsDialog(QDialog):
    """Edits ``settings``; Save validates, keeps the API key in the keyring, writes
    ``settings_file`` and emits ``settings_changed(Settings)``. Nothing typed is lost on an
    error: the dialog stays open with the message and the offending field focused."""

    settings_changed = Signal(Settings)

    def __init__(
        self, settings: Settings, settings_file: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setMinimumWidth(920)
        self._marked: QWidget | None = None
        self.settings = settings
        self.settings_file = settings_file
        columns = QHBoxLayout()
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(self._privacy_group(settings))
        left.addWidget(self._remote_group(settings), 1)
        right.addWidget(self._local_group(settings))
        right.addWidget(self._appearance_group(settings), 1)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        self.error = QLabel()
        self.error.setAccessibleName("Settings error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(_ERROR_STYLE)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setAccessibleName("Save settings")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # room for an error
        layout.addLayout(columns)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._on_offline_toggled()
        self._on_provider()

    def _privacy_group(self, settings: Settings) -> QGroupBox:
        self.offline = QCheckBox("&Offline: nothing leaves this device")
        self.offline.setAccessibleName("Offline")
        self.offline.setStyleSheet("QCheckBox { font-weight: 600; padding: 4px 0; }")
        self.offline.setChecked(settings.privacy_mode == "offline")
        self.offline.toggled.connect(self._on_offline_toggled)
        online = settings.privacy_mode if settings.privacy_mode != "offline" else "private"
        self.mode = combo("Privacy mode when online", MODES, online)
        self.mode.currentIndexChanged.connect(self._on_offline_toggled)
        self.mode_help = QLabel(wordWrap=True)
        self.mode_help.setAccessibleName("About this privacy mode")
        self.preview = combo("Preview before sending", PREVIEWS, settings.preview_policy)
        group = QGroupBox("Privacy")
        form = QFormLayout(group)
        form.addRow(self.offline)
        form.addRow("&When online:", self.mode)
        form.addRow(self.mode_help)
        form.addRow("Pre&view:", self.preview)
        self.preview.setToolTip("When to show what the cloud will see before it is sent")
        return group

    def _remote_group(self, settings: Settings) -> QGroupBox:
        self.base_url = QLineEdit(settings.remote_base_url)
        self.base_url.setAccessibleName("Remote base URL")
        self.base_url.setPlaceholderText("https://api.openai.com/v1")
        self.remote_model = QLineEdit(settings.remote_model)
        self.remote_model.setAccessibleName("Remote model")
        self.remote_model.setPlaceholderText("gpt-4o-mini")
        self.api_key = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.api_key.setAccessibleName("API key")
        self.key_status = QLabel(wordWrap=True)
        self.key_status.setAccessibleName("Where the API key is kept")
        # Room for three lines and margins: a dialog at its least height squeezes wrapped text.
        self.key_status.setMinimumHeight(4 * self.key_status.fontMetrics().lineSpacing())
        self.api_key.setPlaceholderText("sk-… (optional; leave empty to keep the saved key)")
        self.key_status.setText(key_status(settings.remote_base_url))
        self.provider = combo("Remote provider", PROVIDERS, settings.remote_provider, PROVIDER_HELP)
        self.provider.currentIndexChanged.connect(self._on_provider)
        self.fusion = combo("Logit fusion rule", FUSION_CHOICES, settings.fusion_rule, FUSION_HELP)
        self.fusion.setToolTip(
            "How logit fusion combines the two models' next-token choices. Either way the cloud "
            "sees only the public request and the answer so far."
        )
        self.stall = spin(
            "Give up on a silent remote after", 1, 600, settings.remote_stall_seconds, " s"
        )
        self.stall.setToolTip(
            "How long the remote may send nothing while answering. Then the answer so far is "
            "kept and the local model finishes it alone."
        )
        group = QGroupBox("Remote model (OpenAI-compatible)")
        form = QFormLayout(group)
        form.addRow("&Provider:", self.provider)
        form.addRow("&Base URL:", self.base_url)
        form.addRow("&Model:", self.remote_model)
        form.addRow("API &key:", self.api_key)
        form.addRow(self.key_status)
        form.addRow("Logit &fusion:", self.fusion)
        form.addRow("&Silent remote:", self.stall)
        return group

    def _on_provider(self) -> None:
        custom = self.provider.currentData() == "custom"
        for field in (self.base_url, self.remote_model, self.api_key):
            field.setEnabled(custom)

    def _local_group(self, settings: Settings) -> QGroupBox:
        self.model_file = QLineEdit(settings.local_model)
        self.model_file.setAccessibleName("Local model file")
        self.model_file.setPlaceholderText("the bundled starter model")
        self.browse = QPushButton("Brows&e…")
        self.browse.setAccessibleName("Choose a local model file")
        self.browse.clicked.connect(self.choose_model_file)
        file_row = QWidget()
        file_layout = QHBoxLayout(file_row)
        file_layout.setContentsMargins(0, 0, 0, 0)
        file_layout.addWidget(self.model_file, 1)
        file_layout.addWidget(self.browse)
        file_label = QLabel("F&ile:")
        file_label.setBuddy(self.model_file)
        self.device = combo("Device", DEVICES, settings.device)
        self.threads = spin("Threads", 0, 512, settings.threads)
        self.threads.setSpecialValueText("automatic")
        self.threads.setToolTip(
            "Threads that write the answer. Automatic: the app shares the cores between the "
            "local model and the demo endpoint, and uses fewer while other programs are busy."
        )
        self.batch_threads = spin("Prompt threads", 0, 512, settings.batch_threads)
        self.batch_threads.setSpecialValueText("automatic")
        self.batch_threads.setToolTip("Threads that read the prompt (context and history).")
        self.context_size = spin("Context size", 256, 1_048_576, settings.context_size, " tokens")
        self.context_size.setSingleStep(1024)
        group = QGroupBox("Local model")
        form = QFormLayout(group)
        form.addRow(file_label, file_row)
        form.addRow("&Device:", self.device)
        form.addRow("&Threads:", self.threads)
        form.addRow("Prompt th&reads:", self.batch_threads)
        form.addRow("&Context size:", self.context_size)
        return group

    def _appearance_group(self, settings: Settings) -> QGroupBox:
        self.theme = combo("Theme", THEMES, settings.theme)
        self.font_size = spin("Font size", 6, 48, settings.font_size, " pt")
        self.auto_lock = spin("Lock the vault after idle minutes", 0, 24 * 60, 0, " min")
        self.auto_lock.setValue(settings.auto_lock_minutes)
        self.auto_lock.setSpecialValueText("never")
        group = QGroupBox("Appearance and vault")
        form = QFormLayout(group)
        form.addRow("T&heme:", self.theme)
        form.addRow("Font si&ze:", self.font_size)
        form.addRow("&Lock vault when idle:", self.auto_lock)
        return group

    def _on_offline_toggled(self) -> None:
        offline = self.offline.isChecked()
        self.mode.setEnabled(not offline)
        self.mode_help.setText(
            "Nothing leaves this device: no connection is opened at all."
            if offline
            else MODES_HELP[str(self.mode.currentData())]
        )

    def choose_model_file(self) -> None:
        start = (
            str(Path(self.model_file.text()).expanduser().parent) if self.model_file.text() else ""
        )
        path, _filter = QFileDialog.getOpenFileName(
            self, "Choose a local model", start, "GGUF models (*.gguf);;All files (*)"
        )
        if path:
            self.model_file.setText(path)

    def collect(self) -> Settings:
        """The settings the form describes; raises FieldError naming the field to fix."""
        provider = str(self.provider.currentData())
        base_url, model = validate_remote(
            self.base_url,
            self.remote_model,
            self.offline.isChecked() or provider != "custom",
            self.api_key,
        )
        updated = replace(
            self.settings,
            remote_provider=provider,
            privacy_mode="offline" if self.offline.isChecked() else str(self.mode.currentData()),
            preview_policy=str(self.preview.currentData()),
            remote_base_url=base_url,
            remote_model=model,
            local_model=validate_local_model(self.model_file),
            device=str(self.device.currentData()),
            threads=self.threads.value(),
            batch_threads=self.batch_threads.value(),
            context_size=self.context_size.value(),
            theme=str(self.theme.currentData()),
            font_size=self.font_size.value(),
            auto_lock_minutes=self.auto_lock.value(),
            fusion_rule=str(self.fusion.currentData()),
            remote_stall_seconds=self.stall.value(),
        )
        endpoint = (provider, base_url, model)
        if endpoint != (self.settings.remote_provider, *self._endpoint()):
            updated = replace(updated, remote_capabilities={})  # probed on another endpoint
        return updated

    def _endpoint(self) -> tuple[str, str]:
        return self.settings.remote_base_url, self.settings.remote_model

    def save(self) -> None:
        """Validate, keep the key, write the file, emit ``settings_changed`` and close."""
        try:
            updated = self.collect()
            save_key(updated.remote_base_url, self.api_key)
            save_settings(updated, self.settings_file)
        except FieldError as exc:
            self.show_error(str(exc.error), exc.field)
            return
        except (CogenesisError, OSError) as exc:
            self.show_error(f"The settings were not saved: {exc}", None)
            return
        self.api_key.clear()
        self.settings = updated
        self.settings_changed.emit(updated)
        self.accept()

    def show_error(self, message: str, field: QWidget | None) -> None:
        """Show ``message`` and outline and focus ``field`` (the one to fix)."""
        self.error.setText(message)
        if self._marked is not None:
            self._marked.setStyleSheet("")
        self._marked = field
        if field is not None:
            field.setStyleSheet(_FIELD_ERROR_STYLE)
            field.setFocus()
