"""Attaching a cut-off PDF in the window (issue 16): it is attached, and the reviewer is told."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.main_window import MainWindow
from tests.hostile_pdfs import make_cut_off_pdf, make_page_tree_cycle_pdf
from tests.pdf_factory import make_lines_pdf

pytest_plugins = ("tests.ui_fixtures",)

LINES = [f"Line {n} of a source paper about sparse experts and routing." for n in range(40)]


@pytest.fixture
def window(qtbot, workspace: Workspace, tmp_path: Path):  # type: ignore[no-untyped-def]
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(workspace, settings=settings)
    qtbot.addWidget(window)
    window.shown = []  # type: ignore[attr-defined]
    window.show_error = lambda title, text: window.shown.append(("error", title, text))
    window.show_info = lambda title, text: window.shown.append(("info", title, text))
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.pdf_pane.view.close_document()


def _select_a_report(window: MainWindow, workspace: Workspace) -> None:
    window.records.select(next(s.local_id for s in workspace.list_records() if s.claims_extracted))


def test_a_cut_off_pdf_is_attached_shown_and_the_warning_stays_in_view(
    qtbot, window: MainWindow, workspace: Workspace, tmp_path: Path
) -> None:
    whole = make_lines_pdf(tmp_path / "whole.pdf", [LINES, LINES])
    cut = make_cut_off_pdf(tmp_path / "download.pdf", whole, 0.95)
    _select_a_report(window, workspace)
    window.ask_pdf_path = lambda: cut
    with qtbot.waitSignal(window.pdf_pane.view.sig_document_opened):
        window.app_actions["attach_pdf"].trigger()
    assert window.review.sources.current_sha256 is not None
    assert [kind for kind, *_ in window.shown] == ["info"]
    _, title, text = window.shown[0]
    assert title == "PDF attached with a warning"
    assert "download.pdf: the PDF is cut off" in text
    # the opened PDF's own message did not wipe out what the attach said
    assert "with a warning" in window.statusBar().currentMessage()


def test_a_pdf_with_a_broken_page_tree_is_refused_with_its_reason(
    qtbot, window: MainWindow, workspace: Workspace, tmp_path: Path
) -> None:
    cycle = make_page_tree_cycle_pdf(tmp_path / "cycle.pdf")
    _select_a_report(window, workspace)
    window.ask_pdf_path = lambda: cycle
    window.app_actions["attach_pdf"].trigger()
    assert window.review.sources.current_sha256 is None
    assert window.shown and window.shown[0][:2] == ("error", "PDF not attached")
    assert "cycle in page tree" in window.shown[0][2]
