"""The Conflicts tab of the real window lists a disagreement on the recommendation (issue 10;
the domain and CLI side is in ``test_recommendation_conflicts.py``)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from reviewer_app.services.scoring import ScoringService
from reviewer_app.services.workspace import Workspace
from tests.day_driver import SCREENS, click_record, open_scoring_tab, open_window, report_id

pytest_plugins = ("tests.ui_fixtures",)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


def test_the_conflicts_tab_of_the_real_window_lists_the_recommendation(
    qtbot, workspace: Workspace, settings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVIEWER_APP_REVIEWER", "Eve Adjudicator")
    record = report_id(workspace)
    scoring = ScoringService(workspace.database)
    scoring.sheets.save(record, "ann", review_score=7.0, recommendation="accept", submit=True)
    scoring.sheets.save(record, "bob", review_score=7.2, recommendation="reject", submit=True)
    window = open_window(qtbot, workspace, settings, SCREENS["laptop"])
    click_record(qtbot, window, record)
    open_scoring_tab(qtbot, window, "Conflicts")
    panel = window.scoring_dock.conflicts
    qtbot.waitUntil(lambda: panel.isVisible() and panel.list.count() > 0)
    shown = [panel.list.item(row).text() for row in range(panel.list.count())]
    assert shown == ["recommendations differ (accept, reject)"]
    item = panel.list.item(0)
    rect = panel.list.visualItemRect(item)
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    values = [panel.value_box.itemText(i) for i in range(panel.value_box.count())]
    assert values == ["accept", "reject"]
    assert panel.adjudicate_button.isEnabled()  # Eve has no sheet: she may settle it
