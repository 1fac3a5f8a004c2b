"""Turning PDF pages into ``QImage`` objects, and a bounded cache of the rendered pages.

A ``PdfDocument`` must stay on the thread that opened it (PyMuPDF is not thread-safe per
document): the GUI thread opens one to check the file and read its page sizes, then closes it
(``OpenDocument``), and the render worker opens its own copy and calls ``render_page``.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass, replace
from pathlib import Path

import pymupdf
from PySide6.QtCore import QSizeF
from PySide6.QtGui import QImage

from reviewer_app.pdf.document import PdfDocument, open_pdf
from reviewer_app.pdf.memory import release_free_memory
from reviewer_app.pdf.text_layer import MUPDF_ERRORS, DocumentText

UNREADABLE_PAGE_SIZE = (612.0, 792.0)
DEFAULT_CACHE_PAGES = 16
"""A Letter page at 150 dpi is ~8 MB in display form, so 16 pages stay near 130 MB however long
the PDF is."""

MAX_RENDER_PIXELS = 40_000_000
"""A page render never exceeds this many pixels (~160 MB for display): a page with a huge
MediaBox is rendered at a reduced scale, stretched to its place and announced, instead of
MuPDF refusing it ("Overly large image") or the app running out of memory."""
MAX_RENDER_SIDE = 20_000
"""Nor this many pixels on either side (a very long, thin page)."""

DISPLAY_FORMAT = QImage.Format.Format_RGB32
"""What the raster paint engine copies without converting pixel by pixel on every paint."""


def open_document(path: Path) -> PdfDocument:
    """Open a PDF for display; raises ``PdfUnreadable`` (a ``ReviewerAppError``) naming why not."""
    return open_pdf(path)


@dataclass(frozen=True)
class RenderedPage:
    """One page rendered at ``scale`` device pixels per PDF point.

    From the worker, ``image`` reads its pixels straight from the PyMuPDF pixmap held by
    ``pixels``; when the last reference to the page goes, ``pixels`` hands the pixmap back to
    the worker that made it, which frees it on its own thread (see ``PixmapReturn``). The view
    keeps ``for_display`` copies, which own their pixels.
    """

    index: int
    scale: float
    image: QImage
    seconds: float = 0.0
    """Wall time the worker spent rendering and converting this page."""
    cpu_seconds: float = 0.0
    """CPU time of the worker thread for the same work (excludes waiting for the GIL)."""
    pixels: object | None = None
    """Keeps the pixmap under ``image`` alive; ``None`` when ``image`` owns its pixels."""
    note: str | None = None
    """Set when the page was rendered below ``scale`` because it is too large: says so."""

    @property
    def nbytes(self) -> int:
        return self.image.sizeInBytes()


class PixmapReturn:
    """Holds a pixmap; when dropped (on any thread) it puts the pixmap in ``returns``.

    The worker empties ``returns`` on its own thread. Freeing a page's pixels where they were
    allocated lets the allocator reuse them: freed on the GUI thread, every new page landed in
    fresh memory and paid ~700 page faults (1.2 ms a page, more than the render itself).
    """

    __slots__ = ("pixmap", "returns")

    def __init__(self, pixmap: pymupdf.Pixmap, returns: list[pymupdf.Pixmap]) -> None:
        self.pixmap = pixmap
        self.returns = returns

    def __del__(self) -> None:
        self.returns.append(self.pixmap)  # list.append is atomic under the GIL


def render_page(
    document: PdfDocument,
    index: int,
    scale: float,
    returns: list[pymupdf.Pixmap] | None = None,
) -> tuple[QImage, PixmapReturn | None]:
    """Page ``index`` of ``document`` at ``scale`` pixels per point.

    With ``returns``, the image shares the pixmap's pixels (no copy) and comes with the
    ``PixmapReturn`` that keeps them alive; without, the image is a self-owned copy.
    """
    page = document.page(index)
    scale = capped_scale(page.rect.width, page.rect.height, scale)
    pixmap = page.get_pixmap(matrix=pymupdf.Matrix(scale, scale), alpha=False)
    shared = QImage(
        pixmap.samples_mv, pixmap.width, pixmap.height, pixmap.stride, QImage.Format.Format_RGB888
    )
    if returns is None:
        return shared.copy(), None
    return shared, PixmapReturn(pixmap, returns)


def capped_scale(width: float, height: float, scale: float) -> float:
    """``scale``, or the largest smaller one at which a ``width`` × ``height`` pt page stays
    within ``MAX_RENDER_PIXELS`` and ``MAX_RENDER_SIDE``."""
    pixels_wide, pixels_high = max(width * scale, 1.0), max(height * scale, 1.0)
    factor = min(
        1.0,
        math.sqrt(MAX_RENDER_PIXELS / (pixels_wide * pixels_high)),
        MAX_RENDER_SIDE / pixels_wide,
        MAX_RENDER_SIDE / pixels_high,
    )
    # MuPDF rounds the pixmap's sides up: stay a little under the caps
    return scale if factor >= 1.0 else scale * factor * 0.999


def render_limit_note(document: PdfDocument, index: int, scale: float) -> str | None:
    """What to tell the reader when page ``index`` is too large to render at ``scale``."""
    x0, y0, x1, y1 = document.page_rect(index)
    width, height = x1 - x0, y1 - y0
    reduced = capped_scale(width, height, scale)
    if reduced >= scale:
        return None
    percent = max(reduced / scale * 100, 0.01)
    return (
        f"{document.path.name}, page {index + 1}: the page is {width:,.0f} × {height:,.0f} pt, "
        f"too large to render at this zoom; shown at {percent:.2g} % of its resolution"
    )


def for_display(page: RenderedPage) -> RenderedPage:
    """``page`` with its own pixels in ``DISPLAY_FORMAT``, no longer holding the worker's pixmap.

    Done once on the GUI thread when a page arrives. Every later paint is then a plain copy,
    and the pixmap goes straight back to the worker, which renders the next page into memory
    it has just used. Keeping the 16 cached pages' pixmaps instead made every render write to
    memory that had long left the CPU caches: 1.5x a raw PyMuPDF render, 2.3x while the cache
    filled (benchmarks/pdf_bench.py).
    """
    if page.pixels is None and page.image.format() == DISPLAY_FORMAT:
        return page
    return replace(page, image=page.image.convertToFormat(DISPLAY_FORMAT), pixels=None)


def cache_key(index: int, scale: float) -> tuple[int, int]:
    # Scales that differ by less than 0.1 % render the same pixels.
    return index, round(scale * 1000)


class PageCache:
    """Least-recently-used rendered pages, never more than ``limit`` of them."""

    def __init__(self, limit: int = DEFAULT_CACHE_PAGES) -> None:
        if limit < 1:
            raise ValueError("the page cache must hold at least one page")
        self.limit = limit
        self._pages: OrderedDict[tuple[int, int], RenderedPage] = OrderedDict()

    def get(self, index: int, scale: float) -> RenderedPage | None:
        key = cache_key(index, scale)
        page = self._pages.get(key)
        if page is not None:
            self._pages.move_to_end(key)
        return page

    def put(self, page: RenderedPage) -> None:
        key = cache_key(page.index, page.scale)
        self._pages[key] = page
        self._pages.move_to_end(key)
        while len(self._pages) > self.limit:
            self._pages.popitem(last=False)

    def clear(self) -> None:
        self._pages.clear()

    def __len__(self) -> int:
        return len(self._pages)


class OpenDocument:
    """The GUI thread's side of an open PDF: its path, page sizes and the render cache.

    It keeps no PyMuPDF document: the one it is given is read for the page sizes, then closed
    and its memory given back. Reading a size parses the page's objects, and an open document
    holds them and its cross-reference table as long as it is open: ~40 MB for the 2,415 pages
    of the R manual, on top of the render worker's own copy, for as long as the PDF was shown.
    """

    def __init__(self, document: PdfDocument, cache_limit: int = DEFAULT_CACHE_PAGES) -> None:
        self.path = document.path
        self.cache = PageCache(cache_limit)
        self.renders = 0
        """How many pages the worker rendered (cache misses) since the document was opened."""
        try:
            self._sizes = [_page_size(document, i) for i in range(document.page_count)]
        finally:
            document.close()
            del document
            release_free_memory()

    @property
    def page_count(self) -> int:
        return len(self._sizes)

    def page_size(self, index: int) -> QSizeF:
        """The page's size in PDF points (1/72 inch), rotation applied."""
        return self._sizes[index]

    def text_layer(self) -> DocumentText:
        """The text layer read from the file now, on this thread (seconds for a long manual:
        the text-layer loader reads it off the GUI thread); raises ``PdfUnreadable``."""
        with open_pdf(self.path) as document:
            return document.text_layer()

    def close(self) -> None:
        self.cache.clear()


def _page_size(document: PdfDocument, index: int) -> QSizeF:
    try:
        x0, y0, x1, y1 = document.page_rect(index)
    except MUPDF_ERRORS:
        # a page that cannot be loaded (e.g. a cycle in the page tree) keeps a Letter-sized
        # place; the worker reports it when asked to render it
        return QSizeF(*UNREADABLE_PAGE_SIZE)
    return QSizeF(x1 - x0, y1 - y0)
