"""Find in the PDF: a bar with a search field; every hit highlighted, Enter steps forward,
Shift+Enter back."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from reviewer_app.pdf.search import find_all
from reviewer_app.pdf.spans import TextSpan
from reviewer_app.ui.actions import AppActions
from reviewer_app.ui.icons import icon
from reviewer_app.ui.pdf_view import PdfView
from reviewer_app.ui.review.highlights import (
    CURRENT_FIND_COLOUR,
    FIND_COLOUR,
    Z_FIND,
    OverlayLayer,
    quads_bounds,
)

_ALL_HITS, _CURRENT_HIT = "find:all", "find:current"


class FindBar(QWidget):
    sig_hit_shown = Signal(object)
    """The current hit changed: its ``TextSpan``."""

    def __init__(self, view: PdfView, actions: AppActions, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("find_bar")
        self.view = view
        self.layer = OverlayLayer(view, Z_FIND)
        self.hits: list[TextSpan] = []
        self.current = -1
        self.field = QLineEdit(self)
        self.field.setObjectName("find_field")
        self.field.setPlaceholderText("Find in PDF (Enter: next, Shift+Enter: previous)")
        self.field.setClearButtonEnabled(True)
        self.count_label = QLabel(self)
        self.count_label.setMinimumWidth(80)
        close = QToolButton(self)
        close.setDefaultAction(QAction(icon("close"), "Close the find bar (Esc)", self))
        close.defaultAction().triggered.connect(self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(self.field, 1)
        for name in ("find_previous", "find_next"):
            button = QToolButton(self)
            button.setDefaultAction(actions[name])
            layout.addWidget(button)
        layout.addWidget(self.count_label)
        layout.addWidget(close)
        actions["find"].triggered.connect(self.open)
        actions["find_next"].triggered.connect(self.next_hit)
        actions["find_previous"].triggered.connect(self.previous_hit)
        self.field.textChanged.connect(self.search)
        self.field.installEventFilter(self)
        view.sig_document_opened.connect(self._on_document_opened)
        self.hide()

    def open(self) -> None:
        self.show()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def close_bar(self) -> None:
        self.layer.clear()
        self.hide()
        self.view.setFocus()

    def search(self, term: str) -> None:
        doc_text = self.view.document_text()
        self.layer.clear()
        self.hits = find_all(doc_text, term) if doc_text is not None and term.strip() else []
        for number, hit in enumerate(self.hits):
            self.layer.show(f"{_ALL_HITS}:{number}", hit.page_quads, FIND_COLOUR)
        self.current = -1
        if self.hits:
            self.show_hit(0)
        else:
            self.count_label.setText("no hits" if term.strip() else "")

    def next_hit(self) -> None:
        if self.hits:
            self.show_hit((self.current + 1) % len(self.hits))

    def previous_hit(self) -> None:
        if self.hits:
            self.show_hit((self.current - 1) % len(self.hits))

    def show_hit(self, number: int) -> None:
        self.current = number
        hit = self.hits[number]
        self.layer.show(_CURRENT_HIT, hit.page_quads, CURRENT_FIND_COLOUR)
        first = hit.page_quads[0]
        self.view.reveal(first.page, quads_bounds(first.quads))
        self.count_label.setText(f"{number + 1} of {len(self.hits)}")
        self.sig_hit_shown.emit(hit)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                backwards = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                self.previous_hit() if backwards else self.next_hit()
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
        return False

    def _on_document_opened(self, *_args: object) -> None:
        if self.isVisible() and self.field.text().strip():
            self.search(self.field.text())
