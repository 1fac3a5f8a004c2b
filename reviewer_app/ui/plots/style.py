"""Colours and small helpers shared by the plots."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor

BACKGROUND = "w"
FOREGROUND = "#333333"
TIER_COLOURS = ("#2e7d32", "#f9a825", "#c62828", "#6a1b9a", "#00838f")
"""Tier colours, best tier first (the app's green for verified, red for the worst)."""


def new_plot_widget(title: str) -> pg.PlotWidget:
    widget = pg.PlotWidget(background=BACKGROUND)
    # pyqtgraph's default title colour is a light grey that is hard to read on white.
    widget.getPlotItem().setTitle(title, color=FOREGROUND)
    widget.getPlotItem().showGrid(x=False, y=True, alpha=0.25)
    # The unlabeled "A" (auto-range) corner button means nothing to a reviewer: hidden.
    widget.getPlotItem().hideButtons()
    for name in ("left", "bottom"):
        axis = widget.getPlotItem().getAxis(name)
        axis.setPen(FOREGROUND)
        axis.setTextPen(FOREGROUND)
    return widget


def translucent(colour: str, alpha: int) -> QColor:
    result = QColor(colour)
    result.setAlpha(alpha)
    return result


def tier_colour(index: int, count: int) -> str:
    """The best tier green and the catch-all tier red, whatever the number of tiers."""
    if index == count - 1:
        return TIER_COLOURS[2]
    return TIER_COLOURS[min(index, len(TIER_COLOURS) - 1)] if index != 2 else TIER_COLOURS[3]


def add_legend(
    plot: pg.PlotItem, *, offset: tuple[float, float], columns: int = 1
) -> pg.LegendItem:
    """A legend with dark text on a nearly opaque white box, readable over bars and regions."""
    return plot.addLegend(
        offset=offset,
        colCount=columns,
        labelTextColor=FOREGROUND,
        brush=pg.mkBrush(255, 255, 255, 230),
        pen=pg.mkPen("#bbbbbb"),
    )


def tint(colour: str, strength: float) -> QColor:
    """``colour`` mixed with white, opaque: a better tier's region hides the one beneath
    instead of blending into a muddy mix of both."""
    base = QColor(colour)
    mix = [round(255 - (255 - c) * strength) for c in (base.red(), base.green(), base.blue())]
    return QColor(*mix)
