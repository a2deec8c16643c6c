"""Step 4: a remote model to collaborate with: none, the demo endpoint, or any provider."""

from __future__ import annotations

import time
from dataclasses import asdict, replace

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cogenesis.adapters.remote import DEMO_LABEL, DemoServer, demo_log_file, save_api_key
from cogenesis.core.errors import CogenesisError
from cogenesis.core.remote import Capabilities
from cogenesis.core.settings import Settings
from cogenesis.gui.background import BackgroundCall
from cogenesis.gui.first_run.endpoint import (
    EndpointChoice,
    checked_base_url,
    probe_endpoint,
    readiness,
)
from cogenesis.gui.first_run.state import (
    NOTE_STYLE,
    READY_STYLE,
    SkippablePage,
    WizardState,
    intro_label,
    message_label,
)


class RemotePage(SkippablePage):
    def __init__(self, state: WizardState) -> None:
        super().__init__(
            state, 4, "Collaborate with a larger model", "optional, and never with your vault"
        )
        self.intro = intro_label(
            "A larger model can help with outlines and wording. It never sees your vault: only "
            "a version of your request without private context leaves this computer, and every "
            "request is recorded for you to inspect."
        )
        self.none = QRadioButton("None: everything stays on this computer (offline mode)")
        self.demo = QRadioButton(DEMO_LABEL)
        self.custom = QRadioButton("A provider of your choice (any OpenAI-compatible API)")
        self.choices = QButtonGroup(self)
        for button, name in ((self.none, "none"), (self.demo, "demo"), (self.custom, "custom")):
            button.setAccessibleName(f"Remote endpoint: {button.text()}")
            button.setObjectName(name)
            self.choices.addButton(button)
        self.demo.setChecked(True)  # runs on this computer: nothing leaves it, and the
        # collaboration modes can be tried at once (a real provider can be set later)
        self.base_url = _field("Base URL", "https://api.openai.com/v1")
        self.model = _field("Model", "gpt-4o-mini")
        self.api_key = _field("API key", "kept in the system keyring, never in a file")
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.test_button = QPushButton("&Test")
        self.test_button.setAccessibleName("Test the remote endpoint")
        self.status = message_label("Test result")
        self.capabilities = QPlainTextEdit(readOnly=True)
        self.capabilities.setAccessibleName("Endpoint capabilities")
        self.capabilities.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.capabilities.setMaximumHeight(190)
        self.capabilities.hide()
        self.details = QToolButton()  # the raw table, for those who want it
        self.details.setCheckable(True)
        self.details.setText("Show the details")
        self.details.setAccessibleName("Show the endpoint's details")
        self.details.toggled.connect(self._show_details)
        self.details.hide()
        self._started = 0.0
        self._ticker = QTimer(self, interval=1000)
        self._ticker.timeout.connect(self._tick)
        self.error = message_label("Remote endpoint error", error=True)
        # Choosing an endpoint does not by itself let anything leave: the user says so here.
        self.go_online = QCheckBox(
            "&Use it now: switch from Offline to Private collaboration (your vault never "
            "leaves; the public part of a request does)"
        )
        self.go_online.setAccessibleName("Switch from Offline to Private collaboration")
        self.go_online.setChecked(True)
        self.probe = BackgroundCall(self)
        self.probed: tuple[EndpointChoice, Capabilities] | None = None
        self._testing: EndpointChoice | None = None
        self._layout()
        self.choices.buttonToggled.connect(self._choice_changed)
        self.test_button.clicked.connect(self.test)
        self.probe.succeeded.connect(self._tested)
        self.probe.failed.connect(self._test_failed)
        self._choice_changed()

    def _layout(self) -> None:
        self.custom_fields = QWidget()
        form = QFormLayout(self.custom_fields)
        form.setContentsMargins(24, 0, 0, 0)
        form.addRow("Base U&RL:", self.base_url)  # Alt+B is the wizard's Back
        form.addRow("M&odel:", self.model)
        form.addRow("API &key:", self.api_key)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.status, 1)
        demo_note = message_label("About the demo endpoint")
        demo_note.setText(
            "Runs the small starter model as a local server, so the collaboration modes can "
            "be tried without an account. Its answers are no better than the local model's."
        )
        demo_note.setContentsMargins(24, 0, 0, 4)
        box = QVBoxLayout(self)
        box.addWidget(self.intro)
        box.addWidget(self.none)
        box.addWidget(self.demo)
        box.addWidget(demo_note)
        box.addWidget(self.custom)
        box.addWidget(self.custom_fields)
        box.addLayout(test_row)
        box.addWidget(self.details)
        box.addWidget(self.capabilities)
        box.addWidget(self.go_online)
        box.addWidget(self.error)
        box.addStretch(1)

    def choice(self) -> EndpointChoice:
        checked = self.choices.checkedButton()
        provider = checked.objectName() if checked is not None else "none"
        if provider != "custom":
            return EndpointChoice(provider)
        return EndpointChoice(
            "custom", self.base_url.text().strip(), self.model.text().strip(), self.api_key.text()
        )

    def test(self) -> None:
        """Probe the chosen endpoint off the GUI thread (starting the demo server if needed)."""
        choice = self.choice()
        if choice.provider == "none" or self._testing is not None:
            return
        if choice.provider == "demo" and self.state.demo is None:
            try:
                self.state.demo = DemoServer(demo_log_file(self.state.paths))
            except CogenesisError as exc:  # no starter model to serve
                self.error.setText(str(exc))
                return
        vault, demo = self.state.session.vault, self.state.demo
        self._testing = choice
        self.error.clear()
        self.capabilities.hide()
        self.details.hide()
        self.status.setStyleSheet(NOTE_STYLE)
        self._started = time.monotonic()
        self._tick()
        self._ticker.start()
        self.test_button.setEnabled(False)
        self.completeChanged.emit()
        self.probe.start(lambda: probe_endpoint(choice, vault, demo))

    def isComplete(self) -> bool:  # noqa: N802 (Qt's name)
        return self._testing is None

    def apply(self) -> bool:
        choice = self.choice()
        try:
            settings = self._settings_for(choice)
        except CogenesisError as exc:
            self.error.setText(str(exc))
            return False
        self.state.settings = settings
        self.state.done["remote"] = _summary(choice, settings.privacy_mode)
        return True

    def _settings_for(self, choice: EndpointChoice) -> Settings:
        settings = self.state.settings
        if choice.provider == "none":
            return replace(settings, remote_provider="none")
        probed = self.probed[1] if self.probed and self.probed[0] == choice else None
        # as JSON keeps it (a list, not a tuple), so saved and returned settings are equal
        capabilities = {**asdict(probed), "notes": list(probed.notes)} if probed else {}
        offline = settings.privacy_mode == "offline"
        mode = "private" if offline and self.go_online.isChecked() else settings.privacy_mode
        if choice.provider == "demo":
            return replace(
                settings,
                remote_provider="demo",
                remote_capabilities=capabilities,
                privacy_mode=mode,
            )
        url = checked_base_url(choice.base_url)
        if not choice.model:
            raise CogenesisError("The model name is empty.", "Type the model's name.")
        if choice.api_key:
            save_api_key(url, choice.api_key)
        return replace(
            settings,
            remote_provider="custom",
            remote_base_url=url,
            remote_model=choice.model,
            remote_chat_template="",
            remote_capabilities=capabilities,
            privacy_mode=mode,
        )

    def _choice_changed(self) -> None:
        provider = self.choice().provider
        self.custom_fields.setVisible(provider == "custom")
        self.test_button.setEnabled(provider != "none" and self._testing is None)
        offline = self.state.settings.privacy_mode == "offline"
        self.go_online.setVisible(provider != "none" and offline)
        self.error.clear()

    def _tested(self, capabilities: Capabilities) -> None:
        choice, self._testing = self._testing, None
        assert choice is not None
        self.probed = (choice, capabilities)
        self._finish_test()
        self.status.setText(readiness(capabilities))
        ready = not capabilities.missing_for("sketch") and not capabilities.missing_for("logit")
        self.status.setStyleSheet(READY_STYLE if ready else NOTE_STYLE)
        self.capabilities.setPlainText("\n".join(capabilities.lines()))
        self.details.setChecked(False)
        self.details.show()

    def _test_failed(self, error: CogenesisError) -> None:
        self._testing = None
        self._finish_test()
        self.status.clear()
        self.error.setText(str(error))

    def _tick(self) -> None:
        """The test takes a while (the demo loads a model, then a few questions are asked):
        say so, with the seconds gone by, so it never looks stuck."""
        doing = (
            "Starting the demo endpoint and asking it a few test questions"
            if self._testing is not None and self._testing.provider == "demo"
            else "Asking the endpoint a few test questions"
        )
        seconds = round(time.monotonic() - self._started)  # a coarse timer fires up to 5 % early
        self.status.setText(f"{doing}… {seconds} s")

    def _show_details(self, shown: bool) -> None:
        self.capabilities.setVisible(shown)
        self.details.setText("Hide the details" if shown else "Show the details")

    def _finish_test(self) -> None:
        self._ticker.stop()
        self.test_button.setEnabled(self.choice().provider != "none")
        self.completeChanged.emit()


def _field(name: str, placeholder: str) -> QLineEdit:
    field = QLineEdit()
    field.setAccessibleName(name)
    field.setPlaceholderText(placeholder)
    return field


def _summary(choice: EndpointChoice, privacy_mode: str) -> str:
    how = (
        "kept, not used: offline, nothing leaves this computer"
        if privacy_mode == "offline"
        else "private collaboration"
    )
    if choice.provider == "demo":
        return f"Remote model: the demo endpoint on this computer ({how})."
    if choice.provider == "custom":
        return f"Remote model: {choice.model} at {choice.base_url} ({how})."
    return "Remote model: none. The app works offline; nothing leaves this computer."
