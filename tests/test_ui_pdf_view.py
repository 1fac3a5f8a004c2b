"""The PDF pane: opening, navigating, zooming, caching, drops and unreadable files."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QMainWindow

from reviewer_app.ui.actions import AppActions
from reviewer_app.ui.page_layout import PageLayout
from reviewer_app.ui.pdf_pane import PdfPane
from reviewer_app.ui.pdf_render import DEFAULT_CACHE_PAGES
from reviewer_app.ui.pdf_view import MARGIN_PX, PdfView, ZoomMode

# Shared GUI fixtures (make_pdf, workspace, isolated_qsettings) until conftest.py has them.
pytest_plugins = ("tests.ui_fixtures",)


@pytest.fixture
def pane(qtbot) -> Iterator[PdfPane]:
    host = QMainWindow()  # the actions need a parent that outlives them
    qtbot.addWidget(host)
    pane = PdfPane(AppActions(host))
    host.setCentralWidget(pane)
    host.resize(700, 900)
    host.show()
    qtbot.waitExposed(host)
    yield pane  # (a generator keeps the host window alive until the test ends)
    pane.view.close_document()


def open_and_render(qtbot, view: PdfView, path: Path) -> None:
    assert view.open_pdf(path)
    qtbot.waitUntil(view.is_fully_rendered)


def test_opening_a_pdf_shows_page_one_of_all(qtbot, pane: PdfPane, make_pdf: Callable) -> None:
    path = make_pdf(pages=30)
    with qtbot.waitSignal(pane.view.sig_document_opened) as opened:
        pane.open_pdf(path)
    assert opened.args == [str(path), 30]
    qtbot.waitUntil(pane.view.is_fully_rendered)
    assert pane.view.page_count == 30
    assert pane.page_spin.value() == 1
    assert pane.page_spin.maximum() == 30
    assert pane.page_spin.text() == "1 / 30"
    assert pane.view.page_image(0) is not None


def test_going_to_a_page_moves_the_spin_box_and_back(
    qtbot, pane: PdfPane, make_pdf: Callable
) -> None:
    open_and_render(qtbot, pane.view, make_pdf(pages=30))
    with qtbot.waitSignal(pane.view.sig_current_page_changed) as changed:
        pane.view.go_to_page(19)
    assert changed.args == [19]
    assert pane.page_spin.value() == 20
    assert 19 in pane.view.visible_pages()

    pane.page_spin.setValue(7)
    assert pane.view.current_page == 6
    next_action = pane.actions()[2]
    assert next_action.objectName() == "action_next_page"
    next_action.trigger()
    assert (pane.view.current_page, pane.page_spin.value()) == (7, 8)

    pane.view.last_page()
    assert pane.page_spin.value() == 30
    assert not next_action.isEnabled()


def test_scrolling_updates_the_current_page(qtbot, pane: PdfPane, make_pdf: Callable) -> None:
    open_and_render(qtbot, pane.view, make_pdf(pages=30))
    bar = pane.view.verticalScrollBar()
    with qtbot.waitSignal(pane.view.sig_current_page_changed):
        bar.setValue(bar.maximum() // 2)
    middle = pane.view.current_page
    assert 10 <= middle <= 20
    assert pane.page_spin.value() == middle + 1
    qtbot.waitUntil(lambda: pane.view.page_image(middle) is not None)


def test_zoom_in_renders_larger_pixmaps(qtbot, pane: PdfPane, make_pdf: Callable) -> None:
    view = pane.view
    open_and_render(qtbot, view, make_pdf(pages=3))
    before = view.page_image(0).width()
    with qtbot.waitSignal(view.sig_zoom_changed):
        view.zoom_in()
    qtbot.waitUntil(view.is_fully_rendered)
    assert view.zoom_mode == ZoomMode.CUSTOM
    assert view.page_image(0).width() == pytest.approx(before * 1.25, abs=2)
    view.zoom_out()
    view.zoom_out()
    qtbot.waitUntil(view.is_fully_rendered)
    assert view.page_image(0).width() < before


def test_ctrl_wheel_zooms_and_plain_wheel_does_not(qtbot, pane: PdfPane, make_pdf) -> None:
    view = pane.view
    open_and_render(qtbot, view, make_pdf(pages=3))
    start = view.zoom

    def wheel(modifiers: Qt.KeyboardModifier) -> None:
        centre = QPointF(view.viewport().rect().center())
        event = QWheelEvent(
            centre, view.viewport().mapToGlobal(centre), QPoint(0, 0), QPoint(0, 120),
            Qt.MouseButton.NoButton, modifiers, Qt.ScrollPhase.NoScrollPhase, False,
        )  # fmt: skip
        QApplication.sendEvent(view.viewport(), event)

    wheel(Qt.KeyboardModifier.NoModifier)
    assert view.zoom == start
    wheel(Qt.KeyboardModifier.ControlModifier)
    assert view.zoom == pytest.approx(start * 1.25)


def test_fit_width_fills_the_viewport_width(qtbot, pane: PdfPane, make_pdf: Callable) -> None:
    view = pane.view
    open_and_render(qtbot, view, make_pdf(pages=5))
    view.set_zoom(0.5)
    qtbot.waitUntil(view.is_fully_rendered)
    view.fit_width()
    qtbot.waitUntil(view.is_fully_rendered)
    page_width = view.page_image(0).width() / view.devicePixelRatioF()
    assert page_width == pytest.approx(view.viewport().width() - 2 * MARGIN_PX, abs=2)
    narrow = view.viewport().width()
    pane.window().resize(900, 900)
    qtbot.waitUntil(lambda: view.is_fully_rendered() and view.viewport().width() > narrow + 150)
    page_width = view.page_image(view.current_page).width() / view.devicePixelRatioF()
    assert page_width == pytest.approx(view.viewport().width() - 2 * MARGIN_PX, abs=2)


def test_fit_page_shows_one_whole_page(qtbot, pane: PdfPane, make_pdf: Callable) -> None:
    view = pane.view
    pane.window().resize(1000, 900)  # wide enough that the page height is what limits
    open_and_render(qtbot, view, make_pdf(pages=5))
    view.go_to_page(2)
    view.fit_page()
    qtbot.waitUntil(view.is_fully_rendered)
    assert view.current_page == 2
    page_height = view.page_image(2).height() / view.devicePixelRatioF()
    assert page_height <= view.viewport().height()
    assert page_height >= view.viewport().height() - 2 * MARGIN_PX - 20


def test_only_visible_pages_are_rendered_and_the_cache_stays_bounded(
    qtbot, pane: PdfPane, make_pdf: Callable
) -> None:
    view = pane.view
    open_and_render(qtbot, view, make_pdf(pages=30))
    assert view.render_count == len(view.visible_pages()) < 30
    for index in range(30):
        view.go_to_page(index)
        qtbot.waitUntil(view.is_fully_rendered)
        assert view.cached_page_count <= DEFAULT_CACHE_PAGES
        shown = [i for i in range(30) if view.page_image(i) is not None]
        assert shown == view.visible_pages()
    assert view.render_count >= 30
    assert view.cached_page_count == DEFAULT_CACHE_PAGES


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"%PDF-1.7\n1 0 obj <<", "not a valid PDF"),
        (b"hello, not a pdf", "no %PDF- header"),
        (b"", "empty"),
    ],
)
def test_an_unreadable_pdf_shows_why_instead_of_crashing(
    qtbot, pane: PdfPane, tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(content)
    with qtbot.waitSignal(pane.view.sig_document_failed) as failed:
        assert not pane.open_pdf(path)
    assert "broken.pdf" in failed.args[0]
    assert reason in failed.args[0]
    assert pane.view.error_message == failed.args[0]
    assert pane.view.page_count == 0
    assert not pane.page_spin.isEnabled()


def test_a_password_protected_pdf_is_refused_by_name(
    qtbot, pane: PdfPane, make_pdf: Callable
) -> None:
    path = make_pdf("locked.pdf", pages=2, password="secret")
    with qtbot.waitSignal(pane.view.sig_document_failed) as failed:
        pane.open_pdf(path)
    assert "locked.pdf" in failed.args[0]
    assert "password" in failed.args[0]


def test_a_good_pdf_after_a_broken_one_clears_the_error(
    qtbot, pane: PdfPane, make_pdf: Callable, tmp_path: Path
) -> None:
    (tmp_path / "broken.pdf").write_bytes(b"junk")
    pane.open_pdf(tmp_path / "broken.pdf")
    open_and_render(qtbot, pane.view, make_pdf(pages=4))
    assert pane.view.error_message is None
    assert pane.page_spin.text() == "1 / 4"


def test_dropping_a_pdf_on_the_pane_opens_it(qtbot, pane: PdfPane, make_pdf: Callable) -> None:
    path = make_pdf("dropped.pdf", pages=4)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    viewport = pane.view.viewport()
    point = QPointF(viewport.rect().center())
    enter = QDragEnterEvent(
        point.toPoint(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        point, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    with qtbot.waitSignal(pane.view.sig_document_opened) as opened:
        QApplication.sendEvent(viewport, drop)
    assert opened.args == [str(path), 4]


def test_dragging_a_text_file_over_the_pane_is_not_accepted(qtbot, pane, tmp_path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "notes.txt"))])
    enter = QDragEnterEvent(
        QPoint(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    QApplication.sendEvent(pane.view.viewport(), enter)
    assert not enter.isAccepted()


def test_page_layout_stacks_pages_and_finds_the_ones_in_a_span() -> None:
    layout = PageLayout([(100.0, 200.0), (300.0, 100.0), (100.0, 200.0)], gap=10.0)
    assert [(box.left, box.top) for box in layout.boxes] == [(-50, 10), (-150, 220), (-50, 330)]
    assert (layout.width, layout.height) == (300.0, 540.0)
    assert layout.pages_between(0.0, 5.0) == []
    assert layout.pages_between(150.0, 250.0) == [0, 1]
    assert layout.most_shown(150.0, 250.0) == 0  # 60 points of page 1 against 30 of page 2
    assert layout.pages_between(215.0, 1000.0) == [1, 2]
    assert layout.most_shown(1000.0, 2000.0) is None
