"""Reliability diagram of a record: mean claim confidence against how often the reviewers'
consensus found the claim true, per confidence bin, beside the diagonal of perfect calibration."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from reviewer_app.domain.calibration import Calibration
from reviewer_app.ui.plots.export import export_plot
from reviewer_app.ui.plots.style import FOREGROUND, TIER_COLOURS, new_plot_widget
from reviewer_app.wording import counted

POINT_COLOUR = "#1565c0"


class CalibrationPlot(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot_widget = new_plot_widget("Calibration")
        self.plot_item = self.plot_widget.getPlotItem()
        self.plot_item.setLabel("bottom", "claim confidence")
        self.plot_item.setLabel("left", "share true (consensus)")
        self.plot_item.setXRange(0, 1, padding=0.03)
        self.plot_item.setYRange(0, 1, padding=0.03)
        self.plot_item.showGrid(x=True, y=True, alpha=0.2)
        self.diagonal = pg.PlotDataItem(
            [0, 1], [0, 1], pen=pg.mkPen(TIER_COLOURS[0], width=1, style=Qt.PenStyle.DashLine)
        )
        self.curve = pg.PlotDataItem(
            pen=pg.mkPen(POINT_COLOUR, width=2), symbol="o", symbolBrush=POINT_COLOUR
        )
        """Non-empty bins only: x the bin's mean confidence, y its observed frequency."""
        self.plot_item.addItem(self.diagonal)
        self.plot_item.addItem(self.curve)
        self.brier_text = pg.TextItem(color=FOREGROUND, anchor=(0, 0))
        self.brier_text.setPos(0.02, 0.98)
        self.plot_item.addItem(self.brier_text)
        self.calibration: Calibration | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot_widget)

    def set_data(self, calibration: Calibration) -> None:
        self.calibration = calibration
        filled = [b for b in calibration.bins if b.count]
        self.curve.setData(
            np.array([b.mean_confidence for b in filled], dtype=float),
            np.array([b.observed_frequency for b in filled], dtype=float),
        )
        self.brier_text.setText(brier_caption(calibration))

    def clear(self, caption: str) -> None:
        """No points, only ``caption`` (e.g. while blind mode withholds the consensus)."""
        self.calibration = None
        self.curve.setData([], [])
        self.brier_text.setText(caption)

    def export(self, path: Path) -> Path:
        return export_plot(self.plot_item, path)


def brier_caption(calibration: Calibration) -> str:
    if calibration.brier_score is None:
        return "No Brier score yet:\nno claim has a consensus verdict"
    # Two short lines: the plot is often a third of a narrow dock wide.
    claims = counted(calibration.n_claims, "claim")
    return f"Brier score {calibration.brier_score:.3f}\nover {claims}"
