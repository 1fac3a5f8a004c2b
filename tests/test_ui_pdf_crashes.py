"""PDFs that crashed the window (issue 16): a page with a huge MediaBox is shown at a reduced
resolution with a message, a page the page tree cannot reach is named, and neither takes the
window down."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow

from reviewer_app.pdf.document import open_pdf
from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.actions import AppActions
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.pdf_pane import PdfPane
from reviewer_app.ui.pdf_render import (
    MAX_RENDER_PIXELS,
    RenderedPage,
    capped_scale,
    render_limit_note,
    render_page,
)
from reviewer_app.ui.render_worker import RenderWorker, WorkerHolder
from tests.hostile_pdfs import HUGE_SIDE, make_huge_mediabox_pdf, make_page_tree_cycle_pdf

pytest_plugins = ("tests.ui_fixtures",)


@pytest.fixture
def pane(qtbot) -> Iterator[PdfPane]:
    host = QMainWindow()
    qtbot.addWidget(host)
    pane = PdfPane(AppActions(host))
    host.setCentralWidget(pane)
    host.resize(700, 900)
    host.show()
    qtbot.waitExposed(host)
    yield pane
    pane.view.close_document()


def test_capped_scale_keeps_ordinary_pages_and_shrinks_huge_ones() -> None:
    assert capped_scale(612, 792, 2.0) == 2.0
    reduced = capped_scale(HUGE_SIDE, HUGE_SIDE, 1.0)
    assert reduced < 1.0
    assert (HUGE_SIDE * reduced) ** 2 <= MAX_RENDER_PIXELS * 1.0001


def test_a_huge_page_renders_reduced_with_a_note_instead_of_failing(tmp_path: Path) -> None:
    path = make_huge_mediabox_pdf(tmp_path / "huge.pdf")
    with open_pdf(path) as document:
        assert render_limit_note(document, 0, 1.0) is None
        note = render_limit_note(document, 1, 1.0)
        image, _ = render_page(document, 1, 1.0)
    assert note is not None
    assert "huge.pdf, page 2: the page is 200,000 × 200,000 pt" in note
    assert "too large to render at this zoom" in note
    assert 0 < image.width() * image.height() <= MAX_RENDER_PIXELS


def test_the_worker_sends_the_reduced_page_with_its_note(qtbot, tmp_path: Path) -> None:
    path = make_huge_mediabox_pdf(tmp_path / "huge.pdf")
    holder = WorkerHolder()
    holder.start(RenderWorker(path))
    try:
        assert holder.worker is not None
        with qtbot.waitSignal(holder.worker.sig_page_rendered, timeout=20000) as rendered:
            holder.worker.request([(1, 1.0)])
    finally:
        holder.stop()
    page: RenderedPage = rendered.args[0]
    assert page.scale == 1.0  # accepted by the view at the zoom it asked for
    assert page.note is not None and "shown at" in page.note


def test_the_view_announces_a_page_it_shows_at_reduced_resolution(
    qtbot, pane: PdfPane, tmp_path: Path
) -> None:
    path = make_huge_mediabox_pdf(tmp_path / "huge.pdf")
    assert pane.view.open_pdf(path)
    with qtbot.waitSignal(pane.view.sig_page_limited, timeout=20000) as limited:
        pane.view.go_to_page(1)
    index, message = limited.args
    assert index == 1
    assert "too large to render at this zoom" in message
    assert pane.view.page_image(1) is not None


def test_a_page_the_page_tree_cannot_reach_is_named_not_fatal(
    qtbot, pane: PdfPane, tmp_path: Path
) -> None:
    path = make_page_tree_cycle_pdf(tmp_path / "cycle.pdf", first_page_readable=True)
    assert pane.view.open_pdf(path)
    assert pane.view.page_count == 2
    with qtbot.waitSignal(pane.view.sig_document_failed, timeout=20000) as failed:
        pane.view.go_to_page(1)
    assert "page 2: cycle in page tree" in failed.args[0]
    qtbot.waitUntil(lambda: pane.view.page_image(0) is not None)


def test_the_pane_says_why_the_huge_page_looks_coarse_while_it_is_shown(
    qtbot, pane: PdfPane, tmp_path: Path, make_pdf: Callable[..., Path]
) -> None:
    path = make_huge_mediabox_pdf(tmp_path / "huge.pdf")
    assert pane.open_pdf(path)
    assert not pane.render_note.isVisibleTo(pane)
    pane.view.go_to_page(1)
    qtbot.waitUntil(lambda: pane.render_note.isVisibleTo(pane), timeout=20000)
    assert "page 2" in pane.render_note.text()
    assert "too large to render at this zoom" in pane.render_note.text()
    pane.view.set_zoom(pane.view.zoom * 1.25)  # the render at the new zoom says it again
    qtbot.waitUntil(lambda: pane.render_note.isVisibleTo(pane), timeout=20000)
    assert pane.open_pdf(make_pdf(pages=2))
    assert not pane.render_note.isVisibleTo(pane)


def test_the_window_opens_the_huge_pdf_and_shows_the_note(
    qtbot, workspace: Workspace, tmp_path: Path
) -> None:
    settings = QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat)
    window = MainWindow(workspace, settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.open_pdf(make_huge_mediabox_pdf(tmp_path / "huge.pdf"))
    window.pdf_pane.view.go_to_page(1)
    note = window.pdf_pane.render_note
    qtbot.waitUntil(lambda: note.isVisibleTo(window), timeout=20000)
    assert "huge.pdf, page 2" in note.text()
    window.pdf_pane.view.close_document()
