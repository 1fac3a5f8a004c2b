"""The records list sorted and filtered by computed grounding level in the real window, over
every record, not only the rows loaded (issue 13, item 5): the over-stating records are dated
oldest, so the first window of rows (newest first) does not hold them."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtTest import QTest

from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.grounding_badge import NOT_KNOWN
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.models import RecordListModel, Roles
from reviewer_app.ui.record_list_model import WINDOW_ROWS
from tests.level_support import fill

LEVEL = RecordListModel.LEVEL


def _shown(window: MainWindow) -> list[tuple[str, str]]:
    model = window.records.model
    return [
        (model.index(row, 0).data(Roles.ID), model.index(row, LEVEL).data())
        for row in range(model.rowCount())
    ]


def _click_level_header(qtbot, window: MainWindow) -> None:
    header = window.records.view.header()
    x = header.sectionViewportPosition(LEVEL) + header.sectionSize(LEVEL) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def test_sorting_by_level_and_the_over_states_filter_cover_every_record(
    qtbot, tmp_path: Path, qtmodeltester
) -> None:
    with Workspace.open(tmp_path / "workspace.sqlite3") as workspace:
        over_stating = fill(workspace, reports=5 * WINDOW_ROWS, record_pages=3)
        settings = QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat)
        window = MainWindow(workspace, settings=settings, report_message=lambda *_: None)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        model = window.records.model
        # the rows loaded (newest first) hold none of the three
        assert model.rowCount() < 5 * WINDOW_ROWS
        assert not set(over_stating) & {rid for rid, _level in _shown(window)}

        # sorted by Level (descending: over-stating first), once every level is stored
        _click_level_header(qtbot, window)
        header = window.records.view.header()
        if header.sortIndicatorOrder() != Qt.SortOrder.DescendingOrder:
            _click_level_header(qtbot, window)
        assert header.sortIndicatorSection() == LEVEL
        # the pass over every record starts once the window is shown, then the list re-reads
        qtbot.waitUntil(
            lambda: [level for _rid, level in _shown(window)[:4]] == ["L1 ≠ L2"] * 3 + ["L1"],
            timeout=30_000,
        )
        assert {rid for rid, _level in _shown(window)[:3]} == set(over_stating)
        assert NOT_KNOWN not in {level for _rid, level in _shown(window)}
        qtmodeltester.check(model)

        # the filter keeps exactly the records that over-state their grounding
        box = window.records.over_states_box
        QTest.mouseClick(box, Qt.MouseButton.LeftButton, pos=box.rect().center())
        assert box.isChecked()
        assert sorted(rid for rid, _level in _shown(window)) == sorted(over_stating)
        window.records.filter_edit.setText("no. 2")
        assert [rid for rid, _level in _shown(window)] == [over_stating[2]]
        window.records.filter_edit.clear()
        QTest.mouseClick(box, Qt.MouseButton.LeftButton, pos=box.rect().center())
        assert model.matching_count() == 5 * WINDOW_ROWS + 3
