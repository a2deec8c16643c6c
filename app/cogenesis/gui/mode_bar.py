"""How this conversation is answered, and what the privacy mode lets leave the device."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QMessageBox, QSizePolicy, QWidget

from cogenesis.core import policy
from cogenesis.core.policy import AnswerMode, Consents


@dataclass(frozen=True)
class ModeChoice:
    """An answer mode as the mode box offers it."""

    strategy: AnswerMode
    level: str  # the badge: the privacy mode this answer mode needs at least
    label: str
    leaves: str  # what leaves the device, in the user's words


MODES = (
    ModeChoice(AnswerMode.LOCAL, "offline", "Local only", "Nothing leaves this device."),
    ModeChoice(
        AnswerMode.SKETCH,
        "private",
        "Sketch, then expand locally",
        "The remote model sees your request without private details, writes an outline; "
        "the local model writes the answer with your context.",
    ),
    ModeChoice(
        AnswerMode.LOGIT,
        "private",
        "Logit fusion",
        "The remote model sees your request and the answer so far without private details.",
    ),
    ModeChoice(
        AnswerMode.CLOUD,
        "cloud-no-context",
        "Cloud without context",
        "The remote model sees your request without private details; the local model is not used.",
    ),
    ModeChoice(
        AnswerMode.FULL,
        "full-context",
        "Full context (asks first)",
        "Your private context is sent to the remote model for this conversation.",
    ),
)
_BADGE = {
    "offline": ("Offline: nothing leaves this device", "#2f855a"),
    "private": ("Private collaboration: no private data leaves", "#2b6cb0"),
    "cloud-no-context": ("Cloud without context", "#b7791f"),
    "full-context": ("Full context: your private context is sent", "#c53030"),
}


def mode_for(strategy: str) -> ModeChoice:
    return next((m for m in MODES if m.strategy == strategy), MODES[0])


def allowed_modes(privacy: str, remote_configured: bool) -> list[ModeChoice]:
    """The choices the settings' privacy mode allows (``core.policy.ALLOWED``), less those
    that need a remote when none can be used now; when that leaves none (cloud without
    context and no remote), its modes all the same: sending then says what to configure."""
    allowed = policy.allowed_modes(privacy, remote_configured) or policy.allowed_modes(privacy)
    return [m for m in MODES if m.strategy in allowed]


class ModeBar(QWidget):
    """A mode selector and a badge for the privacy mode in force; full context asks first."""

    mode_changed = Signal(object)  # ModeChoice

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox()
        self.combo.setAccessibleName("Answer mode")
        self.combo.setToolTip("How this conversation is answered")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        # Never squeezed ("Sketch, then e…" beside an open dock): the badge wraps instead.
        self.combo.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.badge = QLabel()
        self.badge.setWordWrap(True)
        self.badge.setMinimumWidth(120)
        self.badge.setAccessibleName("Privacy mode in force")
        label = QLabel("&Answer with:")
        label.setBuddy(self.combo)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self.combo)
        layout.addWidget(self.badge, 1)
        self._modes: list[ModeChoice] = []
        self.consents = Consents()  # the answer worker reads the same (one place for consent)
        self.conversation_id: int | None = None
        self.remote_name = "the remote model"
        self.combo.activated.connect(self._chosen)
        self.set_allowed(allowed_modes("offline", False), MODES[0])

    @property
    def mode(self) -> ModeChoice:
        return self._modes[max(self.combo.currentIndex(), 0)]

    def set_allowed(self, modes: list[ModeChoice], current: ModeChoice) -> None:
        self._modes = modes
        self.combo.blockSignals(True)
        self.combo.clear()
        for m in modes:
            self.combo.addItem(m.label)
            self.combo.setItemData(self.combo.count() - 1, m.leaves, 3)  # 3 = ToolTipRole
        chosen = current if current in modes else modes[0]
        self.combo.setCurrentIndex(modes.index(chosen))
        self.combo.blockSignals(False)
        self._show_badge()

    def select(self, strategy: str) -> None:
        """Show a conversation's saved mode (consent is asked again when it is used)."""
        wanted = mode_for(strategy)
        if wanted in self._modes:
            self.combo.setCurrentIndex(self._modes.index(wanted))
        self._show_badge()

    def conversation_started(self, conversation_id: int) -> None:
        """A new conversation got its id: consent given before it existed carries over."""
        self.consents.adopt(conversation_id)
        self.conversation_id = conversation_id

    def has_consent(self) -> bool:
        return self.consents.granted(self.conversation_id)

    def ask_consent(self) -> bool:
        """Ask, once per conversation, before private context is sent."""
        if self.has_consent():
            return True
        answer = QMessageBox.warning(
            self,
            "Send your private context?",
            f"In full-context mode your profile, notes and writing samples that match the "
            f"request are sent to {self.remote_name}, for this conversation only.\n\n"
            "Every request is recorded under 'What left this device'. Send them?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.consents.grant(self.conversation_id)
            return True
        return False

    def _chosen(self, index: int) -> None:
        mode = self._modes[index]
        if mode.strategy == "full" and not self.ask_consent():
            self.combo.setCurrentIndex(0)
            mode = self._modes[0]
        self._show_badge()
        self.mode_changed.emit(mode)

    def _show_badge(self) -> None:
        text, color = _BADGE[self.mode.level]
        self.badge.setText(
            f"<span style='background:{color};color:white;padding:2px 8px;"
            f"border-radius:4px'>&nbsp;{text}&nbsp;</span>"
        )
        self.badge.setToolTip(self.mode.leaves)
