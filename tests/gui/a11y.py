"""Accessibility checks shared by GUI tests."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
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
