"""Grouped bars: the four quality dimensions for every visible reviewer and the consensus."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QVBoxLayout, QWidget

from reviewer_app.services.plot_data import LEVEL_AXIS, DimensionSeries
from reviewer_app.ui.plots.export import export_plot
from reviewer_app.ui.plots.style import add_legend, new_plot_widget

GROUP_WIDTH = 0.8
TOP = 4.4
LEVEL_AXIS_WIDTH = 64
LEGEND_COLUMNS = 4
TICK_ROOM = 14
"""Pixels for the tick marks and the gap between them and their labels."""


class DimensionPlot(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot_widget = new_plot_widget("Quality dimensions")
        self.plot_item = self.plot_widget.getPlotItem()
        # Headroom above HIGH keeps the legend row clear of the bars.
        self.plot_item.setYRange(0, TOP, padding=0)
        left = self.plot_item.getAxis("left")
        left.setTicks([list(LEVEL_AXIS.items())])
        left.setWidth(LEVEL_AXIS_WIDTH)  # pyqtgraph drops tick labels wider than the axis
        bottom = self.plot_item.getAxis("bottom")
        # Room for the two-line dimension names (pyqtgraph sizes the axis for one line).
        bottom.setHeight(2 * QFontMetrics(bottom.font()).height() + TICK_ROOM)
        self.legend = add_legend(self.plot_item, offset=(10, 5), columns=LEGEND_COLUMNS)
        self.bars: dict[str, pg.BarGraphItem] = {}
        """One bar item per series (reviewer name or "Consensus"), heights on the 1-3 axis."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot_widget)

    def set_data(self, data: DimensionSeries) -> None:
        self.plot_item.clear()
        self.legend.clear()
        self.bars = {}
        # One word a line: four two-word names side by side overlap in a narrow dock.
        labels = [(i, name.replace("_", "\n")) for i, name in enumerate(data.dimensions)]
        self.plot_item.getAxis("bottom").setTicks([labels])
        count = max(len(data.series), 1)
        width = GROUP_WIDTH / count
        positions = np.arange(len(data.dimensions), dtype=float)
        for index, (name, colour) in enumerate(zip(data.series, data.colours, strict=True)):
            offset = -GROUP_WIDTH / 2 + width * (index + 0.5)
            # An unrated dimension has no bar (height 0) rather than a NaN pyqtgraph cannot draw.
            heights = np.nan_to_num(data.values[index], nan=0.0)
            bars = pg.BarGraphItem(
                x=positions + offset, height=heights, width=width * 0.9, brush=colour, pen=None
            )
            self.plot_item.addItem(bars)
            self.legend.addItem(bars, name)
            self.bars[name] = bars
        self.plot_item.setXRange(-0.6, len(data.dimensions) - 0.4, padding=0)

    def export(self, path: Path) -> Path:
        return export_plot(self.plot_item, path)
