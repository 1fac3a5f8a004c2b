"""J / K step over the claims the suggestions filter hides (issue 12, item 2)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.models import Roles
from tests.day_driver import open_window, press
from tests.pdf_factory import make_lines_pdf
from tests.review_window_fixtures import REVIEWER
from tests.review_window_fixtures import attach_and_show as show_report_with_source
from tests.test_ui_suggestions import LINES

pytest_plugins = ("tests.ui_fixtures",)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


def _shown_rows(window: MainWindow) -> list[int]:
    table = window.claims.table
    return [row for row in range(window.claims.proxy.rowCount()) if not table.isRowHidden(row)]


def _current_row(window: MainWindow) -> int:
    return window.claims.table.currentIndex().row()


@pytest.mark.parametrize("choice", [1, 2], ids=["strong-only", "none-only"])
def test_j_and_k_visit_only_the_claims_the_filter_shows(
    qtbot, workspace: Workspace, settings: QSettings, tmp_path: Path, monkeypatch, choice: int
) -> None:
    monkeypatch.setenv("REVIEWER_APP_REVIEWER", REVIEWER)
    window = open_window(qtbot, workspace, settings)
    # claim 1 ("Sparse experts improve VQA accuracy by 2 points.") has a strong match here
    show_report_with_source(qtbot, window, workspace, make_lines_pdf(tmp_path / "s.pdf", [LINES]))
    rows = window.claims.proxy.rowCount()
    assert rows >= 3
    window.suggestions.panel.claim_filter.setCurrentIndex(choice)
    qtbot.waitUntil(lambda: 0 < len(_shown_rows(window)) < rows, timeout=120_000)
    shown = _shown_rows(window)
    hidden = sorted(set(range(rows)) - set(shown))
    assert (0 in shown) == (choice == 1)  # claim 1 is the strong one

    # from the last claim shown, K walks up to the first, then J walks back down
    last = window.claims.proxy.index(shown[-1], 0).data(Roles.OBJECT)
    assert window.claims.select_position(last.position)
    visited = [_current_row(window)]
    for _ in range(rows):
        window.claims.table.setFocus()
        press(qtbot, window, "K")
        if _current_row(window) != visited[-1]:
            visited.append(_current_row(window))
    assert visited == shown[::-1]
    walked = [_current_row(window)]
    for _ in range(rows):
        window.claims.table.setFocus()
        press(qtbot, window, "J")
        if _current_row(window) != walked[-1]:
            walked.append(_current_row(window))
    assert walked == shown
    assert not set(visited) & set(hidden)
    assert window.errors == []  # type: ignore[attr-defined]
