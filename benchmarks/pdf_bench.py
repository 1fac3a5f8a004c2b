"""PDF view timings and memory on a generated 300-page PDF, in an offscreen QApplication.

    .venv/bin/python benchmarks/pdf_bench.py [--pages 300] [--spans 20] [--pdf REAL.pdf]

Prints, each with its target: time to first page shown (``open_pdf`` -> first
``sig_page_rendered`` of page 0), page render time in the app against a raw PyMuPDF
``page.get_pixmap`` of the same page at the same zoom, time from revealing an evidence span
on a far page to it being drawn, and resident memory while scrolling through every page.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # for tests.pdf_factory when run as a script

import pymupdf  # noqa: E402
from PySide6.QtCore import QCoreApplication, QEventLoop, QRectF  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: E402

from reviewer_app.ui.actions import AppActions  # noqa: E402
from reviewer_app.ui.pdf_pane import PdfPane  # noqa: E402
from reviewer_app.ui.pdf_render import RenderedPage  # noqa: E402
from reviewer_app.ui.pdf_view import PdfView  # noqa: E402
from reviewer_app.ui.render_worker import RenderWorker  # noqa: E402
from tests.pdf_factory import make_numbered_pages  # noqa: E402

TIMEOUT_S = 30.0


def wait_until(condition: Callable[[], bool]) -> None:
    """Run the event loop until ``condition`` holds; blocks on events, never sleeps."""
    deadline = time.perf_counter() + TIMEOUT_S
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the PDF view did not finish in time")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)


def rss_mb() -> float:
    """Resident set size now (VmRSS from /proc/self/status), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def report(name: str, value: float, unit: str, target: float | None, lower_is_better=True) -> None:
    if target is None:
        print(f"{name:<52} {value:9.2f} {unit}")
        return
    ok = value <= target if lower_is_better else value >= target
    verdict = "meets" if ok else "MISSES"
    print(f"{name:<52} {value:9.2f} {unit}  target <= {target:g} {unit}: {verdict}")


def first_page_times(pane: PdfPane, path: Path, runs: int) -> list[float]:
    view = pane.view
    times = []
    for _ in range(runs):
        shown: list[float] = []

        def on_rendered(index: int, shown: list[float] = shown) -> None:
            if index == 0 and not shown:
                shown.append(time.perf_counter())

        view.sig_page_rendered.connect(on_rendered)
        started = time.perf_counter()
        assert view.open_pdf(path)
        wait_until(lambda shown=shown: bool(shown))
        times.append(shown[0] - started)
        view.sig_page_rendered.disconnect(on_rendered)
        view.close_document()
    return times


@dataclass(frozen=True)
class RenderTiming:
    seconds: float
    cpu_seconds: float


@dataclass(frozen=True)
class PageTimings:
    app: RenderTiming
    """The app's worker rendering the page (and wrapping it as an image)."""
    raw: RenderTiming
    """A bare ``page.get_pixmap`` of the same page at the same scale, right after."""
    shown_seconds: float
    """From asking the view for the page to it being drawn (incl. the event loop)."""


def render_times(
    view: PdfView, raw_document: pymupdf.Document, pages: list[int], quiet: Callable[[], bool]
) -> list[PageTimings]:
    """Per page: the app's render, then a raw PyMuPDF render of it under the same conditions.

    Alternating the two means a busy machine (another process, CPU frequency) weighs on both
    alike; timing CPU per thread leaves out the time either was merely waiting to run. The raw
    render waits until ``quiet`` says the app's background work (thumbnails) is done.
    """
    timings: list[PageTimings] = []
    worker = view.render_worker
    assert worker is not None
    renders: dict[int, RenderTiming] = {}

    def record(page: RenderedPage) -> None:
        # Keep the figures, not the page: holding pages would stop the app from handing their
        # pixmaps back to the worker, which is what the app really does.
        renders[page.index] = RenderTiming(page.seconds, page.cpu_seconds)

    worker.sig_page_rendered.connect(record)
    for index in pages:
        started = time.perf_counter()
        view.go_to_page(index)
        wait_until(
            lambda index=index: view.page_image(index) is not None and view.is_fully_rendered()
        )
        shown = time.perf_counter() - started
        wait_until(quiet)  # thumbnails are made once the page is shown; let them finish
        rendered = renders.pop(index, None)
        if rendered is None:
            continue  # still cached from an earlier step: nothing was rendered
        scale = view.zoom * view.devicePixelRatioF()
        timings.append(PageTimings(rendered, raw_render(raw_document, index, scale), shown))
    worker.sig_page_rendered.disconnect(record)
    return timings


