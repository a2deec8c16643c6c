"""Step 3: choose the local model (the starter model is preselected)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from cogenesis.adapters.models import ModelCatalog, ModelEntry
from cogenesis.adapters.models.survey import Survey, survey
from cogenesis.core.errors import CogenesisError
from cogenesis.gui.background import BackgroundCall
from cogenesis.gui.first_run.state import (
    SkippablePage,
    WizardState,
    intro_label,
    message_label,
)
from cogenesis.gui.models_dialog import source_text


class ModelPage(SkippablePage):
    def __init__(self, state: WizardState) -> None:
        super().__init__(state, 3, "Choose the local model", "the only model that reads your vault")
        self.intro = intro_label(
            "The local model runs on this computer. The small starter model works right away; "
            "a larger GGUF model writes better answers if this computer has the memory for it."
        )
        self.catalog = ModelCatalog(state.paths.models_dir)
        self.models = QListWidget()
        self.models.setAccessibleName("Local models")
        self.add_file = QPushButton("&Add a GGUF file…")
        self.add_file.setAccessibleName("Add a GGUF model file")
        self.fit = message_label("Memory fit of the chosen model")
        self.error = message_label("Model error", error=True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_file)
        self.models.setStyleSheet("QListWidget::item { padding: 6px; }")
        self.models.setMaximumHeight(180)
        box = QVBoxLayout(self)
        box.addWidget(self.intro)
        box.addWidget(self.models, 1)
        box.addLayout(buttons)
        box.addWidget(self.fit)
        box.addWidget(self.error)
        box.addStretch(1)
        self.add_file.clicked.connect(self._choose_file)
        self.models.currentItemChanged.connect(self._show_fit)
        self.survey: Survey | None = None  # memory, other apps' GGUF files, what each needs
        self._surveying = BackgroundCall(self)
        self._surveying.succeeded.connect(self._surveyed)
        self._surveying.failed.connect(lambda error: self.fit.setText(str(error)))
        self.refresh()

    def initializePage(self) -> None:  # noqa: N802 (Qt's name)
        """Survey the memory and other apps' models when the page shows (that loads
        llama.cpp and reads folders: not before)."""
        if self.survey is None and not self._surveying.running:
            catalog, context = self.catalog, self.state.settings.context_size
            self._surveying.start(lambda: survey(catalog, context))

    @property
    def looked(self) -> bool:
        """Whether the memory is measured and other apps' folders are searched."""
        return self.survey is not None

    def wait(self) -> None:
        """Wait for the survey (before the wizard goes)."""
        self._surveying.wait()

    def _surveyed(self, taken: object) -> None:
        self.survey = taken if isinstance(taken, Survey) else None
        chosen = self.chosen()
        self.refresh(select=chosen.path if chosen else None)

    def refresh(self, select: Path | None = None) -> None:
        """List the catalog; select ``select``, else the configured model, else the starter."""
        self.models.clear()
        local = self.state.settings.local_model
        configured = Path(local) if local else None
        found = self.survey.found if self.survey else []
        for entry in self.survey.entries(self.catalog) if self.survey else self.catalog.entries():
            item = QListWidgetItem(
                f"{entry.name}\n{source_text(entry, found)} · {entry.size / 1e6:,.0f} MB"
            )
            item.setData(Qt.ItemDataRole.UserRole, entry)
            item.setToolTip(str(entry.path))
            self.models.addItem(item)
            wanted = select or configured
            if entry.path == wanted or (wanted is None and entry.source == "starter"):
                self.models.setCurrentItem(item)
        if self.models.currentItem() is None and self.models.count():
            self.models.setCurrentRow(0)
        if not self.models.count():
            self.error.setText(
                "No local model is installed. Add a GGUF file, or reinstall CoGenesis to get "
                "the starter model."
            )

    def chosen(self) -> ModelEntry | None:
        item = self.models.currentItem()
        entry = None if item is None else item.data(Qt.ItemDataRole.UserRole)
        return entry if isinstance(entry, ModelEntry) else None

    def add(self, path: Path) -> None:
        """Use a GGUF file where it is (what "Add a GGUF file…" does)."""
        try:
            entry = self.catalog.use_in_place(path)
        except CogenesisError as exc:
            self.error.setText(str(exc))
            return
        self.error.clear()
        self.refresh(select=entry.path)

    def apply(self) -> bool:
        entry = self.chosen()
        if entry is None:
            return True
        if entry.source == "found":  # another app's file: used where it is, never copied
            try:
                entry = self.catalog.use_in_place(entry.path)
            except CogenesisError as exc:
                self.error.setText(str(exc))
                return False
        local = "" if entry.source == "starter" else str(entry.path)  # "": the starter model
        self.state.settings = replace(self.state.settings, local_model=local)
        self.state.done["model"] = f"Local model: {entry.name}."
        return True

    def _choose_file(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Add a GGUF model", str(Path.home()), "GGUF models (*.gguf)"
        )
        if chosen:
            self.add(Path(chosen))

    def _show_fit(self) -> None:
        entry = self.chosen()
        if entry is None or self.survey is None:
            self.fit.setText("" if entry is None else "Checking this computer's memory…")
            return
        settings = self.state.settings
        fit = self.survey.fit(self.catalog, entry, settings.context_size, settings.device)
        self.fit.setText(fit if isinstance(fit, str) else fit.describe())
