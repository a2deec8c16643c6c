"""Chat ▸ Models: the local models on this computer (the starter model, files added or
downloaded, GGUF files other apps keep), whether each fits its memory, which one answers,
and downloads by URL."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cogenesis.adapters.models import ModelCatalog, ModelEntry
from cogenesis.adapters.models.discover import FoundModel
from cogenesis.adapters.models.survey import Survey, survey
from cogenesis.core.errors import CogenesisError
from cogenesis.core.llm.fit import MachineFit
from cogenesis.core.llm.gguf import read_header
from cogenesis.core.settings import Settings, save_settings
from cogenesis.gui.background import BackgroundCall
from cogenesis.gui.model_download import DownloadBox
from cogenesis.gui.session import VaultSession, VaultState

SOURCES = {
    "starter": "starter model, works offline",
    "imported": "imported",
    "in place": "used where it is",
    "downloaded": "downloaded",
    "found": "found in {place}'s folder",
}
_INTRO = (
    "The local model is the only model that reads your vault. The starter model works right "
    "away; a larger GGUF model writes better answers if this computer has the memory for it."
)


def source_text(entry: ModelEntry, found: list[FoundModel]) -> str:
    """Where the model comes from, in words ("found in LM Studio's folder")."""
    place = next((f.place for f in found if f.path == entry.path), "another app")
    return SOURCES[entry.source].format(place=place)


class ModelsDialog(QDialog):
    """Lists the catalog with a memory-fit hint per model; ``model_chosen(settings)`` follows
    "Use this model" (the settings are saved already)."""

    model_chosen = Signal(object)

    def __init__(
        self,
        settings: Settings,
        settings_file: Path,
        session: VaultSession,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Local models")
        self.settings, self.settings_file, self.session = settings, settings_file, session
        self.catalog = ModelCatalog(session.paths.models_dir)
        self.survey: Survey | None = None  # memory, other apps' files, what each needs
        self._build()
        self._surveying = BackgroundCall(self)
        self._surveying.succeeded.connect(self._surveyed)
        self._surveying.failed.connect(lambda error: self.details.setText(str(error)))
        catalog, context = self.catalog, settings.context_size
        self._surveying.start(lambda: survey(catalog, context))  # reads headers: ~70 ms each
        self.session.changed.connect(self._vault_changed)
        self._vault_changed()
        self.refresh()

    def _build(self) -> None:
        intro = QLabel(_INTRO)
        intro.setWordWrap(True)
        self.models = QListWidget()
        self.models.setAccessibleName("Local models")
        self.models.setStyleSheet("QListWidget::item { padding: 6px; }")
        self.details = QLabel()
        self.details.setAccessibleName("The chosen model's memory fit")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.use_button = _button("&Use this model", "Use the chosen model")
        self.add_button = _button("&Add a GGUF file…", "Add a GGUF model file")
        self.remove_button = _button("&Remove…", "Remove the chosen model")
        self.download = DownloadBox(self.session.paths.models_dir)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.use_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.models, 1)
        layout.addWidget(self.details)
        layout.addLayout(buttons)
        layout.addWidget(self.download)
        layout.addWidget(close)
        self.models.currentItemChanged.connect(self._show_chosen)
        self.models.itemActivated.connect(self.use_chosen)
        self.use_button.clicked.connect(self.use_chosen)
        self.add_button.clicked.connect(self._choose_file)
        self.remove_button.clicked.connect(self.remove_chosen)
        self.download.downloaded.connect(self._downloaded)
        for button in self.findChildren(QPushButton):  # Return in a field is not "Add a file"
            button.setAutoDefault(False)
        self.resize(640, 540)

    # the list ---------------------------------------------------------------------------

    def refresh(self, select: Path | None = None) -> None:
        """List the catalog; select ``select``, else the model in use."""
        self.models.clear()
        in_use = self.in_use()
        wanted = select or in_use
        for entry in self.entries():
            item = QListWidgetItem(self._row_text(entry, in_use))
            item.setData(Qt.ItemDataRole.UserRole, entry)
            item.setToolTip(str(entry.path))
            self.models.addItem(item)
            if entry.path == wanted:
                self.models.setCurrentItem(item)
        if self.models.currentItem() is None and self.models.count():
            self.models.setCurrentRow(0)
        if not self.models.count():
            self.details.setText(
                "No local model is installed. Add a GGUF file or download one; reinstalling "
                "CoGenesis brings the starter model back."
            )
        self._show_chosen()

    @property
    def looked(self) -> bool:
        """Whether the memory is measured and other apps' folders are searched."""
        return self.survey is not None

    @property
    def found(self) -> list[FoundModel]:
        return self.survey.found if self.survey else []

    def entries(self) -> list[ModelEntry]:
        """The catalog, then the files other apps keep that are not in it yet."""
        return self.survey.entries(self.catalog) if self.survey else self.catalog.entries()

    def in_use(self) -> Path | None:
        """The model file the settings name, else the starter model's."""
        if self.settings.local_model:
            return Path(self.settings.local_model)
        starter = [e.path for e in self.catalog.entries() if e.source == "starter"]
        return starter[0] if starter else None

    def chosen(self) -> ModelEntry | None:
        item = self.models.currentItem()
        entry = None if item is None else item.data(Qt.ItemDataRole.UserRole)
        return entry if isinstance(entry, ModelEntry) else None

    def _row_text(self, entry: ModelEntry, in_use: Path | None) -> str:
        facts = [source_text(entry, self.found), f"{entry.size / 1e6:,.0f} MB"]
        fit = self._fit(entry)
        facts.append(fit if isinstance(fit, str) else fit.verdict)
        if entry.path == in_use:
            facts.append("in use")
        return f"{entry.name}\n{' · '.join(facts)}"

    def _fit(self, entry: ModelEntry) -> MachineFit | str:
        """The entry's fit, or why there is none (memory not measured yet, a bad file)."""
        if self.survey is None:
            return "checking memory…"
        return self.survey.fit(
            self.catalog, entry, self.settings.context_size, self.settings.device
        )

    def _show_chosen(self) -> None:
        entry = self.chosen()
        self.use_button.setEnabled(entry is not None and entry.path != self.in_use())
        ours = entry is not None and entry.source not in ("starter", "found")
        self.remove_button.setEnabled(ours)  # the starter model and others' files stay
        if entry is None:
            return
        fit = self._fit(entry)
        memory = fit if isinstance(fit, str) else fit.describe()
        context = f"With a context of {self.settings.context_size:,} tokens. "
        self.details.setText(f"{entry.path}\n{context}{memory}")

    def _surveyed(self, taken: object) -> None:
        self.survey = taken if isinstance(taken, Survey) else None
        chosen = self.chosen()
        self.refresh(select=chosen.path if chosen else None)

    # what the user does -----------------------------------------------------------------

    def use_chosen(self) -> None:
        """Make the chosen model the local model (from the next answer on)."""
        entry = self.chosen()
        if entry is None or entry.path == self.in_use():
            return
        try:  # a file that is not a GGUF model says why, and is not chosen
            if entry.source == "found":  # another app's file: used where it is, listed as such
                entry = self.catalog.use_in_place(entry.path)  # reads the header
            else:
                read_header(entry.path)
        except CogenesisError as exc:
            self.details.setText(str(exc))
            return
        local = "" if entry.source == "starter" else str(entry.path)  # "": the starter model
        self._save(replace(self.settings, local_model=local))
        self.refresh(select=entry.path)
        self.details.setText(f"{entry.name} answers from the next message on.")

    def add(self, path: Path) -> None:
        """Use a GGUF file where it is (what "Add a GGUF file…" does)."""
        try:
            entry = self.catalog.use_in_place(path)
        except CogenesisError as exc:
            self.details.setText(str(exc))
            return
        self.refresh(select=entry.path)

    def remove_chosen(self) -> None:
        """Delete a downloaded or imported file, forget one used in place (after asking)."""
        entry = self.chosen()
        if entry is None or not self._confirm_removal(entry):
            return
        try:
            self.catalog.remove(entry)
        except CogenesisError as exc:
            self.details.setText(str(exc))
            return
        if entry.path == self.in_use():
            self._save(replace(self.settings, local_model=""))  # back to the starter model
        self.refresh()

    def _confirm_removal(self, entry: ModelEntry) -> bool:
        if entry.source == "in place":
            question = f"Forget {entry.name}? The file stays where it is:\n{entry.path}"
        else:
            question = f"Delete {entry.name} ({entry.size / 1e6:,.0f} MB) from this computer?"
        return self.confirm("Remove the model", question)

    def confirm(self, title: str, question: str) -> bool:
        """Ask a yes-or-no question (tests answer it themselves)."""
        answer = QMessageBox.question(self, title, question)
        return answer == QMessageBox.StandardButton.Yes

    def _choose_file(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Add a GGUF model", str(Path.home()), "GGUF models (*.gguf)"
        )
        if chosen:
            self.add(Path(chosen))

    def _downloaded(self, path: Path) -> None:
        self.refresh(select=path)

    def _save(self, settings: Settings) -> None:
        save_settings(settings, self.settings_file)
        self.settings = settings
        self.model_chosen.emit(settings)

    # the vault and closing --------------------------------------------------------------

    def _vault_changed(self) -> None:
        unlocked = self.session.state is VaultState.UNLOCKED
        self.download.allow(self.session.vault if unlocked else None, self.settings.privacy_mode)

    def reject(self) -> None:
        if self._may_close():
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        if not self._may_close():
            event.ignore()
            return
        super().closeEvent(event)

    def _may_close(self) -> bool:
        """A running download stops first (its part file stays), if the user agrees."""
        if self.download.running and not self.confirm(
            "Stop the download?",
            "A download is running. Stop it? It resumes where it stopped next time.",
        ):
            return False
        self.download.wait()
        self._surveying.wait()  # a thread reporting to a dialog being collected crashed Qt
        return True


def _button(text: str, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name)
    return button
