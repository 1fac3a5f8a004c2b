"""Rendering off the GUI thread: the worker, its queue, and its life beside the PDF view."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import threading
from collections.abc import Callable
from pathlib import Path

import pymupdf
from PySide6.QtCore import QCoreApplication, QEvent

from reviewer_app.pdf.document import PdfDocument, open_pdf
from reviewer_app.ui.pdf_render import DISPLAY_FORMAT, RenderedPage, for_display, render_page
from reviewer_app.ui.pdf_view import PdfView
from reviewer_app.ui.render_worker import RenderWorker, WorkerHolder

pytest_plugins = ("tests.ui_fixtures",)


def started(worker: RenderWorker) -> WorkerHolder:
    holder = WorkerHolder()
    holder.start(worker)
    return holder


def test_the_worker_renders_on_its_own_thread_what_pymupdf_renders(
    qtbot, make_pdf: Callable
) -> None:
    path = make_pdf(pages=3)
    opened_on: list[int] = []

    def opener(p: Path) -> PdfDocument:
        opened_on.append(threading.get_ident())
        return open_pdf(p)

    holder = started(RenderWorker(path, opener=opener))
    try:
        assert holder.worker is not None
        with qtbot.waitSignal(holder.worker.sig_page_rendered) as rendered:
            holder.worker.request([(1, 1.5)])
    finally:
        holder.stop()
    page: RenderedPage = rendered.args[0]
    assert opened_on and opened_on[0] != threading.get_ident()
    with pymupdf.open(path) as raw:
        expected = raw[1].get_pixmap(matrix=pymupdf.Matrix(1.5, 1.5), alpha=False)
    assert (page.index, page.scale) == (1, 1.5)
    assert (page.image.width(), page.image.height()) == (expected.width, expected.height)
    # the pixels are the page's: compare one dark pixel of "Page 2" with MuPDF's own
    dark = next(
        (x, y)
        for y in range(expected.height)
        for x in range(expected.width)
        if expected.pixel(x, y)[0] < 60
    )
    assert page.image.pixelColor(*dark).red() < 100


def held_worker(path: Path) -> tuple[WorkerHolder, RenderWorker, threading.Event]:
    """A started worker that opens its document (and so renders) only once the event is set:
    requests made meanwhile queue up as they would behind a long render."""
    may_open = threading.Event()

    def opener(p: Path) -> PdfDocument:
        may_open.wait(timeout=10)
        return open_pdf(p)

    holder = started(RenderWorker(path, opener=opener))
    assert holder.worker is not None
    return holder, holder.worker, may_open


def test_a_new_request_replaces_the_pages_not_yet_started(qtbot, make_pdf: Callable) -> None:
    holder, worker, may_open = held_worker(make_pdf(pages=12))
    got: list[int] = []
    worker.sig_page_rendered.connect(lambda page: got.append(page.index))
    worker.request([(i, 0.5) for i in range(10)])
    worker.request([(7, 0.5), (8, 0.5), (7, 0.5)])  # the person scrolled on; duplicates merge
    assert worker.pending() == [(7, 0.5), (8, 0.5)]
    may_open.set()
    qtbot.waitUntil(lambda: got == [7, 8])
    holder.stop()
    assert worker.isFinished()
    QCoreApplication.processEvents()  # nothing else was queued behind the two
    assert got == [7, 8]


def test_background_pages_wait_until_the_first_queue_is_empty(
    qtbot, make_pdf: Callable
) -> None:
    """Thumbnails share the view's worker (one copy of the document) and never delay a page."""
    holder, worker, may_open = held_worker(make_pdf(pages=6))
    order: list[tuple[str, int]] = []
    worker.sig_page_rendered.connect(lambda page: order.append(("page", page.index)))
    worker.sig_background_rendered.connect(lambda page: order.append(("thumbnail", page.index)))
    worker.request_background([(0, 0.2), (5, 0.2)])
    worker.request([(3, 1.0), (4, 1.0)])
    assert not worker.is_idle()
    may_open.set()
    qtbot.waitUntil(lambda: len(order) == 4)
    holder.stop()
    assert order == [("page", 3), ("page", 4), ("thumbnail", 0), ("thumbnail", 5)]


