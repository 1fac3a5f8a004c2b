"""Workspace overview: every record as a point (consensus score vs verified claims) over
shaded tier regions; clicking a point emits its record id."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QPen
from PySide6.QtWidgets import QGraphicsRectItem, QVBoxLayout, QWidget

from reviewer_app.services.plot_data import SCORE_RANGE, OverviewPoints
from reviewer_app.ui.plots.export import export_plot
from reviewer_app.ui.plots.style import add_legend, new_plot_widget, tier_colour, tint

MIN_CLAIMS_AXIS = 5.0
REGION_TINT = 0.18


class OverviewPlot(QWidget):
    sig_record_clicked = Signal(str)
    """A point was clicked; the argument is its record id."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot_widget = new_plot_widget("Workspace overview")
        self.plot_item = self.plot_widget.getPlotItem()
        self.plot_item.setLabel("bottom", "consensus review score")
        self.plot_item.setLabel("left", "verified claims")
        self.legend = add_legend(self.plot_item, offset=(10, 10))
        self.scatter = pg.ScatterPlotItem(
            size=9, pen=pg.mkPen("#222222", width=0.8), hoverable=True, tip=_point_tip
        )
        """The records; each spot's ``data()`` is its record id."""
        self.scatter.setZValue(10)
        self.scatter.sigClicked.connect(self._on_scatter_clicked)
        self.regions: list[QGraphicsRectItem] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot_widget)

    def set_data(self, data: OverviewPoints) -> None:
        self.plot_item.clear()
        self.legend.clear()
        top = max(float(data.verified.max(initial=0)) + 1, MIN_CLAIMS_AXIS)
        self._draw_regions(data, top)
        colour_of = {
            region.tier: tier_colour(i, len(data.regions)) for i, region in enumerate(data.regions)
        }
        brushes = {tier: pg.mkBrush(colour) for tier, colour in colour_of.items()}
        self.scatter.setData(
            x=data.scores,
            y=data.verified,
            data=np.array(data.record_ids, dtype=object),
            brush=[brushes[tier] for tier in data.tiers],
        )
        self.plot_item.addItem(self.scatter)
        self.plot_item.setXRange(*SCORE_RANGE, padding=0.02)
        self.plot_item.setYRange(0, top, padding=0.02)

    def _draw_regions(self, data: OverviewPoints, top: float) -> None:
        """Worst tier first, so that each better tier's rectangle lies on top of the others."""
        self.regions = []
        count = len(data.regions)
        for index in reversed(range(count)):
            region = data.regions[index]
            rect = QGraphicsRectItem(
                QRectF(
                    region.min_score,
                    region.min_verified,
                    SCORE_RANGE[1] - region.min_score,
                    top - region.min_verified,
                )
            )
            colour = tier_colour(index, count)
            rect.setBrush(QBrush(tint(colour, REGION_TINT)))
            rect.setPen(QPen(Qt.PenStyle.NoPen))
            rect.setZValue(-10 - index)  # the best tier (index 0) on top
            self.plot_item.addItem(rect)
            self.regions.append(rect)
            swatch = pg.BarGraphItem(x=[0], height=[0], width=0, brush=colour)
            self.legend.addItem(swatch, region.tier)

    def _on_scatter_clicked(self, _item: pg.ScatterPlotItem, points: Any, _event: Any) -> None:
        if len(points):
            self.sig_record_clicked.emit(str(points[0].data()))

    def export(self, path: Path) -> Path:
        return export_plot(self.plot_item, path)


def _point_tip(x: float, y: float, data: object) -> str:
    return f"{data}\nconsensus score {x:.1f} · {y:.0f} verified claims"
