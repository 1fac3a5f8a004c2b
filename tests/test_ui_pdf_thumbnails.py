"""Page thumbnails beside the PDF view: rendered off the GUI thread, clickable, following."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow

from reviewer_app.ui.actions import AppActions
from reviewer_app.ui.pdf_pane import PdfPane
from reviewer_app.ui.render_worker import RenderWorker
from reviewer_app.ui.thumbnails import THUMBNAIL_WIDTH

pytest_plugins = ("tests.ui_fixtures",)


@pytest.fixture
def pane(qtbot) -> Iterator[PdfPane]:
    host = QMainWindow()
    qtbot.addWidget(host)
    pane = PdfPane(AppActions(host))
    host.setCentralWidget(pane)
    host.resize(900, 800)
    host.show()
    qtbot.waitExposed(host)
    yield pane
    pane.view.close_document()


def test_thumbnails_of_the_pages_in_view_are_rendered_small(
    qtbot, pane: PdfPane, make_pdf: Callable
) -> None:
    thumbnails = pane.thumbnails
    with qtbot.waitSignal(thumbnails.sig_thumbnail_rendered):
        pane.open_pdf(make_pdf(pages=40))
    assert thumbnails.count() == 40
    assert [thumbnails.item(i).text() for i in (0, 39)] == ["1", "40"]
    visible = thumbnails.visible_rows()
    qtbot.waitUntil(lambda: set(visible) <= thumbnails.rendered)
    assert 0 < len(thumbnails.rendered) < 40  # the rest wait until they are scrolled to
    image = thumbnails.item(0).icon().pixmap(thumbnails.iconSize()).toImage()
    assert image.width() == THUMBNAIL_WIDTH * image.devicePixelRatio()
    assert image.height() > image.width()  # a portrait A4 page
    assert thumbnails.render_worker is not None
    # the view's worker, in its background queue: one copy of the document in memory, not two
    assert thumbnails.render_worker is pane.view.render_worker


def test_scrolling_the_strip_renders_the_rows_that_come_into_view(
    qtbot, pane: PdfPane, make_pdf: Callable
) -> None:
    thumbnails = pane.thumbnails
    pane.open_pdf(make_pdf(pages=40))
    qtbot.waitUntil(lambda: set(thumbnails.visible_rows()) <= thumbnails.rendered)
    assert 39 not in thumbnails.rendered
    thumbnails.verticalScrollBar().setValue(thumbnails.verticalScrollBar().maximum())
    qtbot.waitUntil(lambda: 39 in thumbnails.rendered)
    assert 39 in thumbnails.visible_rows()


def test_clicking_a_thumbnail_goes_to_its_page(qtbot, pane: PdfPane, make_pdf: Callable) -> None:
    thumbnails = pane.thumbnails
    pane.open_pdf(make_pdf(pages=20))
    item = thumbnails.item(3)
    rect = thumbnails.visualItemRect(item)
    with qtbot.waitSignal(pane.view.sig_current_page_changed) as changed:
        qtbot.mouseClick(thumbnails.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert changed.args == [3]
    assert pane.page_spin.value() == 4
    assert 3 in pane.view.visible_pages()


def test_the_current_page_is_the_highlighted_thumbnail(
    qtbot, pane: PdfPane, make_pdf: Callable
) -> None:
    thumbnails = pane.thumbnails
    pane.open_pdf(make_pdf(pages=30))
    assert thumbnails.currentRow() == 0
    pane.view.go_to_page(24)
    assert thumbnails.currentRow() == 24
    assert [i.text() for i in thumbnails.selectedItems()] == ["25"]
    assert 24 in thumbnails.visible_rows()  # the strip follows the page being read
    assert pane.view.current_page == 24  # and following did not move the view back


def test_closing_the_document_empties_the_strip_and_stops_its_worker(
    qtbot, pane: PdfPane, make_pdf: Callable
) -> None:
    thumbnails = pane.thumbnails
    pane.open_pdf(make_pdf(pages=5))
    worker = thumbnails.render_worker
    assert worker is not None and worker.isRunning()
    pane.view.close_document()
    assert thumbnails.count() == 0
    assert worker.isFinished() and thumbnails.render_worker is None


def test_the_pages_toggle_hides_the_strip(qtbot, pane: PdfPane, make_pdf: Callable) -> None:
    pane.open_pdf(make_pdf(pages=5))
    assert pane.thumbnails.isVisible()
    pane.thumbnails_action.trigger()
    assert not pane.thumbnails.isVisible()
    assert pane.view.isVisible()
    pane.thumbnails_action.trigger()
    assert pane.thumbnails.isVisible()


def open_with_thumbnails_shown(qtbot, pane: PdfPane, pdf: Path) -> RenderWorker:
    """Open ``pdf`` and wait until the rows in view show their pages; the thumbnail worker."""
    pane.open_pdf(pdf)
    qtbot.waitUntil(pane.thumbnails.is_up_to_date)
    worker = pane.thumbnails.render_worker
    assert worker is not None
    return worker


def test_thumbnails_wait_while_the_view_renders_the_page_being_read(
    qtbot, pane: PdfPane, make_pdf: Callable
) -> None:
    thumbnails = pane.thumbnails
    worker = open_with_thumbnails_shown(qtbot, pane, make_pdf(pages=40))
    pane.view.go_to_page(35)  # the strip follows to rows it has not rendered yet
    assert pane.view.is_rendering()
    thumbnails._request_visible()  # what its scroll timer would do now
    assert worker.pending_background() == [] and 35 not in thumbnails.rendered
    with qtbot.waitSignal(pane.view.sig_renders_idle):
        pass  # the view renders page 36 and says it is done
    qtbot.waitUntil(lambda: 35 in thumbnails.rendered)
    assert 35 in pane.view.visible_pages()


def test_thumbnails_not_started_make_way_when_the_view_needs_its_worker(
    qtbot, pane: PdfPane, make_pdf: Callable
) -> None:
    thumbnails = pane.thumbnails
    worker = open_with_thumbnails_shown(qtbot, pane, make_pdf(pages=40))
    worker.request_background([(row, 0.2) for row in range(10, 40)])
    pane.view.sig_renders_busy.emit()
    assert worker.pending_background() == []
    pane.view.go_to_page(30)  # the view renders, goes idle, and thumbnails come back
    qtbot.waitUntil(lambda: 30 in thumbnails.rendered)
    assert not pane.view.is_rendering()


def test_only_the_most_recent_thumbnails_are_kept(qtbot, pane: PdfPane, make_pdf: Callable) -> None:
    thumbnails = pane.thumbnails
    open_with_thumbnails_shown(qtbot, pane, make_pdf(pages=40))
    first_rows = list(thumbnails.visible_rows())
    thumbnails.kept_limit = len(first_rows)
    blank = thumbnails._placeholder.cacheKey()
    assert thumbnails.item(first_rows[0]).icon().cacheKey() != blank

    thumbnails.verticalScrollBar().setValue(thumbnails.verticalScrollBar().maximum())
    qtbot.waitUntil(thumbnails.is_up_to_date)

    assert len(thumbnails.rendered) <= max(thumbnails.kept_limit, len(thumbnails.visible_rows()))
    assert not set(first_rows) & set(thumbnails.rendered)  # out of view and oldest: let go
    assert thumbnails.item(first_rows[0]).icon().cacheKey() == blank
    thumbnails.verticalScrollBar().setValue(0)
    qtbot.waitUntil(lambda: set(first_rows) <= thumbnails.rendered)  # made again on return


def test_visible_rows_are_the_rows_whose_rectangles_meet_the_viewport(
    qtbot, pane: PdfPane, make_pdf: Callable
) -> None:
    thumbnails = pane.thumbnails
    pane.open_pdf(make_pdf(pages=40))
    bar = thumbnails.verticalScrollBar()
    for value in (0, 1, bar.maximum() // 3, bar.maximum() // 2 + 7, bar.maximum()):
        bar.setValue(value)
        area = thumbnails.viewport().rect()
        every = [
            row
            for row in range(thumbnails.count())
            if thumbnails.visualItemRect(thumbnails.item(row)).intersects(area)
        ]
        assert every and thumbnails.visible_rows() == every
