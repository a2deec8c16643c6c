"""The sensitive-terms editor: what the privacy guard keeps on this device, and why.

Terms come from the vault (found in the profile, notes and writing samples) and from the
user (marked). The user can mark a new term, un-mark any term (found ones too) and mark an
un-marked one again; each change can be undone from the message bar. Finding the terms
reads every record (seconds for a large vault), so it runs off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from cogenesis.core.errors import CogenesisError
from cogenesis.core.privacy.term_list import (
    TermEntry,
    mark_entry,
    restore_entry,
    term_entries,
    term_sources,
    unmark_entry,
)
from cogenesis.core.vault import Vault
from cogenesis.gui.background import BackgroundCall
from cogenesis.gui.vault_editors.base import VaultEditor
from cogenesis.gui.vault_editors.message_bar import MessageBar
from cogenesis.gui.vault_editors.terms_model import ENTRY_ROLE, FILTERS
from cogenesis.gui.vault_editors.terms_view import TermsView

MAX_SOURCES_SHOWN = 6
TermAction = Callable[[Vault, TermEntry], None]
_INTRO = (
    "In every mode but full context, these words and phrases never leave this device: not in "
    "a prompt to the cloud model, not in the text it continues. Most are found in your vault "
    "automatically; add your own, or un-mark one that is safe to share."
)


class TermsEditor(VaultEditor):
    """Lists, marks and un-marks sensitive terms; ``refresh`` re-reads the vault.

    ``refreshed`` is emitted when a re-read list is shown.
    """

    refreshed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("sensitive terms", parent)
        self.entries: list[TermEntry] = []
        self._select_after: list[str] = []
        self._entries_call = BackgroundCall(self)
        self._sources_call = BackgroundCall(self)
        self.view = TermsView()
        self.messages = MessageBar()
        self.sources = QLabel()
        self.sources.setAccessibleName("Where the term occurs")
        self.sources.setWordWrap(True)
        self.sources.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.unmark_button = QPushButton("Un-mark")
        self.unmark_button.setAccessibleName("Un-mark the selected terms")
        self.unmark_button.setToolTip("Let the selected terms leave this device (Delete)")
        self.mark_button = QPushButton("Mark again")
        self.mark_button.setAccessibleName("Mark the selected terms again")
        self._build()
        self._connect()
        self._update_buttons()

    def _build(self) -> None:
        intro = QLabel(_INTRO)
        intro.setWordWrap(True)
        intro.setAccessibleName("About sensitive terms")
        buttons = QHBoxLayout()
        buttons.addWidget(self.view.count, 1)
        buttons.addWidget(self.mark_button)
        buttons.addWidget(self.unmark_button)
        layout = QVBoxLayout(self.content)
        layout.addWidget(intro)
        layout.addLayout(self.view.add_row)
        layout.addLayout(self.view.filter_row)
        layout.addWidget(self.view.table, 1)
        layout.addWidget(self.sources)
        layout.addWidget(self.messages)
        layout.addLayout(buttons)

    def _connect(self) -> None:
        self._entries_call.succeeded.connect(self._show_entries)
        self._entries_call.failed.connect(self._entries_failed)
        self._sources_call.succeeded.connect(self._show_sources)
        self._sources_call.failed.connect(lambda error: self.sources.setText(str(error)))
        self.view.new_term.returnPressed.connect(self.mark_new)
        self.view.add_button.clicked.connect(self.mark_new)
        self.view.filter_text.textChanged.connect(lambda _: self._apply_filter())
        self.view.status_filter.currentTextChanged.connect(lambda _: self._apply_filter())
        self.view.table.selectionModel().selectionChanged.connect(lambda *_: self._on_selection())
        self.unmark_button.clicked.connect(self.unmark_selected)
        self.mark_button.clicked.connect(self.mark_selected)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.view.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.unmark_selected)

    # -- vault ---------------------------------------------------------------------------

    def _load(self) -> None:
        self.refresh()

    @property
    def busy(self) -> bool:
        """Whether the list or the selected term's sources are still being read."""
        return self._entries_call.running or self._sources_call.running

    def _unload(self) -> None:
        self._entries_call.cancel()
        self._sources_call.cancel()
        self.entries = []
        self.view.model.show_entries([])
        self.view.new_term.clear()
        self.sources.clear()
        self.messages.clear()
        self._update_count()

    def reload(self) -> None:
        self.refresh()

    def refresh(self, select: list[str] | None = None) -> None:
        """Re-read the terms (the vault may have changed) and select ``select`` by term."""
        if self.vault is None or self.is_locked:
            return
        if select is not None:
            self._select_after = select
        elif not self._entries_call.running:
            self._select_after = [e.term for e in self.selected_entries()]
        vault = self.vault
        self._entries_call.start(lambda: term_entries(vault))
        self.view.count.setText("Reading your vault…")

    def _show_entries(self, entries: object) -> None:
        if not isinstance(entries, list):
            return
        self.entries = entries
        self.view.model.show_entries(entries)
        self._select_terms(self._select_after)
        self._update_count()
        self._on_selection()
        self.refreshed.emit()

    def _entries_failed(self, error: CogenesisError) -> None:
        """The list stays as it was, with the count it has, and the message says why."""
        self.messages.show_error(str(error))
        self._update_count()

    # -- actions -------------------------------------------------------------------------

    def mark_new(self) -> None:
        """Mark the typed term; on an error the text stays and the message says why."""
        if self.vault is None or self.is_locked:
            return
        text = self.view.new_term.text()
        try:
            marked = self.vault.terms.mark(text)
        except CogenesisError as exc:
            self.messages.show_error(str(exc))
            self.view.new_term.setFocus()
            return
        self.view.new_term.clear()
        self.view.filter_text.clear()
        self.view.status_filter.setCurrentIndex(0)
        self.refresh(select=[marked.term])
        self.messages.show_info(f"“{marked.term}” will not leave this device.")
        self.changed.emit()

    def unmark_selected(self) -> None:
        chosen = [e for e in self.selected_entries() if e.sensitive]
        self._change(chosen, unmark_entry, "may now leave this device in the cloud modes")

    def mark_selected(self) -> None:
        chosen = [e for e in self.selected_entries() if not e.sensitive]
        self._change(chosen, mark_entry, "will not leave this device")

    def selected_entries(self) -> list[TermEntry]:
        rows = self.view.table.selectionModel().selectedRows(0)
        return [e for e in (r.data(ENTRY_ROLE) for r in rows) if isinstance(e, TermEntry)]

    # -- helpers -------------------------------------------------------------------------

    def _change(self, chosen: list[TermEntry], action: TermAction, outcome: str) -> None:
        if self.vault is None or self.is_locked or not chosen:
            return
        try:
            for entry in chosen:
                action(self.vault, entry)
        except CogenesisError as exc:
            self.messages.show_error(str(exc))
            self.refresh()
            return
        self.refresh(select=[e.term for e in chosen])
        names = _names(chosen)
        self.messages.show_info(f"{names} {outcome}.", "Undo", lambda: self._undo(chosen))
        self.changed.emit()

    def _undo(self, chosen: list[TermEntry]) -> None:
        if self.vault is None or self.is_locked:
            return
        try:
            for entry in chosen:
                restore_entry(self.vault, entry)
        except CogenesisError as exc:
            self.messages.show_error(f"Could not undo. {exc}")
        self.refresh(select=[e.term for e in chosen])
        self.changed.emit()

    def _apply_filter(self) -> None:
        statuses = FILTERS[self.view.status_filter.currentText()]
        self.view.proxy.set_filter(self.view.filter_text.text(), statuses)
        self._update_count()
        self._on_selection()

    def _select_terms(self, terms: list[str]) -> None:
        selection = self.view.table.selectionModel()
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for row in range(self.view.proxy.rowCount()):
            index = self.view.proxy.index(row, 0)
            entry = index.data(ENTRY_ROLE)
            if isinstance(entry, TermEntry) and entry.term in terms:
                selection.select(index, flags)
                self.view.table.scrollTo(index)
                selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)

    def _on_selection(self) -> None:
        self._update_buttons()
        chosen = self.selected_entries()
        vault = self.vault
        if vault is None or self.is_locked or len(chosen) != 1:
            self._sources_call.cancel()
            self.sources.setText("Select a term to see where it occurs." if self.entries else "")
            return
        term = chosen[0].term
        self.sources.setText(f"Looking for “{term}” in your vault…")
        self._sources_call.start(lambda: (term, [s.label for s in term_sources(vault, term)]))

    def _show_sources(self, found: object) -> None:
        if not isinstance(found, tuple):
            return
        term, labels = found
        self.sources.setText(_sources_text(term, labels))

    def _update_buttons(self) -> None:
        chosen = self.selected_entries()
        self.unmark_button.setEnabled(any(e.sensitive for e in chosen))
        self.mark_button.setEnabled(any(not e.sensitive for e in chosen))

    def _update_count(self) -> None:
        private = sum(e.sensitive for e in self.entries)
        unmarked = len(self.entries) - private
        shown = self.view.proxy.rowCount()
        text = f"{private} kept private · {unmarked} un-marked"
        if shown != len(self.entries):
            text += f" · {shown} shown"
        self.view.count.setText(text)


def _sources_text(term: str, labels: list[str]) -> str:
    if not labels:
        return f"“{term}” does not occur in your profile, notes or writing samples."
    shown = ", ".join(labels[:MAX_SOURCES_SHOWN])
    more = len(labels) - MAX_SOURCES_SHOWN
    return f"“{term}” occurs in: {shown}" + (f" and {more} more." if more > 0 else ".")


def _names(entries: list[TermEntry]) -> str:
    if len(entries) == 1:
        return f"“{entries[0].term}”"
    return f"{len(entries)} terms"