def raw_render(document: pymupdf.Document, index: int, scale: float) -> RenderTiming:
    started, cpu_started = time.perf_counter(), time.thread_time()
    document.load_page(index).get_pixmap(matrix=pymupdf.Matrix(scale, scale), alpha=False)
    return RenderTiming(time.perf_counter() - started, time.thread_time() - cpu_started)


def raw_loop(path: Path, pages: list[int], scale: float) -> list[RenderTiming]:
    """Raw renders back to back with nothing else running: the best case for PyMuPDF."""
    with pymupdf.open(path) as document:
        return [raw_render(document, index, scale) for index in pages]


def worker_alone(path: Path, pages: list[int], scale: float) -> list[RenderTiming]:
    """The app's render path (worker thread, image wrap, pixmap hand-back) with no window."""
    worker = RenderWorker(path)
    timings: list[RenderTiming] = []

    def record(page: RenderedPage) -> None:
        timings.append(RenderTiming(page.seconds, page.cpu_seconds))  # the page is let go

    worker.sig_page_rendered.connect(record)
    worker.start()
    try:
        for index in pages:
            count = len(timings)
            worker.request([(index, scale)])
            wait_until(lambda count=count: len(timings) > count)
    finally:
        worker.stop()
    return timings


def report_renders(pane: PdfPane, path: Path, pages: list[int]) -> None:
    view = pane.view

    def quiet() -> bool:
        workers = (pane.thumbnails.render_worker, view.render_worker)  # the view: to be sure
        return all(worker is None or worker.is_idle() for worker in workers)

    with pymupdf.open(path) as raw_document:
        timings = render_times(view, raw_document, pages, quiet)
    scale = view.zoom * view.devicePixelRatioF()
    # The first pages land in a page cache still filling up; after that each new page evicts one.
    steady = timings[view.cache_limit :]
    alone = raw_loop(path, pages, scale)
    no_window = worker_alone(path, pages, scale)

    def cpu_ms(group: list[RenderTiming]) -> float:
        return statistics.median(t.cpu_seconds for t in group) * 1000

    print(
        f"page renders at scale {scale:.3f} px/pt, {len(timings)} uncached pages "
        "(CPU time of the rendering thread, medians):"
    )
    report(
        "  raw PyMuPDF get_pixmap, interleaved with the app's",
        cpu_ms([t.raw for t in timings]),
        "ms",
        None,
    )
    report("  app worker in the window, every page", cpu_ms([t.app for t in timings]), "ms", None)
    report(
        "  ratio app / raw interleaved, every page",
        statistics.median(t.app.cpu_seconds / t.raw.cpu_seconds for t in timings),
        "x",
        1.3,
    )
    report(
        "  ratio app / raw interleaved, once the cache is full",
        statistics.median(t.app.cpu_seconds / t.raw.cpu_seconds for t in steady),
        "x",
        1.3,
    )
    report(
        "  ratio app / raw interleaved, wall time",
        statistics.median(t.app.seconds / t.raw.seconds for t in timings),
        "x",
        1.3,
    )
    print("  references:")
    report("    raw PyMuPDF get_pixmap alone, back to back", cpu_ms(alone), "ms", None)
    report("    app's render path alone, no window", cpu_ms(no_window), "ms", None)
    report(
        "    ratio app in the window / raw alone",
        cpu_ms([t.app for t in timings]) / cpu_ms(alone),
        "x",
        None,
    )
    report("    ratio app's path alone / raw alone", cpu_ms(no_window) / cpu_ms(alone), "x", None)
    shown_ms = statistics.median(t.shown_seconds for t in timings) * 1000
    report("  app, request to page drawn (incl. event loop)", shown_ms, "ms", None)


