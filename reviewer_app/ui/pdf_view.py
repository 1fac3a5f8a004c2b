"""A continuous-scroll PDF view: pages stacked in a ``QGraphicsScene`` measured in PDF points.

Zoom is the view's transform (device-independent pixels per point). Only the pages in view
are rendered, by a ``RenderWorker`` thread that owns its own copy of the document; until a
page's image arrives it shows a placeholder (or its render at the previous zoom). Rendered
pages sit in a bounded LRU cache; pages that scroll away drop their image.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from html import escape
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QImage,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsScene, QGraphicsTextItem, QGraphicsView, QWidget

from reviewer_app.errors import ReviewerAppError
from reviewer_app.pdf.text_layer import DocumentText
from reviewer_app.ui.drops import pdf_path_from
from reviewer_app.ui.page_layout import PageLayout
from reviewer_app.ui.pdf_page_item import PageItem
from reviewer_app.ui.pdf_render import (
    DEFAULT_CACHE_PAGES,
    OpenDocument,
    RenderedPage,
    for_display,
    open_document,
)
from reviewer_app.ui.render_worker import RenderWorker, WorkerHolder
from reviewer_app.ui.text_layer_loader import TextLayerLoader

PAGE_GAP = 10.0
"""Points of background between two pages."""
MARGIN_PX = 8
"""Pixels left beside a page by fit width and fit page."""
MIN_ZOOM, MAX_ZOOM = 0.1, 4.0
ZOOM_STEP = 1.25
NO_DOCUMENT_TITLE = "No PDF open"
NO_DOCUMENT_HINT = "Open the source PDF with Ctrl+O, or drop a PDF file here."


class ZoomMode(StrEnum):
    CUSTOM = "custom"
    FIT_WIDTH = "fit-width"
    FIT_PAGE = "fit-page"


class PdfView(QGraphicsView):
    sig_document_opened = Signal(str, int)
    """A PDF was opened: its path and page count."""
    sig_document_closed = Signal()
    """The open PDF was closed (before another opens, or for good)."""
    sig_document_failed = Signal(str)
    """A PDF could not be opened or rendered: the message the pane shows."""
    sig_current_page_changed = Signal(int)
    """The page that fills most of the view changed (0-based index)."""
    sig_zoom_changed = Signal(float)
    """The zoom changed (device-independent pixels per PDF point)."""
    sig_page_rendered = Signal(int)
    """A page now shows a render at the current zoom (0-based index)."""
    sig_page_limited = Signal(int, str)
    """A page was too large to render at the zoom and is shown at a lower resolution: its
    index and the message saying so."""
    sig_renders_busy = Signal()
    """The page worker was given pages to render: background work should make way."""
    sig_renders_idle = Signal()
    """The page worker has nothing in hand or waiting: others may use the CPU now."""

    def __init__(self, parent: QWidget | None = None, *, cache_limit: int = DEFAULT_CACHE_PAGES):
        super().__init__(parent)
        self.cache_limit = cache_limit
        self.setScene(QGraphicsScene(self))
        self.setBackgroundBrush(QColor("#525659"))
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        # Always on: a scroll bar appearing would change the width that fit width aims at.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setAcceptDrops(True)
        self.on_pdf_dropped: Callable[[Path], object] = self.open_pdf
        """What a dropped PDF file is handed to (the review window attaches it instead)."""
        self._renderer: OpenDocument | None = None
        self.text_layers = TextLayerLoader(self)
        """The open document's text layer, loaded off the GUI thread."""
        self._worker = WorkerHolder()
        # Stop the thread even when the view is deleted without close_document (the holder
        # is a plain object, so the connection outlives this wrapper).
        self.destroyed.connect(self._worker.stop)
        self._items: list[PageItem] = []
        self._layout = PageLayout((), PAGE_GAP)
        self._shown: set[int] = set()
        self._zoom = 1.0
        self._mode = ZoomMode.FIT_WIDTH
        self._current = 0
        self._pinned: tuple[int, int] | None = None  # (page, scroll value) after go_to_page
        self._error: str | None = None
        self._render_timer = QTimer(self, singleShot=True, interval=0)
        self._render_timer.timeout.connect(self._render_visible)
        self._show_message(NO_DOCUMENT_TITLE, NO_DOCUMENT_HINT)
        self.verticalScrollBar().valueChanged.connect(self._on_scrollbar_moved)
        self.horizontalScrollBar().valueChanged.connect(self._schedule_render)

    # -- state -------------------------------------------------------------------------------
    @property
    def path(self) -> Path | None:
        return self._renderer.path if self._renderer else None

    @property
    def page_count(self) -> int:
        return len(self._items)

    @property
    def current_page(self) -> int:
        return self._current

    @property
    def zoom(self) -> float:
        return self._zoom

    @property
    def zoom_mode(self) -> ZoomMode:
        return self._mode

    @property
    def error_message(self) -> str | None:
        return self._error

    @property
    def cached_page_count(self) -> int:
        return len(self._renderer.cache) if self._renderer else 0

    @property
    def render_count(self) -> int:
        """Pages rendered (not served from the cache) since the document was opened."""
        return self._renderer.renders if self._renderer else 0

    @property
    def render_worker(self) -> RenderWorker | None:
        """The thread rendering the open document's pages (None when no document is open)."""
        return self._worker.worker

    def is_rendering(self) -> bool:
        """True while pages in view are waiting for, or being given to, the render worker."""
        worker = self._worker.worker
        return self._render_timer.isActive() or (worker is not None and not worker.is_idle())

    def page_image(self, index: int) -> QImage | None:
        """The image page ``index`` currently paints, or None while it is out of view."""
        rendered = self._items[index].rendered
        return rendered.image if rendered else None

    def is_fully_rendered(self) -> bool:
        """True when every page in view shows a render at the current zoom (or none is open)."""
        scale = self._zoom * self.devicePixelRatioF()
        return all(
            (rendered := self._items[i].rendered) is not None and rendered.scale == scale
            for i in self.visible_pages()
        )

    def visible_pages(self) -> list[int]:
        return self._layout.pages_between(*self._visible_span())

    # -- page coordinates (PDF points on one page) for overlays and mouse selection -----------
    def document_text(self) -> DocumentText | None:
        """The open document's text layer with word boxes: the loaded one (``text_layers``),
        else built here on first use (seconds for a long manual: prefer ``loaded_text``)."""
        if self._renderer is None:
            return None
        loaded = self.text_layers.current()
        if loaded is None:
            try:
                loaded = self._renderer.text_layer()
            except ReviewerAppError:  # the file went away since it was opened: no text
                return None
            self.text_layers.supply(loaded, self._renderer.path)
        return loaded

    def loaded_text(self) -> DocumentText | None:
        """The open document's text layer if it is loaded already; never builds it."""
        return self.text_layers.current()

    def page_item(self, index: int) -> PageItem:
        """The scene item of page ``index``: overlays are its children, in page points."""
        return self._items[index]

    def page_at(self, viewport_pos: QPoint | QPointF) -> tuple[int, QPointF] | None:
        """The page under (or nearest above) a viewport position, and the point on it."""
        if not self._items:
            return None
        scene = self.mapToScene(QPointF(viewport_pos).toPoint())
        tops = [box.top for box in self._layout.boxes]
        index = max(0, sum(1 for top in tops if top <= scene.y()) - 1)
        return index, self._items[index].mapFromScene(scene)

    def map_from_page(self, index: int, point: QPointF) -> QPoint:
        """Viewport pixel position of ``point`` (PDF points) on page ``index``."""
        return self.mapFromScene(self._items[index].mapToScene(point))

    def reveal(self, index: int, rect: QRectF) -> None:
        """Scroll so ``rect`` (page points) of page ``index`` is in view, with some margin."""
        if not self._items:
            return
        scene_rect = self._items[index].mapRectToScene(rect)
        self._pinned = None
        self.centerOn(scene_rect.center())
        self._schedule_render()

    # -- documents ---------------------------------------------------------------------------
    def open_pdf(self, path: Path) -> bool:
        """Show ``path``; on failure show why in the pane, emit the message and return False."""
        path = Path(path)
        try:
            renderer = OpenDocument(open_document(path), self.cache_limit)
        except ReviewerAppError as exc:
            self._show_error(str(exc))
            return False
        except RuntimeError as exc:  # PyMuPDF reading page sizes of a damaged file
            self._show_error(f"{path}: cannot be displayed ({exc})")
            return False
        self.close_document(hint=False)
        self._renderer = renderer
        worker = RenderWorker(path)
        worker.sig_page_rendered.connect(self._on_worker_page_rendered)
        worker.sig_page_failed.connect(self._on_worker_page_failed)
        self._worker.start(worker)
        self._layout_pages()
        self._apply_zoom_mode()
        self.go_to_page(0)
        self.sig_document_opened.emit(str(path), self.page_count)
        return True

    def close_document(self, *, hint: bool = True) -> None:
        """Close the PDF (if any); ``hint`` shows how to open one in its place."""
        self._render_timer.stop()
        worker = self._worker.stop()
        if worker is not None:
            worker.sig_page_rendered.disconnect(self._on_worker_page_rendered)
            worker.sig_page_failed.disconnect(self._on_worker_page_failed)
        self.scene().clear()
        self._items, self._shown = [], set()
        self._layout = PageLayout((), PAGE_GAP)
        self._error, self._pinned, self._current = None, None, 0
        if self._renderer is not None:
            self._renderer.close()
            self._renderer = None
            self.sig_document_closed.emit()
        if hint:
            self._show_message(NO_DOCUMENT_TITLE, NO_DOCUMENT_HINT)

    def _layout_pages(self) -> None:
        assert self._renderer is not None
        sizes = [self._renderer.page_size(i) for i in range(self._renderer.page_count)]
        self._layout = PageLayout([(size.width(), size.height()) for size in sizes], PAGE_GAP)
        for index, (size, box) in enumerate(zip(sizes, self._layout.boxes, strict=True)):
            item = PageItem(index, size)
            item.setPos(box.left, box.top)
            self.scene().addItem(item)
            self._items.append(item)
        layout = self._layout
        self.scene().setSceneRect(QRectF(-layout.width / 2, 0.0, layout.width, layout.height))

    def _show_error(self, message: str) -> None:
        self.close_document(hint=False)
        self._error = message
        self._show_message("This PDF cannot be shown", message)
        self.sig_document_failed.emit(message)

    def _show_message(self, title: str, body: str) -> None:
        """Text in place of pages (no document yet, or why it failed), at 100 % zoom."""
        self.scene().clear()
        self.setTransform(QTransform())
        text = QGraphicsTextItem()
        text.setDefaultTextColor(QColor("#eceff1"))
        text.setTextWidth(max(self.viewport().width() - 4 * MARGIN_PX, 240))
        text.setHtml(f"<h3>{escape(title)}</h3><p>{escape(body)}</p>")
        self.scene().addItem(text)
        self.scene().setSceneRect(text.boundingRect().adjusted(-MARGIN_PX, -MARGIN_PX, 0, 0))

    # -- navigation --------------------------------------------------------------------------
    def go_to_page(self, index: int) -> None:
        """Scroll so page ``index`` (0-based, clamped) starts at the top of the view."""
        if not self._items:
            return
        index = min(max(index, 0), self.page_count - 1)
        top = self._layout.boxes[index].top - PAGE_GAP / 2 - self.sceneRect().top()
        bar = self.verticalScrollBar()
        value = min(max(round(top * self._zoom), bar.minimum()), bar.maximum())
        self._pinned = (index, value)
        bar.setValue(value)
        self._set_current(index)
        self._schedule_render()

    def next_page(self) -> None:
        self.go_to_page(self._current + 1)

    def previous_page(self) -> None:
        self.go_to_page(self._current - 1)

    def first_page(self) -> None:
        self.go_to_page(0)

    def last_page(self) -> None:
        self.go_to_page(self.page_count - 1)

    def _on_scrollbar_moved(self, value: int) -> None:
        if self._pinned is not None and self._pinned[1] == value:
            self._set_current(self._pinned[0])
        else:
            self._pinned = None
            most_shown = self._layout.most_shown(*self._visible_span())
            if most_shown is not None:
                self._set_current(most_shown)
        self._schedule_render()

    def _set_current(self, index: int) -> None:
        if index != self._current:
            self._current = index
            self.sig_current_page_changed.emit(index)

    # -- zoom ----------------------------------------------------------------------------------
    def set_zoom(self, zoom: float, mode: ZoomMode = ZoomMode.CUSTOM) -> None:
        self._mode = mode
        zoom = min(max(zoom, MIN_ZOOM), MAX_ZOOM)
        if abs(zoom - self._zoom) < 1e-6 and self.transform().m11() == zoom:
            return
        self._zoom = zoom
        self.setTransform(QTransform.fromScale(zoom, zoom))
        self.sig_zoom_changed.emit(zoom)
        self._schedule_render()

    def zoom_in(self) -> None:
        self.set_zoom(self._zoom * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self._zoom / ZOOM_STEP)

    def fit_width(self) -> None:
        self._mode = ZoomMode.FIT_WIDTH
        self._apply_zoom_mode()

    def fit_page(self) -> None:
        self._mode = ZoomMode.FIT_PAGE
        self._apply_zoom_mode()

    def _apply_zoom_mode(self) -> None:
        if not self._items or self._mode == ZoomMode.CUSTOM:
            return
        page = self._items[self._current].boundingRect()
        width = (self.viewport().width() - 2 * MARGIN_PX) / self.sceneRect().width()
        height = (self.viewport().height() - 2 * MARGIN_PX) / (page.height() + PAGE_GAP)
        zoom = width if self._mode == ZoomMode.FIT_WIDTH else min(width, height)
        current = self._current
        self.set_zoom(zoom, self._mode)
        self.go_to_page(current)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier and self._items:
            steps = event.angleDelta().y() / 120
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
            self.set_zoom(self._zoom * ZOOM_STEP**steps)
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
            event.accept()
            return
        super().wheelEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_zoom_mode()
        self._schedule_render()

    # -- rendering -----------------------------------------------------------------------------
    def _visible_span(self) -> tuple[float, float]:
        area = self.mapToScene(self.viewport().rect()).boundingRect()
        return area.top(), area.bottom()

    def _schedule_render(self, *_args: object) -> None:
        """Render once the event loop is idle: many scroll steps coalesce into one render."""
        self._render_timer.start()

    def _render_visible(self) -> None:
        """Show cached renders of the pages in view and ask the worker for the missing ones."""
        worker = self._worker.worker
        if self._renderer is None or worker is None:
            return
        scale = self._zoom * self.devicePixelRatioF()
        visible = self.visible_pages()
        # The page the person reads first, then its neighbours outwards.
        wanted_order = sorted(visible, key=lambda i: (abs(i - self._current), i))
        missing: list[tuple[int, float]] = []
        for index in wanted_order:
            item = self._items[index]
            if item.rendered is not None and item.rendered.scale == scale:
                continue
            cached = self._renderer.cache.get(index, scale)
            if cached is None:
                missing.append((index, scale))
            else:
                item.show_render(cached)
                self._announce_limit(cached)
                self.sig_page_rendered.emit(index)
        worker.request(missing)  # also drops earlier requests for pages out of view
        if missing:
            self.sig_renders_busy.emit()
        shown = set(visible)
        for index in self._shown - shown:
            self._items[index].show_render(None)
        self._shown = shown

    def _on_worker_page_rendered(self, page: RenderedPage) -> None:
        if self.sender() is not self._worker.worker or self._renderer is None:
            return  # a page of a document closed since (its signal was already queued)
        self._renderer.renders += 1
        page = for_display(page)  # the worker's pixmap goes back now, not when evicted
        self._renderer.cache.put(page)
        scale = self._zoom * self.devicePixelRatioF()
        if page.scale == scale and page.index in self.visible_pages():
            self._shown.add(page.index)
            self._items[page.index].show_render(page)
            self._announce_limit(page)
            self.sig_page_rendered.emit(page.index)
        self._announce_if_idle()

    def _announce_limit(self, page: RenderedPage) -> None:
        if page.note:
            self.sig_page_limited.emit(page.index, page.note)

    def _on_worker_page_failed(self, index: int, message: str) -> None:
        if self.sender() is self._worker.worker:
            self.sig_document_failed.emit(message)
            self._announce_if_idle()

    def _announce_if_idle(self) -> None:
        worker = self._worker.worker
        if worker is not None and worker.is_idle():
            self.sig_renders_idle.emit()

    # -- drag and drop of PDF files ------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if pdf_path_from(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if pdf_path_from(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = pdf_path_from(event.mimeData())
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.on_pdf_dropped(path)
