"""Mouse selection on a ``PdfView``: press, drag and release over pages selects whole words
(``words_between``), across lines and pages, drawn as a translucent overlay.

Selecting needs the document's text layer. Until it is loaded (off the GUI thread) a press
asks for it and says so: building it here froze the window for ten seconds on a click into
the 2,415-page R manual (seen under Xvfb), and every key pressed meanwhile landed late."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal
from PySide6.QtGui import QMouseEvent

from reviewer_app.pdf.selection import words_between
from reviewer_app.pdf.spans import TextSpan
from reviewer_app.ui.pdf_view import PdfView
from reviewer_app.ui.review.highlights import SELECTION_COLOUR, Z_SELECTION, OverlayLayer

_SELECTION_KEY = "selection"
WAITING_FOR_TEXT = "Reading the text of this PDF… select again in a moment"
_CLICK_SLOP_PX = 3
"""A press and release closer than this is a click: it clears the selection."""


class TextSelection(QObject):
    sig_selection_changed = Signal(object)
    """The selected words changed: a ``TextSpan``, or None when nothing is selected."""
    sig_waiting_for_text = Signal(str)
    """A press could not select yet: the text layer is being read (what to tell the person)."""

    def __init__(self, view: PdfView) -> None:
        super().__init__(view)
        self.view = view
        self.layer = OverlayLayer(view, Z_SELECTION)
        self.span: TextSpan | None = None
        self._anchor: tuple[int, QPointF] | None = None
        self._press_pos: QPointF | None = None
        view.viewport().installEventFilter(self)
        view.sig_document_opened.connect(self._on_document_changed)
        view.sig_document_failed.connect(self._on_document_changed)

    def clear(self) -> None:
        self.layer.remove(_SELECTION_KEY)
        if self.span is not None:
            self.span = None
            self.sig_selection_changed.emit(None)

    def select(self, span: TextSpan | None) -> None:
        """Show ``span`` as the selection (from the mouse, or a find hit to attach)."""
        if span is None or not span.page_quads:
            self.clear()
            return
        self.span = span
        self.layer.show(_SELECTION_KEY, span.page_quads, SELECTION_COLOUR)
        self.sig_selection_changed.emit(span)

    def selected_text(self) -> str:
        return self.span.quote if self.span else ""

    # -- mouse ---------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            return self._on_press(event)
        if kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
            return self._on_move(event)
        if kind == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            return self._on_release(event)
        return False

    def _on_press(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton or self.view.page_count == 0:
            return False
        if self.view.loaded_text() is None:
            loader = self.view.text_layers
            if not loader.is_reading():
                loader.request()  # from the file; a stored layer on its way is as good
            self.sig_waiting_for_text.emit(WAITING_FOR_TEXT)
            return False
        self._anchor = self.view.page_at(event.position())
        self._press_pos = event.position()
        return self._anchor is not None

    def _on_move(self, event: QMouseEvent) -> bool:
        if self._anchor is None:
            return False
        self._extend_to(event.position())
        return True

    def _on_release(self, event: QMouseEvent) -> bool:
        if self._anchor is None or event.button() != Qt.MouseButton.LeftButton:
            return False
        assert self._press_pos is not None
        moved = (event.position() - self._press_pos).manhattanLength()
        if moved < _CLICK_SLOP_PX:
            self.clear()
        else:
            self._extend_to(event.position())
        self._anchor = self._press_pos = None
        return True

    def _extend_to(self, position: QPointF) -> None:
        doc_text = self.view.loaded_text()
        end = self.view.page_at(position)
        if doc_text is None or end is None or self._anchor is None:
            return
        (page_a, point_a), (page_b, point_b) = self._anchor, end
        span = words_between(
            doc_text, page_a, (point_a.x(), point_a.y()), page_b, (point_b.x(), point_b.y())
        )
        if span != self.span:
            self.select(span)

    def _on_document_changed(self, *_args: object) -> None:
        self._anchor = self._press_pos = None
        if self.span is not None:
            self.span = None
            self.sig_selection_changed.emit(None)
