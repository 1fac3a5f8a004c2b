"""Find in the window reads the text layer stored with the passage index (issue 12, item 1),
on a pool thread, and highlights the same hits as the layer read from the PDF."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from reviewer_app.pdf import find_all, open_pdf
from reviewer_app.pdf.packed_layer import PackedDocumentText
from reviewer_app.services.passage_index import build_lexical_index
from reviewer_app.services.review import ReviewService
from reviewer_app.services.workspace import Workspace
from tests.day_driver import open_window, press, report_id
from tests.pdf_factory import make_lines_pdf
from tests.review_window_fixtures import REVIEWER
from tests.review_window_fixtures import attach_and_show as show_report_with_source

pytest_plugins = ("tests.ui_fixtures",)

PAGES = [
    [
        "Sparse experts raise VQA accuracy by about two points on average.",
        "The e\ufb00ect of more experts is statis-",
        "tically signi\ufb01cant across tasks.",
    ],
    ["Routing collapse appears when fewer than eight experts are used."],
]


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


def test_find_uses_the_stored_layer_and_gives_the_same_hits(
    qtbot, workspace: Workspace, settings: QSettings, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("REVIEWER_APP_REVIEWER", REVIEWER)
    source = make_lines_pdf(tmp_path / "source-paper.pdf", PAGES)
    service = ReviewService.for_workspace(workspace)
    record = report_id(workspace)
    sha256 = service.attach_pdf(record, source, reviewer=REVIEWER).source.sha256
    build_lexical_index(workspace.database, service.pdf_store, sha256)

    window = open_window(qtbot, workspace, settings)
    window.records.select(record)
    view = window.pdf_pane.view
    qtbot.waitUntil(lambda: view.path is not None)
    qtbot.waitUntil(lambda: isinstance(view.loaded_text(), PackedDocumentText), timeout=20_000)

    press(qtbot, window, "Ctrl+F")
    qtbot.keyClicks(window.find_bar.field, "experts")
    qtbot.waitUntil(lambda: window.find_bar.count_label.text() == "1 of 3")
    with open_pdf(source) as document:
        from_pdf = document.text_layer()
    assert window.find_bar.hits == find_all(from_pdf, "experts")
    assert {hit.pages[0] for hit in window.find_bar.hits} == {0, 1}

    window.find_bar.field.clear()
    qtbot.keyClicks(window.find_bar.field, "statistically significant")
    qtbot.waitUntil(lambda: window.find_bar.count_label.text() == "1 of 1")
    (hit,) = window.find_bar.hits
    assert [hit] == find_all(from_pdf, "statistically significant")
    assert len(hit.page_quads[0].quads) == 2  # over the hyphenated line end
    assert window.errors == []  # type: ignore[attr-defined]


def test_typing_a_word_does_not_queue_a_search_per_letter(
    qtbot, workspace: Workspace, settings: QSettings, tmp_path: Path, monkeypatch
) -> None:
    """Seen under Xvfb on the 2,415-page manual: the hits of "x-axis" came seconds late,
    after a search for every letter typed, each run to its end."""
    import threading

    from reviewer_app.ui.review import find_bar

    monkeypatch.setenv("REVIEWER_APP_REVIEWER", REVIEWER)
    window = open_window(qtbot, workspace, settings)
    show_report_with_source(qtbot, window, workspace, make_lines_pdf(tmp_path / "s.pdf", PAGES))
    qtbot.waitUntil(lambda: window.pdf_pane.view.loaded_text() is not None, timeout=20_000)
    searched: list[str] = []
    first_may_end = threading.Event()
    real_find_all = find_bar.find_all

    def find_all_held(doc_text, term):  # the first search is slow, like one in a manual
        searched.append(term)
        if len(searched) == 1:
            first_may_end.wait(10)
        return real_find_all(doc_text, term)

    monkeypatch.setattr(find_bar, "find_all", find_all_held)
    press(qtbot, window, "Ctrl+F")
    qtbot.keyClick(window.find_bar.field, "e")
    qtbot.waitUntil(lambda: searched == ["e"])
    qtbot.keyClicks(window.find_bar.field, "xperts")
    first_may_end.set()
    qtbot.waitUntil(lambda: window.find_bar.count_label.text() == "1 of 3")
    assert searched == ["e", "experts"]  # the letters typed meanwhile were never searched
