"""Dialogs holding free text that are still confirmed and cancelled from the keyboard.

In a ``QPlainTextEdit`` Enter and Tab are text, so Ctrl+Enter confirms, Esc cancels and Tab
moves on to the next field; the text wraps at the edge of the box.
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QWidget

CONFIRM_KEYS = ("Ctrl+Return", "Ctrl+Enter")


def text_box(parent: QWidget, placeholder: str) -> QPlainTextEdit:
    box = QPlainTextEdit(parent)
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
    return box


def ok_cancel(dialog: QDialog) -> QDialogButtonBox:
    """OK/Cancel buttons wired to ``dialog.accept``/``reject``, OK also on Ctrl+Enter."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setToolTip("Confirm (Ctrl+Enter)")
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    for keys in CONFIRM_KEYS:
        QShortcut(QKeySequence(keys), dialog, activated=ok.click)
    return buttons
