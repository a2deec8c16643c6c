"""The first-run wizard: vault, profile, local model, remote endpoint; every step skippable."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QWidget, QWizard

from cogenesis.adapters.remote import DemoServer
from cogenesis.core.errors import CogenesisError
from cogenesis.core.paths import AppPaths
from cogenesis.core.settings import Settings, save_settings
from cogenesis.gui.first_run.import_page import ImportPage
from cogenesis.gui.first_run.model_page import ModelPage
from cogenesis.gui.first_run.remote_page import RemotePage
from cogenesis.gui.first_run.state import SkippablePage, WizardState
from cogenesis.gui.first_run.summary_page import SummaryPage
from cogenesis.gui.first_run.vault_page import VaultPage
from cogenesis.gui.session import VaultSession

ICON = Path(__file__).resolve().parent.parent / "resources" / "cogenesis.svg"
SKIP = QWizard.WizardButton.CustomButton1


class FirstRunWizard(QWizard):
    """Sets up a first start. After ``exec()``: the session holds the vault (if one was
    created), ``settings`` the chosen settings (saved on Finish), ``demo`` the demo server
    if a test started it (the caller keeps it running or stops it)."""

    def __init__(
        self,
        session: VaultSession,
        settings: Settings,
        paths: AppPaths,
        *,
        demo: DemoServer | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.state = WizardState(session, replace(settings), paths, demo)
        self.setWindowTitle("Welcome to CoGenesis")
        self.setWindowIcon(QIcon(str(ICON)))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setPixmap(QWizard.WizardPixmap.LogoPixmap, QIcon(str(ICON)).pixmap(48, 48))
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.setOption(QWizard.WizardOption.HaveCustomButton1)
        self.setButtonText(SKIP, "&Skip this step")
        self.button(SKIP).setAccessibleName("Skip this step")
        self._show_skip()
        self.vault_page = VaultPage(self.state)
        self.import_page = ImportPage(self.state)
        self.model_page = ModelPage(self.state)
        self.remote_page = RemotePage(self.state)
        self.summary_page = SummaryPage(self.state)
        for page in (
            self.vault_page,
            self.import_page,
            self.model_page,
            self.remote_page,
            self.summary_page,
        ):
            self.addPage(page)
        self.customButtonClicked.connect(self._skip)
        self.currentIdChanged.connect(self._show_skip)
        self.resize(680, 520)

    @property
    def settings(self) -> Settings:
        return self.state.settings

    @property
    def demo(self) -> DemoServer | None:
        return self.state.demo

    def skip(self) -> None:
        """Leave the current page without doing its action."""
        page = self.currentPage()
        if isinstance(page, SkippablePage):
            page.skipping = True
            try:
                self.next()
            finally:
                page.skipping = False

    def accept(self) -> None:
        try:
            save_settings(self.state.settings, self.state.paths.settings_file)
        except CogenesisError as exc:
            self.summary_page.summary.setText(f"The settings could not be saved: {exc}")
            return
        self._finish_background(keep_demo=self.state.settings.remote_provider == "demo")
        super().accept()

    def reject(self) -> None:
        self._finish_background(keep_demo=False)
        super().reject()

    def _finish_background(self, *, keep_demo: bool) -> None:
        self.remote_page.probe.wait()
        self.model_page.wait()  # no thread may outlive the widgets it reports to
        if self.state.demo is not None and not keep_demo:
            self.state.demo.stop()
            self.state.demo = None

    def _skip(self, which: int) -> None:
        if which == SKIP.value:
            self.skip()

    def _show_skip(self) -> None:
        """The Skip button only where there is something to skip (no gap where it is not)."""
        skippable = self.currentPage() is None or isinstance(self.currentPage(), SkippablePage)
        buttons = [
            QWizard.WizardButton.Stretch,
            QWizard.WizardButton.BackButton,
            *([SKIP] if skippable else []),
            QWizard.WizardButton.NextButton,
            QWizard.WizardButton.FinishButton,
            QWizard.WizardButton.CancelButton,
        ]
        self.setButtonLayout(buttons)
        self.button(SKIP).setVisible(skippable)
