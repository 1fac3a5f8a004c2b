"""The pyqtgraph plots hold the values of the sheets, draw the policy, click and export."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from pytestqt.qtbot import QtBot

from reviewer_app.services.plot_data import PlotDataService
from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.plots.dimension_plot import DimensionPlot
from reviewer_app.ui.plots.export import PlotExportFailed
from reviewer_app.ui.plots.overview_plot import OverviewPlot
from reviewer_app.ui.plots.score_plot import ScorePlot
from tests.test_plot_data import REVIEWED, SHEETS, add_verdicts, submit_all

pytest_plugins = ("tests.ui_fixtures",)
LEVEL_HEIGHT = {"LOW": 1.0, "MEDIUM": 2.0, "HIGH": 3.0}


def test_dimension_bars_are_the_submitted_levels(qtbot: QtBot, demo_workspace: Workspace) -> None:
    submit_all(demo_workspace)
    plot = DimensionPlot()
    qtbot.addWidget(plot)
    data = PlotDataService(demo_workspace).dimensions(REVIEWED, "ann")
    plot.set_data(data)
    assert list(plot.bars) == ["ann", "bob", "cyd", "Consensus"]
    for name, (dimensions, _score) in SHEETS.items():
        heights = plot.bars[name].opts["height"].tolist()
        assert heights == [LEVEL_HEIGHT[dimensions[d]] for d in data.dimensions]


def test_score_bars_and_threshold_lines(qtbot: QtBot, demo_workspace: Workspace) -> None:
    submit_all(demo_workspace)
    plot = ScorePlot()
    qtbot.addWidget(plot)
    plot.set_data(PlotDataService(demo_workspace).scores(REVIEWED, "cyd"))
    assert plot.bars is not None
    assert list(plot.bars.opts["height"]) == [8.0, 6.5, 7.4, 7.4]  # three sheets, consensus
    assert [line.value() for line in plot.threshold_lines] == [7.0]


def test_clicking_an_overview_point_emits_its_record(
    qtbot: QtBot, demo_workspace: Workspace
) -> None:
    submit_all(demo_workspace)
    for name in SHEETS:
        add_verdicts(demo_workspace, REVIEWED, name, {1: "supports", 2: "supports"})
    plot = OverviewPlot()
    qtbot.addWidget(plot)
    plot.resize(600, 400)
    plot.show()
    qtbot.waitExposed(plot)
    plot.set_data(PlotDataService(demo_workspace).overview())
    x, y = plot.scatter.data["x"][0], plot.scatter.data["y"][0]
    assert (x, y) == (7.4, 2.0)
    view = plot.plot_widget
    scene_point = plot.plot_item.vb.mapViewToScene(QPointF(x, y))
    target = view.mapFromScene(scene_point)
    with qtbot.waitSignal(plot.sig_record_clicked, timeout=2000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=target)
    assert blocker.args == [REVIEWED]


def test_overview_regions_follow_the_policy(qtbot: QtBot, demo_workspace: Workspace) -> None:
    submit_all(demo_workspace)
    plot = OverviewPlot()
    qtbot.addWidget(plot)
    plot.set_data(PlotDataService(demo_workspace).overview())
    doi_grade = plot.regions[-1].rect()  # drawn last, on top
    assert (doi_grade.left(), doi_grade.top()) == (7.0, 3.0)
    # The catch-all Watchlist region covers the plane beneath DOI-grade, never above it.
    assert plot.regions[-1].zValue() > plot.regions[0].zValue()
    assert plot.regions[-1].brush().color() != plot.regions[0].brush().color()
    assert np.array_equal(plot.scatter.data["data"], np.array([REVIEWED], dtype=object))


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_overview_exports_to_a_non_empty_file(
    qtbot: QtBot, demo_workspace: Workspace, tmp_path: Path, suffix: str
) -> None:
    # One export per test: pyqtgraph 0.14 painting under PySide6 6.12 over-releases ``True``
    # (see the report), and a process that paints too often aborts at exit.
    submit_all(demo_workspace)
    plot = OverviewPlot()
    qtbot.addWidget(plot)
    plot.set_data(PlotDataService(demo_workspace).overview())
    path = plot.export(tmp_path / f"overview{suffix}")
    content = path.read_bytes()
    assert len(content) > 500
    assert content.startswith(b"\x89PNG" if suffix == ".png" else b"<?xml")
    assert suffix == ".png" or b"<svg" in content
    assert not list(tmp_path.glob(".overview-*"))  # no temp file left behind


def test_export_refuses_unknown_format(qtbot: QtBot, tmp_path: Path) -> None:
    plot = ScorePlot()
    qtbot.addWidget(plot)
    with pytest.raises(PlotExportFailed, match=r"plot\.jpg.*\.png or \.svg"):
        plot.export(tmp_path / "plot.jpg")
