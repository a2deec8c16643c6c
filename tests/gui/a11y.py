"""Accessibility checks shared by GUI tests."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QWidget,
)

_CONTROLS = (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
)


def unnamed_controls(root: QWidget) -> list[str]:
    """Controls under ``root`` without an accessible name (parts of other controls, such as a
    spin box's line edit, excepted)."""
    unnamed = []
    for control in root.findChildren(QWidget):
        if not isinstance(control, _CONTROLS) or _inside_a_control(control):
            continue
        if not control.accessibleName():
            unnamed.append(f"{type(control).__name__} {control.objectName()!r}")
    return unnamed


def _inside_a_control(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QAbstractSpinBox, QComboBox, QAbstractItemView)):
            return True
        parent = parent.parentWidget()
    return False


def shared_mnemonics(root: QWidget, also: Sequence[str] = ()) -> dict[str, list[str]]:
    """Alt+letter keys that two controls under ``root`` claim (Qt then only cycles the focus
    between them: found when Alt+U went to "URL" instead of "Use this model"); ``also``: the
    texts of controls outside ``root`` that share its keys (a wizard's buttons)."""
    texts = list(also)
    for widget in root.findChildren(QWidget):
        if isinstance(widget, QAbstractButton) or (isinstance(widget, QLabel) and widget.buddy()):
            texts.append(widget.text())
    claims: dict[str, list[str]] = {}
    for text in texts:
        key = _mnemonic(text)
        if key:
            claims.setdefault(key, []).append(text)
    return {key: texts for key, texts in claims.items() if len(texts) > 1}


def _mnemonic(text: str) -> str:
    plain = text.replace("&&", "")
    at = plain.find("&")
    return plain[at + 1].lower() if 0 <= at < len(plain) - 1 else ""
