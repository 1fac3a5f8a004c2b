"""The one entry point of the scoring UI: a dock with the sheet, comparison, conflicts, tier,
plots and workspace overview tabs. The main window wires it in."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDockWidget, QTabWidget, QWidget

from reviewer_app.services.plot_data import PlotDataService
from reviewer_app.services.scoring import ScoringService
from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.scoring.comparison_view import ComparisonView
from reviewer_app.ui.scoring.conflicts_panel import ConflictsPanel
from reviewer_app.ui.scoring.overview_window import WorkspaceOverview
from reviewer_app.ui.scoring.record_plots import RecordPlots
from reviewer_app.ui.scoring.sheet_editor import SheetEditor
from reviewer_app.ui.scoring.tier_panel import TierPanel


class ScoringDock(QDockWidget):
    sig_record_requested = Signal(str)
    """A point of the overview plot was clicked; the argument is its record id."""

    def __init__(
        self,
        workspace: Workspace,
        *,
        reviewer_provider: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Scoring", parent)
        self.setObjectName("scoring_dock")
        self.reviewer_provider = reviewer_provider
        scoring = ScoringService(workspace.database)
        self.record_id: str | None = None
        self.sheet_editor = SheetEditor(scoring, reviewer_provider)
        self.comparison = ComparisonView(scoring)
        self.conflicts = ConflictsPanel(scoring, reviewer_provider)
        self.tier_panel = TierPanel(scoring)
        self.plots = RecordPlots(PlotDataService(workspace))
        self.overview = WorkspaceOverview(workspace, reviewer_provider)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.sheet_editor, "My sheet")
        self.tabs.addTab(self.comparison, "Compare")
        self.tabs.addTab(self.conflicts, "Conflicts")
        self.tabs.addTab(self.tier_panel, "Tier")
        self.tabs.addTab(self.plots, "Plots")
        self.tabs.addTab(self.overview, "Overview")
        self.setWidget(self.tabs)
        self.sheet_editor.sig_sheet_saved.connect(self._on_record_changed)
        self.conflicts.sig_adjudicated.connect(self._on_record_changed)
        self.overview.sig_record_requested.connect(self.sig_record_requested)

    def show_record(self, record_id: str) -> None:
        self.record_id = record_id
        self.sheet_editor.show_record(record_id)
        self.refresh()

    def refresh(self) -> None:
        """Redraw everything that depends on the sheets (after a save or an adjudication)."""
        self.overview.refresh()
        if self.record_id is None:
            return
        viewer = self.reviewer_provider()
        self.comparison.show_record(self.record_id, viewer)
        self.conflicts.show_record(self.record_id)
        self.tier_panel.show_record(self.record_id)
        self.plots.show_record(self.record_id, viewer)

    def teardown(self) -> None:
        """Disconnect what ``__init__`` connected (the house rule: every connect is undone)."""
        self.sheet_editor.sig_sheet_saved.disconnect(self._on_record_changed)
        self.conflicts.sig_adjudicated.disconnect(self._on_record_changed)
        self.overview.sig_record_requested.disconnect(self.sig_record_requested)

    def _on_record_changed(self, _record_id: str) -> None:
        self.refresh()
