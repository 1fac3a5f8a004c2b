"""What a record switch does not do on a large workspace: the hidden scoring dock is not built,
and the workspace overview not computed; the overview catches up when its tab is shown."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

from sqlalchemy import event

from reviewer_app.services.scoring import ScoringService
from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.main_window import MainWindow

pytest_plugins = ("tests.ui_fixtures",)


def test_record_clicks_leave_the_hidden_overview_alone(qtbot, tmp_path: Path, samples: Path):
    with Workspace.open(tmp_path / "w.sqlite3") as workspace:
        for path in sorted(samples.glob("*.txt")):
            workspace.import_file(path)
        ids = [s.local_id for s in workspace.list_records()]
        ScoringService(workspace.database).sheets.save(ids[0], "ana", review_score=7.0, submit=True)
        window = MainWindow(workspace)
        qtbot.addWidget(window)
        window.reviewer_combo.set_reviewer("ana")
        window.show()
        statements: list[str] = []
        event.listen(workspace.database.engine, "before_cursor_execute",
                     lambda _c, _cur, sql, *_a: statements.append(sql))  # fmt: skip
        for local_id in ids * 2:
            with qtbot.waitSignal(window.sig_record_shown):
                window.records.select(local_id)
        dock = window.scoring_dock
        assert dock.isHidden()
        assert not dock.is_built  # nothing of the panel is built before it is shown
        assert dock.overview.caption.text() == ""  # built now, but not computed
        # no statement read the sheets of the whole workspace (the overview's query)
        assert not [s for s in statements if "score_sheet" in s and "WHERE" not in s]
        with qtbot.waitSignal(dock.overview.sig_refreshed, timeout=10_000):
            window.app_actions["scoring_panel"].trigger()
            dock.tabs.setCurrentWidget(dock.overview)
        assert dock.overview.caption.text().startswith("1 record")
        window.close()
