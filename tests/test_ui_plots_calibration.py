"""The reliability diagram holds the record's calibration bins and its Brier score."""

from __future__ import annotations

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from reviewer_app.services.plot_data import PlotDataService
from reviewer_app.services.scoring import ScoringService
from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.scoring.record_plots import BLIND_CAPTION, RecordPlots
from tests.test_plot_data import REVIEWED, SHEETS, add_verdicts, submit_all

pytest_plugins = ("tests.ui_fixtures",)


def test_reliability_diagram_holds_the_bins_and_brier(
    qtbot: QtBot, demo_workspace: Workspace
) -> None:
    submit_all(demo_workspace)
    for name in SHEETS:
        add_verdicts(demo_workspace, REVIEWED, name, {1: "supports", 2: "contradicts"})
    plots = RecordPlots(PlotDataService(demo_workspace))
    qtbot.addWidget(plots)
    plots.show_record(REVIEWED, "ann")
    claims = demo_workspace.get_record(REVIEWED).record.claims
    # Claim 1 true, claim 2 false: computed here from the record's own confidences.
    expected_brier = np.mean([(claims[0].confidence - 1) ** 2, claims[1].confidence ** 2])
    plot = plots.calibration_plot
    assert plot.calibration is not None
    assert plot.calibration.brier_score == pytest.approx(expected_brier)
    assert f"Brier score {expected_brier:.3f}\nover 2 claims" == plot.brier_text.toPlainText()
    x, y = plot.curve.getData()
    filled = [b for b in plot.calibration.bins if b.count]
    assert x.tolist() == [b.mean_confidence for b in filled]
    assert y.tolist() == [b.observed_frequency for b in filled]
    assert sum(b.count for b in filled) == 2
    assert set(y.tolist()) <= {0.0, 0.5, 1.0}


def test_calibration_waits_for_verdicts_and_for_blind_mode(
    qtbot: QtBot, demo_workspace: Workspace
) -> None:
    scoring = ScoringService(demo_workspace.database)
    for name in ("bob", "cyd"):
        dimensions, score = SHEETS[name]
        scoring.sheets.save(REVIEWED, name, dimensions=dimensions, review_score=score, submit=True)
        add_verdicts(demo_workspace, REVIEWED, name, {1: "supports"})
    plots = RecordPlots(PlotDataService(demo_workspace))
    qtbot.addWidget(plots)
    plots.show_record(REVIEWED, "ann")  # ann has not submitted: the consensus is withheld
    assert plots.calibration_plot.calibration is None
    assert plots.calibration_plot.brier_text.toPlainText() == BLIND_CAPTION
    assert plots.calibration_plot.curve.getData()[0] is None or not len(
        plots.calibration_plot.curve.getData()[0]
    )
    plots.show_record(REVIEWED, "bob")
    assert plots.calibration_plot.calibration is not None
    assert plots.calibration_plot.calibration.n_claims == 1


def test_no_consensus_verdict_yet(qtbot: QtBot, demo_workspace: Workspace) -> None:
    submit_all(demo_workspace)
    plots = RecordPlots(PlotDataService(demo_workspace))
    qtbot.addWidget(plots)
    plots.show_record(REVIEWED, "ann")
    assert "no claim has a consensus verdict" in plots.calibration_plot.brier_text.toPlainText()


def test_workspace_overview_pools_calibration_over_records(
    qtbot: QtBot, demo_workspace: Workspace
) -> None:
    from reviewer_app.ui.scoring.overview_window import WorkspaceOverview

    overview = WorkspaceOverview(demo_workspace, viewer_provider=lambda: "ann")
    qtbot.addWidget(overview)
    assert overview.calibration.calibration is None  # no verdicts anywhere yet
    submit_all(demo_workspace)
    for name in SHEETS:
        add_verdicts(demo_workspace, REVIEWED, name, {1: "supports", 2: "contradicts"})
    overview.refresh()
    pooled = overview.calibration.calibration
    assert pooled is not None and pooled.n_claims == 2
    claims = demo_workspace.get_record(REVIEWED).record.claims
    expected = np.mean([(claims[0].confidence - 1) ** 2, claims[1].confidence ** 2])
    assert pooled.brier_score == pytest.approx(expected)
    # A reviewer who has submitted nothing sees no pooled figure in blind mode.
    blind = PlotDataService(demo_workspace).workspace_calibration("newcomer")
    assert blind.n_claims == 0
