"""Rendering PDF pages on a thread of their own, so scrolling never waits for MuPDF.

The worker opens its own ``PdfDocument`` for the file (a PyMuPDF document must stay on the
thread that opened it). Each ``request`` replaces the queue: the caller lists the pages it
wants now, most wanted first, and pages it no longer asks for (scrolled away, old zoom)
are dropped unrendered. Finished pages arrive on the GUI thread through a queued signal.

A second, background queue serves the page thumbnails from the same document: its pages are
rendered only while no page of the first queue waits. An open document of the 2,415-page R
manual holds ~36 MB (its cross-reference table of 59,000 objects), and a worker of its own for
the thumbnails held a second copy.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pymupdf
from PySide6.QtCore import QObject, QThread, Signal

from reviewer_app.errors import ReviewerAppError
from reviewer_app.pdf.damage import mupdf_reason
from reviewer_app.pdf.document import PdfDocument, open_pdf
from reviewer_app.pdf.text_layer import MUPDF_ERRORS
from reviewer_app.ui.pdf_render import RenderedPage, cache_key, render_limit_note, render_page

PageRequest = tuple[int, float]
"""A page index and the scale (device pixels per PDF point) to render it at."""


class RenderWorker(QThread):
    sig_page_rendered = Signal(object)
    """A requested page is rendered: the ``RenderedPage`` (delivered on the receiver's thread)."""
    sig_page_failed = Signal(int, str)
    """A page (or the whole file, index -1) could not be rendered: the index and why."""
    sig_background_rendered = Signal(object)
    """A page asked for through ``request_background`` is rendered (its failures are silent:
    the same page asked for in the first queue reports them)."""

    def __init__(
        self, path: Path, *, opener: Callable[[Path], PdfDocument] = open_pdf,
        parent: QObject | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.path = Path(path)
        self._opener = opener
        self._wakeup = threading.Condition()
        self._pending: list[PageRequest] = []
        self._background: list[PageRequest] = []
        self._busy: tuple[int, int] | None = None
        self._busy_in_background = False
        self._stopping = False
        self._returned: list[pymupdf.Pixmap] = []
        """Pixmaps of pages the GUI has let go of, freed here on the worker's thread."""

    def request(self, pages: Sequence[PageRequest]) -> None:
        """Render ``pages`` in this order, forgetting any earlier request not yet started."""
        with self._wakeup:
            self._pending = [p for p in dict.fromkeys(pages) if cache_key(*p) != self._busy]
            self._wakeup.notify()

    def request_background(self, pages: Sequence[PageRequest]) -> None:
        """Render ``pages`` when the first queue is empty, replacing any earlier such request."""
        with self._wakeup:
            self._background = list(dict.fromkeys(pages))
            self._wakeup.notify()

    def is_idle(self) -> bool:
        """True when no page of the first queue is being rendered and none is waiting (a
        background page may be in hand)."""
        with self._wakeup:
            return not self._pending and (self._busy is None or self._busy_in_background)

    def pending(self) -> list[PageRequest]:
        with self._wakeup:
            return list(self._pending)

    def pending_background(self) -> list[PageRequest]:
        with self._wakeup:
            return list(self._background)

    def stop(self) -> None:
        """Finish the page in hand, drop the rest, close the document and end the thread."""
        with self._wakeup:
            self._stopping = True
            self._pending, self._background = [], []
            self._wakeup.notify()
        self.wait()

    def run(self) -> None:
        try:
            document = self._opener(self.path)
        except (ReviewerAppError, RuntimeError) as exc:
            self.sig_page_failed.emit(-1, f"{self.path}: cannot be rendered ({exc})")
            return
        try:
            while (job := self._next_job()) is not None:
                self._returned.clear()
                self._render(document, *job, in_background=self._busy_in_background)
        finally:
            self._returned.clear()
            document.close()

    def _next_job(self) -> PageRequest | None:
        with self._wakeup:
            self._busy = None
            while not self._pending and not self._background and not self._stopping:
                self._wakeup.wait()
            if self._stopping:
                return None
            self._busy_in_background = not self._pending
            job = (self._background if self._busy_in_background else self._pending).pop(0)
            self._busy = cache_key(*job)
            return job

    def _render(
        self, document: PdfDocument, index: int, scale: float, *, in_background: bool
    ) -> None:
        started, cpu_started = time.perf_counter(), time.thread_time()
        try:
            note = render_limit_note(document, index, scale)
            image, pixels = render_page(document, index, scale, self._returned)
        except MUPDF_ERRORS as exc:  # one damaged page must not take the others down
            self._done_with_job()
            if in_background:
                return
            why = mupdf_reason(exc)
            self.sig_page_failed.emit(index, f"{self.path}, page {index + 1}: {why}")
            return
        seconds, cpu = time.perf_counter() - started, time.thread_time() - cpu_started
        self._done_with_job()
        page = RenderedPage(index, scale, image, seconds, cpu, pixels, note=note)
        (self.sig_background_rendered if in_background else self.sig_page_rendered).emit(page)

    def _done_with_job(self) -> None:
        # Before the page is announced: whoever receives the last page must see the worker idle.
        with self._wakeup:
            self._busy = None


class WorkerHolder:
    """The one running worker of a view, started and stopped as documents open and close.

    A plain object (not a QObject) so that a widget's ``destroyed`` signal can still reach
    ``stop`` after the widget's Python wrapper is gone: no thread outlives its view.
    """

    def __init__(self) -> None:
        self.worker: RenderWorker | None = None

    def start(self, worker: RenderWorker) -> None:
        self.stop()
        self.worker = worker
        worker.start()

    def stop(self, *_args: object) -> RenderWorker | None:
        """Stop and forget the worker; returns it (so its signals can be disconnected)."""
        worker, self.worker = self.worker, None
        if worker is not None and worker.isRunning():
            worker.stop()
        return worker
