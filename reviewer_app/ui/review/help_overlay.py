"""A translucent sheet over the window listing every keyboard shortcut (F1)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QHideEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from reviewer_app.ui.actions import AppActions

_COLUMNS = 2


class HelpOverlay(QWidget):
    """Covers its parent; any key or click closes it. Built from the actions themselves."""

    sig_closed = Signal()
    """The overlay was closed (the keyboard goes back to the claim loop)."""

    def __init__(self, actions: AppActions, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("help_overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(
            "#help_overlay { background: rgba(20, 24, 28, 215); }"
            "QLabel { color: #eceff1; font-size: 13px; }"
        )
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._actions = actions
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label, 1)
        parent.installEventFilter(self)
        self.hide()

    def rows(self) -> list[tuple[str, str]]:
        return self._actions.shortcut_table()

    def open(self) -> None:
        self.label.setText(self._html())
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def _html(self) -> str:
        rows = self.rows()
        per_column = -(-len(rows) // _COLUMNS)
        columns = [rows[i : i + per_column] for i in range(0, len(rows), per_column)]
        tables = "".join(
            '<td valign="top" style="padding: 0 24px"><table cellpadding="3">'
            + "".join(
                f'<tr><td align="right"><b>{escape(keys)}</b></td><td>{escape(text)}</td></tr>'
                for text, keys in column
            )
            + "</table></td>"
            for column in columns
        )
        return (
            "<h2>Keyboard shortcuts</h2>"
            f"<table><tr>{tables}</tr></table>"
            '<p style="color:#b0bec5">Press any key or click to close.</p>'
        )

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.sig_closed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.hide()
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.hide()
        event.accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self.setGeometry(self.parentWidget().rect())
        return False
