"""Find in the PDF: a bar with a search field; every hit highlighted, Enter steps forward,
Shift+Enter back.

The search runs on a pool thread over the text layer the view loaded (the one stored with
the passage index when there is one), so neither reading a 2,415-page manual nor finding
ten thousand hits in it holds up the window; a result for an older term is dropped.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QThreadPool, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from reviewer_app.pdf.search import find_all
from reviewer_app.pdf.spans import TextSpan
from reviewer_app.pdf.text_layer import DocumentText
from reviewer_app.ui.actions import AppActions
from reviewer_app.ui.icons import icon
from reviewer_app.ui.pdf_view import PdfView
from reviewer_app.ui.pool_tasks import PoolTask, start_task
from reviewer_app.ui.review.highlights import (
    CURRENT_FIND_COLOUR,
    FIND_COLOUR,
    Z_FIND,
    OverlayLayer,
    quads_bounds,
)
from reviewer_app.ui.thread_keeper import wait_or_keep_pool

_ALL_HITS, _CURRENT_HIT = "find:all", "find:current"


class FindBar(QWidget):
    sig_hit_shown = Signal(object)
    """The current hit changed: its ``TextSpan``."""
    sig_search_finished = Signal(str)
    """The hits of this term are shown (none, maybe)."""

    def __init__(self, view: PdfView, actions: AppActions, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("find_bar")
        self.view = view
        self.layer = OverlayLayer(view, Z_FIND)
        self.hits: list[TextSpan] = []
        self.current = -1
        self._term = ""
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._tasks: list[PoolTask] = []
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
        view.text_layers.sig_text_layer_ready.connect(self._on_text_layer_ready)
        view.text_layers.sig_text_layer_failed.connect(self._on_text_layer_failed)
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
        """Start finding ``term``; the hits are shown when ``sig_search_finished`` says so."""
        self._term = term
        self.layer.clear()
        self.hits, self.current = [], -1
        if not term.strip() or self.view.path is None:
            self.count_label.setText("")
            self.sig_search_finished.emit(term)
            return
        doc_text = self.view.loaded_text()
        if doc_text is None:
            self.count_label.setText("reading text…")
            self.view.text_layers.request()  # searched again once it is there
            return
        self.count_label.setText("searching…")
        # a search for what was typed before is dropped if it has not started: typing a word
        # into a 2,415-page manual must not queue one search per letter
        self._pool.clear()
        self._tasks = [
            *self._tasks[-4:],
            start_task(self._pool, _finder(doc_text, term), self._on_found, self._on_failed),
        ]

    def wait_for_search(self) -> None:
        """Block until a running search ends (the window waits before it closes)."""
        wait_or_keep_pool(self._pool, "a find in the document", *self._tasks)

    def _on_found(self, result: tuple[str, DocumentText, list[TextSpan]]) -> None:
        term, doc_text, hits = result
        if term != self._term or doc_text is not self.view.loaded_text():
            return  # typed on, or another file opened, while it searched
        self.hits = hits
        for number, hit in enumerate(self.hits):
            self.layer.show(f"{_ALL_HITS}:{number}", hit.page_quads, FIND_COLOUR)
        if self.hits:
            self.show_hit(0)
        else:
            self.count_label.setText("no hits")
        self.sig_search_finished.emit(term)

    def _on_failed(self, message: str) -> None:
        self.count_label.setText("search failed")
        self.count_label.setToolTip(message)

    def _on_text_layer_ready(self) -> None:
        if self._term.strip():
            self.search(self._term)

    def _on_text_layer_failed(self, message: str) -> None:
        if self._term.strip():
            self.count_label.setText("text unreadable")
            self.count_label.setToolTip(message)

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


def _finder(doc_text: DocumentText, term: str) -> Callable[[], tuple[str, DocumentText, list]]:
    return lambda: (term, doc_text, find_all(doc_text, term))
