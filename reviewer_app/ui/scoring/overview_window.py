"""The workspace overview: every record's consensus score against its verified claims."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from reviewer_app.domain.calibration import Calibration
from reviewer_app.services.plot_data import OverviewPoints, PlotDataService
from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.icons import icon
from reviewer_app.ui.ops import BackgroundOp
from reviewer_app.ui.plots.calibration_plot import CalibrationPlot
from reviewer_app.ui.plots.overview_plot import OverviewPlot
from reviewer_app.ui.scoring.record_plots import ask_export_path


class WorkspaceOverview(QWidget):
    sig_record_requested = Signal(str)
    """A record's point was clicked; the argument is its record id."""
    sig_refreshed = Signal()
    """A background refresh has been drawn."""

    def __init__(
        self,
        workspace: Workspace,
        viewer_provider: Callable[[], str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.plot_data = PlotDataService(workspace)
        self.viewer_provider = viewer_provider
        """The current reviewer, whose blind mode applies; ``None`` shows every record."""
        self.ask_export_path = ask_export_path
        """Replaceable (tests): where to export the plot, ``None`` to cancel."""
        self.plot = OverviewPlot()
        self.plot.sig_record_clicked.connect(self.sig_record_requested)
        self.calibration = CalibrationPlot()
        """Whether the generator's confidences mean anything, over every record."""
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        export_button = QPushButton(icon("export_plot"), "Export overview…")
        export_button.clicked.connect(self._on_export_clicked)
        bottom = QHBoxLayout()
        bottom.addWidget(self.caption, 1)
        bottom.addWidget(export_button)
        plots = QSplitter(Qt.Orientation.Vertical)
        plots.addWidget(self.plot)
        plots.addWidget(self.calibration)
        plots.setSizes([600, 300])
        layout = QVBoxLayout(self)
        layout.addWidget(plots, 1)
        layout.addLayout(bottom)
        # Not computed here: the dock asks for it when the tab is first shown.
        self._refreshing: BackgroundOp[tuple[OverviewPoints, Calibration]] | None = None
        self._refresh_again = False

    def refresh(self) -> None:
        """Recompute and redraw now, on this thread."""
        self._show(self._compute(self.viewer_provider() if self.viewer_provider else None))

    def refresh_in_background(self) -> None:
        """Recompute off the GUI thread (every sheet of the workspace is read), then redraw;
        a refresh asked for while one runs starts again once it ends, with fresh data."""
        if self._refreshing is not None:
            self._refresh_again = True
            return
        viewer = self.viewer_provider() if self.viewer_provider else None
        self._refreshing = (
            BackgroundOp(self, "Updating the overview…", lambda _ctx: self._compute(viewer),
                         quiet=True)
            .success(self._on_computed)
            .failure(self._on_compute_failed)
        )  # fmt: skip
        self._refreshing.run_in_background()

    def _compute(self, viewer: str | None) -> tuple[OverviewPoints, Calibration]:
        return self.plot_data.overview(viewer), self.plot_data.workspace_calibration(viewer)

    def _on_computed(self, computed: tuple[OverviewPoints, Calibration]) -> None:
        self._refreshing = None
        self._show(computed)
        self.sig_refreshed.emit()
        if self._refresh_again:
            self._refresh_again = False
            self.refresh_in_background()

    def _on_compute_failed(self, error: Exception) -> None:
        self._refreshing = None
        self.caption.setText(f"The overview could not be computed: {error}")

    def _show(self, computed: tuple[OverviewPoints, Calibration]) -> None:
        data, pooled = computed
        self.plot.set_data(data)
        if pooled.n_claims:
            self.calibration.set_data(pooled)
        else:
            self.calibration.clear("No claim has a consensus verdict yet.")
        withheld = (
            f" · {data.withheld} more hidden until you submit your sheet on them"
            if data.withheld
            else ""
        )
        self.caption.setText(
            f"{len(data.record_ids)} records with a consensus score{withheld} · tier policy "
            f"v{data.policy_version} · regions show the score and verified-claim rules"
        )

    def export(self, path: Path) -> Path:
        return self.plot.export(path)

    def _on_export_clicked(self) -> None:
        path = self.ask_export_path(self, "workspace-overview")
        if path is not None:
            self.export(path)
