"""Record titles in the real window's records list stay readable at 1366×768 and 1920×1080.

Seen under Xvfb: beside the Date, Score and Level columns the titles wrapped to one or two words
per line, four records filling the whole list. Now one line per record, the title elided with
"…", the whole title (with the date and score the compact list folds away) in its tooltip.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.models import RecordListModel
from tests.day_driver import SCREENS, open_window

pytest_plugins = ("tests.ui_fixtures",)

READABLE_CHARACTERS = 24
"""A title column narrower than this many average characters does not let a title be read."""


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_record_titles_are_one_readable_line_each(
    qtbot, workspace: Workspace, settings: QSettings, screen: str
) -> None:
    window = open_window(qtbot, workspace, settings, SCREENS[screen])
    view = window.records.view
    model = view.model()
    qtbot.waitUntil(lambda: model.rowCount() == 3)
    metrics = view.fontMetrics()
    title_width = view.columnWidth(RecordListModel.TITLE)
    assert title_width >= READABLE_CHARACTERS * metrics.averageCharWidth()
    assert title_width > view.viewport().width() // 2  # the title has the stretch
    for row in range(model.rowCount()):
        index = model.index(row, RecordListModel.TITLE)
        cell = view.visualRect(index)
        assert 0 < cell.height() < 2 * metrics.height(), f"row {row} wraps onto several lines"
        assert view.viewport().rect().contains(cell.topLeft())
        title = index.data()
        tooltip = index.data(Qt.ItemDataRole.ToolTipRole)
        assert title in tooltip  # the whole title, however it is cut on screen
    # all three records are in view at once (wrapped titles took 150 px each)
    last = view.visualRect(model.index(model.rowCount() - 1, RecordListModel.TITLE))
    assert view.viewport().rect().contains(last)


def test_a_narrow_list_folds_date_and_score_into_the_tooltip(
    qtbot, workspace: Workspace, settings: QSettings
) -> None:
    window = open_window(qtbot, workspace, settings, SCREENS["laptop"])
    view = window.records.view
    qtbot.waitUntil(lambda: view.model().rowCount() == 3)
    assert window.records.width() < 480
    assert window.records.is_compact()
    assert view.isColumnHidden(RecordListModel.DATE)
    assert view.isColumnHidden(RecordListModel.SCORE)
    assert not view.isColumnHidden(RecordListModel.LEVEL)
    scored = next(
        view.model().index(row, 0)
        for row in range(3)
        if view.model().index(row, RecordListModel.SCORE).data() != "—"
    )
    tooltip = scored.data(Qt.ItemDataRole.ToolTipRole)
    assert f"score {view.model().index(scored.row(), RecordListModel.SCORE).data()}" in tooltip

    window.main_splitter.setSizes([700, 500, 500])  # the reviewer widens the list
    qtbot.waitUntil(lambda: not window.records.is_compact())
    assert not view.isColumnHidden(RecordListModel.DATE)
    assert not view.isColumnHidden(RecordListModel.SCORE)