def span_reveal_times(view: PdfView, pages: list[int]) -> list[float]:
    """Reveal a line-sized rect on a far, uncached page and wait until it is drawn there."""
    times = []
    for index in pages:
        started = time.perf_counter()
        view.reveal(index, QRectF(72, 300, 400, 12))  # what ReviewController.show_span does
        wait_until(lambda index=index: index in view.visible_pages() and view.is_fully_rendered())
        times.append(time.perf_counter() - started)
    return times


def scroll_memory(view: PdfView) -> tuple[list[float], int, list[float]]:
    """Go through every page in order: RSS after each step, the most pages cached, and the
    seconds from each step to its page being drawn."""
    samples, steps = [], []
    biggest_cache = 0
    for index in range(view.page_count):
        started = time.perf_counter()
        view.go_to_page(index)
        wait_until(view.is_fully_rendered)
        steps.append(time.perf_counter() - started)
        samples.append(rss_mb())
        biggest_cache = max(biggest_cache, view.cached_page_count)
    return samples, biggest_cache, steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--spans", type=int, default=20)
    parser.add_argument(
        "--pdf", type=Path, help="a real PDF instead of the generated one (e.g. an R manual "
        "from scripts/fetch-test-pdfs)",
    )  # fmt: skip
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    host = QMainWindow()
    pane = PdfPane(AppActions(host))
    host.setCentralWidget(pane)
    host.resize(1000, 1000)
    host.show()
    view = pane.view
    rng = random.Random(4)
    with tempfile.TemporaryDirectory() as folder:
        if args.pdf:
            path = args.pdf
            with pymupdf.open(path) as document:
                args.pages = document.page_count
        else:
            path = make_numbered_pages(Path(folder) / "bench.pdf", args.pages)
        print(
            f"{args.pages}-page PDF, {path.stat().st_size / 1e6:.1f} MB; viewport "
            f"{view.viewport().width()}x{view.viewport().height()} px, "
            f"dpr {view.devicePixelRatioF()}"
        )
        firsts = first_page_times(pane, path, runs=5)
        report("time to first page shown (first run)", firsts[0] * 1000, "ms", None)
        report(
            "time to first page shown (median of 5)", statistics.median(firsts) * 1000, "ms", None
        )

        assert view.open_pdf(path)
        wait_until(view.is_fully_rendered)
        pages = rng.sample(range(20, args.pages), 60)
        report_renders(pane, path, pages)

        far = rng.sample(range(args.pages), args.spans)
        reveal_s = [t * 1000 for t in span_reveal_times(view, far)]
        report("evidence span to on screen, median", statistics.median(reveal_s), "ms", 100)
        report("evidence span to on screen, worst", max(reveal_s), "ms", 100)

        view.go_to_page(0)
        wait_until(view.is_fully_rendered)
        before = rss_mb()
        samples, biggest_cache, steps = scroll_memory(view)
        quarter = len(samples) // 4
        early, late = max(samples[:quarter]), max(samples[quarter:])
        print(f"memory while scrolling all {args.pages} pages (VmRSS):")
        report("  before scrolling", before, "MB", None)
        report("  peak in the first quarter of the pages", early, "MB", None)
        report("  peak in the other three quarters", late, "MB", None)
        report("  growth after the first quarter", late - early, "MB", 0.1 * early)
        report("  most pages in the render cache", biggest_cache, "pages", view.cache_limit)
        step_ms = sorted(t * 1000 for t in steps)
        report("  page by page, step to page drawn, median", statistics.median(step_ms), "ms", None)
        report(
            "  page by page, step to page drawn, 90th pct",
            step_ms[len(step_ms) * 9 // 10],
            "ms",
            None,
        )
        report(
            "  thumbnails kept (small, one per page seen)", len(pane.thumbnails.rendered), "", None
        )
        view.close_document()
    host.close()
    del app


if __name__ == "__main__":
    main()
