"""Fixtures and helpers of the tests that drive the review window (``test_ui_review_window``,
``test_ui_day_defects``, ``test_ui_suggestions``), loaded by each with ``pytest_plugins``.

One reviewer (``reviewer_env``; each of those modules asks for it in its ``pytestmark``), window
settings in ``tmp_path``, a two-page source PDF whose first page carries ``LINES``, and a shown
main window. None of them is autouse: a plugin's fixtures are seen by every test of the session,
and the reviewer must not be set for the tests of the other modules.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.main_window import MainWindow
from tests.day_driver import open_window, report_id
from tests.pdf_factory import make_lines_pdf

REVIEWER = "Ada Reviewer"
LINES = [
    "Sparse experts improve accuracy on visual question answering.",
    "The gain is two points on average across benchmarks.",
    "Routing collapse appears when fewer than eight experts are used.",
]


@pytest.fixture
def reviewer_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVIEWER_APP_REVIEWER", REVIEWER)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def source_pdf(tmp_path: Path) -> Path:
    return make_lines_pdf(tmp_path / "source-paper.pdf", [LINES, ["Second page text here."]])


@pytest.fixture
def window(qtbot, workspace: Workspace, settings: QSettings) -> Iterator[MainWindow]:
    opened = open_window(qtbot, workspace, settings)
    yield opened
    opened.pdf_pane.view.close_document()


def attach_and_show(qtbot, window: MainWindow, workspace: Workspace, pdf: Path) -> None:
    """Select the sample report and attach ``pdf`` to it through the attach action (the file
    dialog answered in code), then wait until every page is drawn."""
    window.records.select(report_id(workspace))
    window.ask_pdf_path = lambda: pdf
    with qtbot.waitSignal(window.pdf_pane.view.sig_document_opened):
        window.app_actions["attach_pdf"].trigger()
    qtbot.waitUntil(window.pdf_pane.view.is_fully_rendered)
