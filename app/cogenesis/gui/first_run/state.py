"""What the first-run wizard's pages share: the session, the settings being built, results."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtWidgets import QLabel, QWizardPage

from cogenesis.adapters.remote import DemoServer
from cogenesis.core.paths import AppPaths
from cogenesis.core.settings import Settings
from cogenesis.gui.session import VaultSession

ERROR_STYLE = "color: #b3261e;"
NOTE_STYLE = "color: palette(placeholder-text);"
READY_STYLE = "color: #2e7d32; font-weight: 600;"


@dataclass
class WizardState:
    """Pages read and update this; the wizard returns ``settings`` and ``demo``."""

    session: VaultSession
    settings: Settings
    paths: AppPaths
    demo: DemoServer | None = None
    done: dict[str, str] = field(default_factory=dict)  # page -> one line for the summary


STEPS = 4


def set_heading(page: QWizardPage, title: str, subtitle: str) -> None:
    """A larger title over a one-line subtitle (the wizard's header has room for two lines)."""
    page.setTitle(f"<span style='font-size: 15pt; font-weight: 600'>{title}</span>")
    page.setSubTitle(subtitle)


class SkippablePage(QWizardPage):
    """A page whose "Skip" button moves on without doing the page's action."""

    def __init__(self, state: WizardState, step: int, title: str, subtitle: str) -> None:
        super().__init__()
        self.state = state
        self.skipping = False
        set_heading(self, title, f"Step {step} of {STEPS} · {subtitle}")

    def validatePage(self) -> bool:  # noqa: N802 (Qt's name)
        return True if self.skipping else self.apply()

    def apply(self) -> bool:
        """Do the page's action; False keeps the user on the page (with an error shown)."""
        return True


def intro_label(text: str) -> QLabel:
    """The explanation at the top of a page."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setAccessibleName("Explanation")
    label.setContentsMargins(0, 0, 0, 8)
    return label


def message_label(name: str, *, error: bool = False) -> QLabel:
    """A wrapping label for hints and errors, with an accessible name."""
    label = QLabel()
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.setStyleSheet(ERROR_STYLE if error else NOTE_STYLE)
    return label