def test_a_file_the_worker_cannot_open_is_reported(qtbot, tmp_path: Path) -> None:
    missing = tmp_path / "gone.pdf"
    worker = RenderWorker(missing)
    with qtbot.waitSignal(worker.sig_page_failed) as failed:
        worker.start()
    worker.wait()
    assert failed.args[0] == -1
    assert "gone.pdf" in failed.args[1]


def test_pages_show_a_placeholder_until_their_render_arrives(qtbot, make_pdf: Callable) -> None:
    view = PdfView()
    qtbot.addWidget(view)
    view.resize(600, 800)
    view.show()
    qtbot.waitExposed(view)
    assert view.open_pdf(make_pdf(pages=5))
    assert view.page_image(0) is None  # nothing rendered on the GUI thread during open
    assert not view.is_fully_rendered()
    with qtbot.waitSignal(view.sig_page_rendered) as first:
        pass
    assert first.args == [0]  # the page in front is asked for first
    qtbot.waitUntil(view.is_fully_rendered)
    assert view.page_image(0) is not None
    view.close_document()


def test_switching_and_closing_documents_stops_their_workers(qtbot, make_pdf: Callable) -> None:
    view = PdfView()
    qtbot.addWidget(view)
    view.show()
    assert view.open_pdf(make_pdf("first.pdf", pages=4))
    first = view.render_worker
    assert first is not None and first.isRunning()
    assert view.open_pdf(make_pdf("second.pdf", pages=2))
    second = view.render_worker
    assert first.isFinished() and second is not None and second.isRunning()
    qtbot.waitUntil(view.is_fully_rendered)
    with qtbot.waitSignal(view.sig_document_closed):
        view.close_document()
    assert second.isFinished() and view.render_worker is None
    assert view.is_fully_rendered()  # nothing open, nothing missing


def test_a_view_deleted_without_closing_stops_its_worker(qtbot, make_pdf: Callable) -> None:
    view = PdfView()
    view.show()
    assert view.open_pdf(make_pdf(pages=3))
    worker = view.render_worker
    assert worker is not None and worker.isRunning()
    view.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qtbot.waitUntil(worker.isFinished)


def test_a_page_kept_for_display_owns_its_pixels_and_gives_the_pixmap_back(
    make_pdf: Callable,
) -> None:
    returns: list[pymupdf.Pixmap] = []
    with open_pdf(make_pdf(pages=2)) as document:
        image, pixels = render_page(document, 1, 1.25, returns)
    from_worker = RenderedPage(1, 1.25, image, pixels=pixels)
    shown = for_display(from_worker)
    assert shown.pixels is None and shown.image.format() == DISPLAY_FORMAT
    assert (shown.image.width(), shown.image.height()) == (image.width(), image.height())
    same = shown.image.convertToFormat(image.format())
    assert same == image  # the same pixels, converted once
    assert returns == []
    del from_worker, pixels, image, same
    assert len(returns) == 1  # the worker frees it on its own thread and renders into it anew
    assert for_display(shown) is shown  # already display-ready: nothing to do


def test_the_worker_says_when_it_is_idle(qtbot, make_pdf: Callable) -> None:
    holder = started(RenderWorker(make_pdf(pages=4)))
    try:
        worker = holder.worker
        assert worker is not None
        qtbot.waitUntil(worker.is_idle)
        seen: list[tuple[int, bool]] = []
        worker.sig_page_rendered.connect(lambda page: seen.append((page.index, worker.is_idle())))
        worker.request([(0, 1.0), (1, 1.0)])
        qtbot.waitUntil(lambda: len(seen) == 2)
        # whoever receives the last page sees the worker idle: nothing else will tell them
        assert seen[-1] == (1, True)
        assert worker.pending() == []
    finally:
        holder.stop()
