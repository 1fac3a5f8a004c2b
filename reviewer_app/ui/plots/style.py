"""Colours and small helpers shared by the plots."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor

BACKGROUND = "w"
FOREGROUND = "#333333"
TIER_COLOURS = ("#2e7d32", "#f9a825", "#c62828", "#6a1b9a", "#00838f")
"""Tier colours, best tier first (the app's green for verified, red for the worst)."""


def new_plot_widget(title: str) -> pg.PlotWidget:
    widget = pg.PlotWidget(background=BACKGROUND, title=title)
    widget.getPlotItem().showGrid(x=False, y=True, alpha=0.25)
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
