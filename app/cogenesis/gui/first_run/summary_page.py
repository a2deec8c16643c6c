"""The last step: what was set up, and that everything can be changed later."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QVBoxLayout, QWizardPage

from cogenesis.gui.first_run.state import WizardState, message_label, set_heading

_DONE = "<span style='color:#2e7d32; font-weight:600'>✓</span>"
_NOT_DONE = "<span style='color:#888'>–</span>"
_MODES = {
    "offline": "offline (nothing leaves this computer)",
    "private": "private collaboration (only requests without private context leave)",
}
_SKIPPED = {
    "vault": "Vault: not created yet. Create it from the main window when you are ready.",
    "import": "Profile: nothing imported.",
    "model": "Local model: the starter model.",
    "remote": "Remote model: none. The app works offline; nothing leaves this computer.",
}


class SummaryPage(QWizardPage):
    def __init__(self, state: WizardState) -> None:
        super().__init__()
        self.state = state
        set_heading(self, "Ready", "You can change all of this later in Settings.")
        self.summary = message_label("Summary of the set-up")
        self.summary.setStyleSheet("")
        box = QVBoxLayout(self)
        box.addWidget(self.summary)
        box.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 (Qt's name)
        rows = [
            (_DONE if step in self.state.done else _NOT_DONE, self.state.done.get(step, skipped))
            for step, skipped in _SKIPPED.items()
        ]
        mode = self.state.settings.privacy_mode
        rows.append((_DONE, f"Privacy mode: {_MODES.get(mode, mode)}."))
        self.summary.setText(
            "<table cellspacing='8'>"
            + "".join(
                f"<tr><td>{mark}</td><td>{html.escape(text)}</td></tr>" for mark, text in rows
            )
            + "</table>"
        )
