"""A strip of small page images beside the PDF view: click one to go to its page; the page
being read is the highlighted one.

Thumbnails are rendered by the view's ``RenderWorker``, in its background queue (one copy of
the document, not two: ~36 MB for the 2,415-page R manual), only for the rows in view and only
while the view renders nothing: on two cores a second worker slowed the view's and a page took
twice as long to appear. The most recent ``THUMBNAILS_KEPT`` are kept, so memory stays flat
however long the PDF.
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from collections.abc import KeysView

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QListView, QListWidget, QListWidgetItem, QWidget

from reviewer_app.ui.pdf_render import RenderedPage
from reviewer_app.ui.pdf_view import PdfView
from reviewer_app.ui.render_worker import RenderWorker

THUMBNAIL_WIDTH = 96
"""Device-independent pixels across one thumbnail."""
THUMBNAILS_KEPT = 300
"""At ~50 kB each, 300 thumbnails are ~15 MB however long the PDF; the 2,415-page R manual
kept all of them and grew by 77 MB while scrolled through. Older ones go back to the blank
sheet and are rendered again if they come back into view."""
PAGE_ROLE = Qt.ItemDataRole.UserRole + 1


class PageThumbnails(QListWidget):
    sig_thumbnail_rendered = Signal(int)
    """The thumbnail of a page (0-based index) now shows the page."""

    def __init__(self, view: PdfView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page_thumbnails")
        self.setToolTip("Pages: click one to go there")
        self.view = view
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.TopToBottom)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(True)
        self.setSpacing(4)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(THUMBNAIL_WIDTH + 40)
        self._kept: OrderedDict[int, None] = OrderedDict()
        """Pages whose thumbnail shows the page (not the placeholder), oldest first."""
        self.kept_limit = THUMBNAILS_KEPT
        self._placeholder = QIcon()
        self._worker: RenderWorker | None = None
        self._request_timer = QTimer(self, singleShot=True, interval=0)
        self._request_timer.timeout.connect(self._request_visible)
        view.sig_document_opened.connect(self._on_document_opened)
        view.sig_document_closed.connect(self._on_document_closed)
        view.sig_current_page_changed.connect(self._on_current_page_changed)
        view.sig_renders_idle.connect(self._schedule_request)
        view.sig_renders_busy.connect(self._make_way)
        self.currentRowChanged.connect(self._on_row_chosen)
        self.verticalScrollBar().valueChanged.connect(self._schedule_request)

    @property
    def rendered(self) -> KeysView[int]:
        """Pages whose thumbnail shows the page now (not the blank sheet)."""
        return self._kept.keys()

    @property
    def render_worker(self) -> RenderWorker | None:
        """The view's worker, which renders the thumbnails too (None when no document is open)."""
        return self._worker

    def visible_rows(self) -> list[int]:
        # Rows run top to bottom: find the first in view by bisection, not by asking all of
        # them (a 2,400-page manual made every thumbnail cost 2,400 rectangle lookups).
        area = self.viewport().rect()
        count = self.count()
        first = bisect.bisect_left(
            range(count), area.top(), key=lambda row: self.visualItemRect(self.item(row)).bottom()
        )
        rows = []
        for row in range(first, count):
            rect = self.visualItemRect(self.item(row))
            if rect.top() > area.bottom():
                break
            if rect.intersects(area):
                rows.append(row)
        return rows

    def is_up_to_date(self) -> bool:
        """True when every row in view shows its page (or the strip is hidden or empty)."""
        return not self.isVisible() or set(self.visible_rows()) <= self.rendered

    def stop(self) -> None:
        """Let go of the view's worker (its document was closed; the view stops it)."""
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.sig_background_rendered.disconnect(self._on_worker_page_rendered)

    # -- documents -----------------------------------------------------------------------------
    def _on_document_opened(self, path: str, page_count: int) -> None:
        self.stop()
        self.clear()
        self._kept = OrderedDict()
        first = self.view.page_item(0).boundingRect()
        height = round(THUMBNAIL_WIDTH * first.height() / max(first.width(), 1.0))
        self.setIconSize(QSize(THUMBNAIL_WIDTH, height))
        placeholder = self._placeholder = QIcon(_blank_page(THUMBNAIL_WIDTH, height))
        for index in range(page_count):
            item = QListWidgetItem(placeholder, str(index + 1))
            item.setData(PAGE_ROLE, index)
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.addItem(item)
        worker = self._worker = self.view.render_worker
        if worker is not None:
            worker.sig_background_rendered.connect(self._on_worker_page_rendered)
        self._on_current_page_changed(self.view.current_page)
        self._schedule_request()

    def _on_document_closed(self) -> None:
        self.stop()
        self.clear()
        self._kept = OrderedDict()

    # -- rendering -----------------------------------------------------------------------------
    def _schedule_request(self, *_args: object) -> None:
        self._request_timer.start()

    def _request_visible(self) -> None:
        worker = self._worker
        if worker is None or not self.isVisible():
            return
        if self.view.is_rendering():
            return  # the page being read comes first; the view says when it is done
        ratio = self.devicePixelRatioF()
        wanted = [row for row in self.visible_rows() if row not in self.rendered]
        worker.request_background([(row, self._scale(row) * ratio) for row in wanted])

    def _make_way(self) -> None:
        """Drop the thumbnails not yet started; they are asked for again when the view is idle
        (the rows in view may have changed by then)."""
        if self._worker is not None:
            self._worker.request_background([])

    def _scale(self, index: int) -> float:
        return THUMBNAIL_WIDTH / max(self.view.page_item(index).boundingRect().width(), 1.0)

    def _on_worker_page_rendered(self, page: RenderedPage) -> None:
        if self.sender() is not self._worker or page.index >= self.count():
            return
        pixmap = QPixmap.fromImage(page.image)
        pixmap.setDevicePixelRatio(self.devicePixelRatioF())
        self.item(page.index).setIcon(QIcon(pixmap))
        self._kept[page.index] = None
        self._forget_oldest()
        self.sig_thumbnail_rendered.emit(page.index)

    def _forget_oldest(self) -> None:
        excess = len(self._kept) - self.kept_limit
        if excess <= 0:
            return
        in_view = set(self.visible_rows())
        for index in [i for i in self._kept if i not in in_view][:excess]:
            del self._kept[index]
            self.item(index).setIcon(self._placeholder)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._schedule_request()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._schedule_request()

    # -- navigation ----------------------------------------------------------------------------
    def _on_current_page_changed(self, index: int) -> None:
        if not 0 <= index < self.count():
            return
        self.blockSignals(True)  # following the view must not send the view anywhere
        self.setCurrentRow(index)
        self.blockSignals(False)
        self.scrollToItem(self.item(index))

    def _on_row_chosen(self, row: int) -> None:
        if row >= 0 and row != self.view.current_page:
            self.view.go_to_page(row)


def _blank_page(width: int, height: int) -> QPixmap:
    """A white sheet with a grey border: what a thumbnail shows until its page is rendered."""
    pixmap = QPixmap(width, height)
    pixmap.fill(Qt.GlobalColor.white)
    painter = QPainter(pixmap)
    painter.setPen(QColor("#9e9e9e"))
    painter.drawRect(0, 0, width - 1, height - 1)
    painter.end()
    return pixmap
