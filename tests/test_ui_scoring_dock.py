"""The scoring dock redraws live after a save and forwards overview clicks."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from pytestqt.qtbot import QtBot

from reviewer_app.services.scoring import ScoringService
from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.scoring.dock import ScoringDock
from tests.test_plot_data import REVIEWED, SHEETS

pytest_plugins = ("tests.ui_fixtures",)


def open_dock(qtbot: QtBot, workspace: Workspace, reviewer: str) -> ScoringDock:
    dock = ScoringDock(workspace, reviewer_provider=lambda: reviewer)
    qtbot.addWidget(dock)
    dock.resize(700, 600)
    dock.show()  # a hidden dock draws nothing
    return dock


def overview_scores(qtbot: QtBot, dock: ScoringDock) -> list[float]:
    """The overview's points once it has caught up (it recomputes off the GUI thread when its
    tab is shown after a change), then back to the tab that was current."""
    before = dock.tabs.currentWidget()
    if before is not dock.overview:
        with qtbot.waitSignal(dock.overview.sig_refreshed, timeout=10_000):
            dock.tabs.setCurrentWidget(dock.overview)
    dock.tabs.setCurrentWidget(before)
    return list(dock.overview.plot.scatter.data["x"])


def test_saving_a_sheet_redraws_the_plots(qtbot: QtBot, demo_workspace: Workspace) -> None:
    scoring = ScoringService(demo_workspace.database)
    for name in ("bob", "cyd"):
        dimensions, score = SHEETS[name]
        scoring.sheets.save(REVIEWED, name, dimensions=dimensions, review_score=score, submit=True)
    dock = open_dock(qtbot, demo_workspace, "ann")
    dock.show_record(REVIEWED)
    score_plot = dock.plots.score_plot
    assert score_plot.bars is not None
    assert list(score_plot.bars.opts["height"]) == []  # blind: ann has no sheet yet
    # Blind mode: the overview keeps the record's consensus from ann until she submits.
    assert overview_scores(qtbot, dock) == []
    assert "1 more hidden until you submit" in dock.overview.caption.text()

    editor = dock.sheet_editor
    for name, level in SHEETS["ann"][0].items():
        editor.dimension_boxes[name].setCurrentText(level)
    editor.score_box.setValue(9.1)
    qtbot.mouseClick(editor.submit_button, Qt.MouseButton.LeftButton)

    # Both plots draw the visible sheets in one order, then the consensus.
    names = list(dock.plots.dimension_plot.bars)
    assert sorted(names[:-1]) == ["ann", "bob", "cyd"] and names[-1] == "Consensus"
    heights = dict(zip(names, score_plot.bars.opts["height"], strict=True))
    assert heights == {"bob": 6.5, "cyd": 7.4, "ann": 9.1, "Consensus": 7.4}  # median
    columns = [dock.comparison.model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)]
    assert sorted(columns) == ["ann", "bob", "cyd"]
    assert overview_scores(qtbot, dock) == [7.4]
    assert dock.tier_panel.report is not None and dock.tier_panel.report.tier == "Watchlist"

    editor.score_box.setValue(3.0)  # a revision moves the consensus to the new median
    editor.save(submit=False)
    heights = dict(zip(names, score_plot.bars.opts["height"], strict=True))
    assert heights == {"bob": 6.5, "cyd": 7.4, "ann": 3.0, "Consensus": 6.5}
    assert overview_scores(qtbot, dock) == [6.5]


def test_adjudication_in_the_dock_redraws_the_consensus(
    qtbot: QtBot, demo_workspace: Workspace
) -> None:
    scoring = ScoringService(demo_workspace.database)
    for name, (dimensions, score) in SHEETS.items():
        scoring.sheets.save(REVIEWED, name, dimensions=dimensions, review_score=score, submit=True)
    viewer = ["ann"]
    dock = ScoringDock(demo_workspace, reviewer_provider=lambda: viewer[0])
    qtbot.addWidget(dock)
    dock.resize(700, 600)
    dock.show()  # a hidden dock draws nothing
    dock.show_record(REVIEWED)
    viewer[0] = "adj"  # a party to the conflicts may not settle them: another reviewer does
    conflicts = dock.conflicts
    conflicts.select([c.field for c in conflicts.conflicts()].index("review_score"))
    assert conflicts.adjudicate("5.5", "Scores re-derived from the rubric.")
    viewer[0] = "ann"
    dock.refresh()
    assert list(dock.plots.score_plot.bars.opts["height"])[-1] == 5.5
    assert overview_scores(qtbot, dock) == [5.5]


def test_clicking_an_overview_point_requests_its_record(
    qtbot: QtBot, demo_workspace: Workspace
) -> None:
    scoring = ScoringService(demo_workspace.database)
    scoring.sheets.save("SRCH:8F12A054", "ann", review_score=8.0, submit=True)
    scoring.sheets.save(REVIEWED, "ann", review_score=3.0, submit=True)
    dock = open_dock(qtbot, demo_workspace, "ann")
    with qtbot.waitSignal(dock.overview.sig_refreshed, timeout=10_000):
        dock.tabs.setCurrentWidget(dock.overview)
    qtbot.waitExposed(dock)
    plot = dock.overview.plot
    ids = list(plot.scatter.data["data"])
    assert sorted(ids) == sorted([REVIEWED, "SRCH:8F12A054"])
    index = ids.index("SRCH:8F12A054")
    x, y = plot.scatter.data["x"][index], plot.scatter.data["y"][index]
    target = plot.plot_widget.mapFromScene(plot.plot_item.vb.mapViewToScene(QPointF(x, y)))
    with qtbot.waitSignal(dock.sig_record_requested, timeout=2000) as requested:
        qtbot.mouseClick(plot.plot_widget.viewport(), Qt.MouseButton.LeftButton, pos=target)
    assert requested.args == ["SRCH:8F12A054"]
    dock.teardown()
    with qtbot.assertNotEmitted(dock.sig_record_requested):
        qtbot.mouseClick(plot.plot_widget.viewport(), Qt.MouseButton.LeftButton, pos=target)


def test_scoring_panel_action_follows_the_dock(qtbot, tmp_path) -> None:
    from reviewer_app.services.workspace import Workspace
    from reviewer_app.ui.main_window import MainWindow

    with Workspace.open(tmp_path / "w.sqlite3") as ws:
        window = MainWindow(ws)
        qtbot.addWidget(window)
        window.show()
        action = window.app_actions["scoring_panel"]
        assert not action.isChecked() and window.scoring_dock.isHidden()
        action.trigger()
        qtbot.waitUntil(window.scoring_dock.isVisible)
        assert action.isChecked()
        window.scoring_dock.close()  # the dock's own close button
        qtbot.waitUntil(window.scoring_dock.isHidden)
        assert not action.isChecked()
        window.close()
