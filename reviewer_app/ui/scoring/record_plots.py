"""The plots tab of a record: dimensions per reviewer and scores against tier thresholds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QGridLayout, QPushButton, QWidget

from reviewer_app.services.plot_data import PlotDataService
from reviewer_app.ui.icons import icon
from reviewer_app.ui.plots.calibration_plot import CalibrationPlot
from reviewer_app.ui.plots.dimension_plot import DimensionPlot
from reviewer_app.ui.plots.score_plot import ScorePlot

BLIND_CAPTION = "Calibration: shown once you\nsubmit your sheet (blind review)"


def ask_export_path(parent: QWidget, name: str) -> Path | None:
    chosen, _ = QFileDialog.getSaveFileName(
        parent, "Export plot", f"{name}.png", "PNG image (*.png);;SVG drawing (*.svg)"
    )
    return Path(chosen) if chosen else None


class RecordPlots(QWidget):
    def __init__(self, plot_data: PlotDataService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot_data = plot_data
        self.ask_export_path: Callable[[QWidget, str], Path | None] = ask_export_path
        """Replaceable (tests): where to export a plot, ``None`` to cancel."""
        self.dimension_plot = DimensionPlot()
        self.score_plot = ScorePlot()
        self.calibration_plot = CalibrationPlot()
        # Dimensions across the top; scores and the (square-ish) calibration side by side.
        layout = QGridLayout(self)
        cells = (
            (self.dimension_plot, "dimensions", 0, 0, 2),
            (self.score_plot, "scores", 2, 0, 1),
            (self.calibration_plot, "calibration", 2, 1, 1),
        )
        for plot, name, row, column, span in cells:
            layout.addWidget(plot, row, column, 1, span)
            button = QPushButton(icon("export_plot"), f"Export {name} plot…")
            button.clicked.connect(lambda _=False, p=plot, n=name: self._export(p, n))
            layout.addWidget(button, row + 1, column, 1, span, Qt.AlignmentFlag.AlignRight)
        layout.setRowStretch(0, 1)
        layout.setRowStretch(2, 1)
        self._record_id: str | None = None
        self._viewer = ""

    def show_record(self, record_id: str, viewer: str) -> None:
        self._record_id, self._viewer = record_id, viewer
        self.refresh()

    def refresh(self) -> None:
        if self._record_id is None:
            return
        self.dimension_plot.set_data(self.plot_data.dimensions(self._record_id, self._viewer))
        self.score_plot.set_data(self.plot_data.scores(self._record_id, self._viewer))
        # The calibration uses the consensus verdicts: withheld like the consensus itself.
        if self.plot_data.sees_consensus(self._record_id, self._viewer):
            self.calibration_plot.set_data(self.plot_data.calibration(self._record_id))
        else:
            self.calibration_plot.clear(BLIND_CAPTION)

    def _export(self, plot: DimensionPlot | ScorePlot | CalibrationPlot, name: str) -> None:
        path = self.ask_export_path(self, f"{self._record_id or 'record'}-{name}".replace(":", "_"))
        if path is not None:
            plot.export(path)
