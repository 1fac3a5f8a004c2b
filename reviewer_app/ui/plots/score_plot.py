"""Review scores per reviewer (and consensus) against the policy's tier threshold lines."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from reviewer_app.services.plot_data import CONSENSUS, CONSENSUS_COLOUR, SCORE_RANGE, ScoreSeries
from reviewer_app.ui.plots.export import export_plot
from reviewer_app.ui.plots.style import new_plot_widget, tier_colour


class ScorePlot(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot_widget = new_plot_widget("Review scores")
        self.plot_item = self.plot_widget.getPlotItem()
        self.plot_item.setYRange(*SCORE_RANGE, padding=0.02)
        self.bars: pg.BarGraphItem | None = None
        """One bar per reviewer, then the consensus when the viewer may see it."""
        self.threshold_lines: list[pg.InfiniteLine] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot_widget)

    def set_data(self, data: ScoreSeries) -> None:
        self.plot_item.clear()
        names = list(data.reviewers)
        heights = list(np.nan_to_num(data.scores, nan=0.0))
        brushes = list(data.colours)
        if data.consensus is not None:
            names.append(CONSENSUS)
            heights.append(data.consensus)
            brushes.append(CONSENSUS_COLOUR)
        self.bars = pg.BarGraphItem(
            x=np.arange(len(names)), height=heights, width=0.6, brushes=brushes, pen=None
        )
        self.plot_item.addItem(self.bars)
        self.plot_item.getAxis("bottom").setTicks([list(enumerate(names))])
        self.threshold_lines = []
        count = len(data.thresholds) + 1
        for index, threshold in enumerate(data.thresholds):
            colour = tier_colour(index, count)
            line = pg.InfiniteLine(
                pos=threshold.value,
                angle=0,
                pen=pg.mkPen(colour, width=2, style=Qt.PenStyle.DashLine),
                label=f"{threshold.tier} ≥ {threshold.value:g}",
                # Left end, text above the line and inside the view (centred, it was clipped).
                labelOpts={
                    "position": 0.02,
                    "anchors": [(0, 1), (0, 1)],
                    "color": colour,
                    "fill": (255, 255, 255, 200),
                },
            )
            self.plot_item.addItem(line)
            self.threshold_lines.append(line)
        self.plot_item.setXRange(-0.6, max(len(names), 1) - 0.4, padding=0)
        self.plot_item.setYRange(*SCORE_RANGE, padding=0.02)

    def export(self, path: Path) -> Path:
        return export_plot(self.plot_item, path)
