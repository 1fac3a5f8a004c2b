"""A press on a PDF whose text is not loaded yet never builds it on the GUI thread."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, Qt

from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.review.selection import WAITING_FOR_TEXT
from tests.day_driver import open_window

pytest_plugins = ("tests.ui_fixtures",)


def test_a_press_before_the_text_is_loaded_asks_for_it_and_says_so(
    qtbot, workspace: Workspace, make_pdf: Callable[..., Path]
) -> None:
    """Seen under Xvfb: a click into the 2,415-page R manual, opened with ``gui --pdf``, froze
    the window for ten seconds while the text layer was built on its thread."""
    window = open_window(qtbot, workspace, None)
    view = window.pdf_pane.view
    assert window.open_pdf(make_pdf("loose.pdf", pages=3))
    qtbot.waitUntil(view.is_fully_rendered)
    assert view.loaded_text() is None  # a loose PDF: nobody asked for its text yet
    page = view.map_from_page(0, view.page_item(0).boundingRect().center())
    viewport = view.viewport()

    with qtbot.waitSignal(view.text_layers.sig_text_layer_ready, timeout=20_000):
        qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=page)
        assert view.loaded_text() is None  # not built here: read on a pool thread
        assert window.statusBar().currentMessage() == WAITING_FOR_TEXT
        qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=page)
    assert window.review.selection.span is None

    # once it is there, a drag over the first line selects its words
    start = view.map_from_page(0, view.page_item(0).boundingRect().topLeft()) + QPoint(70, 95)
    end = start + QPoint(200, 0)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(viewport, pos=end)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)
    span = window.review.selection.span
    assert span is not None and "page 1" in span.quote
    view.close_document()
