"""The one entry point of the scoring UI: a dock with the sheet, comparison, conflicts, tier,
plots and workspace overview tabs. The main window wires it in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDockWidget, QTabWidget, QWidget

from reviewer_app.services.workspace import Workspace

if TYPE_CHECKING:
    from reviewer_app.ui.grounding_view import GroundingView
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
        self.workspace = workspace
        self.record_id: str | None = None
        self._record_stale = False
        self._overview_stale = True
        """The overview reads every sheet of the workspace: recomputed only when its tab is
        shown after a change, off the GUI thread."""
        self._panels: _Panels | None = None
        """Built when first shown or asked for: the plots cost more than the rest of the window."""
        self.visibilityChanged.connect(self._on_visibility_changed)

    def _built(self) -> _Panels:
        if self._panels is None:
            self._panels = _Panels.build(self.workspace, self.reviewer_provider)
            self.setWidget(self._panels.tabs)
            self._panels.sheet_editor.sig_sheet_saved.connect(self._on_record_changed)
            self._panels.conflicts.sig_adjudicated.connect(self._on_record_changed)
            self._panels.overview.sig_record_requested.connect(self.sig_record_requested)
            self._panels.tabs.currentChanged.connect(self._on_tab_changed)
        return self._panels

    @property
    def is_built(self) -> bool:
        return self._panels is not None

    # The panels, built on first use.
    sheet_editor = property(lambda self: self._built().sheet_editor)
    comparison = property(lambda self: self._built().comparison)
    conflicts = property(lambda self: self._built().conflicts)
    tier_panel = property(lambda self: self._built().tier_panel)
    grounding = property(lambda self: self._built().grounding)
    plots = property(lambda self: self._built().plots)
    overview = property(lambda self: self._built().overview)
    tabs = property(lambda self: self._built().tabs)

    def show_record(self, record_id: str) -> None:
        """Follow the window's record. Only what is on screen is redrawn; a hidden dock just
        remembers the record, and the workspace overview does not change on a record switch."""
        self.record_id = record_id
        self._record_stale = True
        if not self.isHidden():
            self._refresh_record()

    def refresh(self) -> None:
        """Redraw everything that depends on the sheets (after a save or an adjudication)."""
        self._overview_stale = True
        self._record_stale = True
        if not self.isHidden():
            self._refresh_record()
            self._refresh_overview_if_shown()

    def _refresh_record(self) -> None:
        if self.record_id is None or not self._record_stale or self._panels is None:
            return
        self._record_stale = False
        viewer = self.reviewer_provider()
        self.sheet_editor.show_record(self.record_id)
        self.comparison.show_record(self.record_id, viewer)
        self.conflicts.show_record(self.record_id)
        self.tier_panel.show_record(self.record_id)
        self.grounding.show_record(self.record_id, viewer)
        self.plots.show_record(self.record_id, viewer)

    def _refresh_overview_if_shown(self) -> None:
        if self._panels is None:
            return
        if self._overview_stale and self.tabs.currentWidget() is self.overview:
            self._overview_stale = False
            self.overview.refresh_in_background()

    def _on_visibility_changed(self, visible: bool) -> None:
        if visible:
            self._built()
            self._refresh_record()
            self._refresh_overview_if_shown()

    def _on_tab_changed(self, _index: int) -> None:
        if not self.isHidden():
            self._refresh_overview_if_shown()

    def teardown(self) -> None:
        """Disconnect what was connected (the house rule: every connect is undone)."""
        self.visibilityChanged.disconnect(self._on_visibility_changed)
        if self._panels is None:
            return
        self._panels.sheet_editor.sig_sheet_saved.disconnect(self._on_record_changed)
        self._panels.conflicts.sig_adjudicated.disconnect(self._on_record_changed)
        self._panels.overview.sig_record_requested.disconnect(self.sig_record_requested)
        self._panels.tabs.currentChanged.disconnect(self._on_tab_changed)

    def _on_record_changed(self, _record_id: str) -> None:
        self.refresh()


@dataclass(frozen=True)
class _Panels:
    sheet_editor: SheetEditor
    comparison: ComparisonView
    conflicts: ConflictsPanel
    tier_panel: TierPanel
    grounding: GroundingView
    plots: RecordPlots
    overview: WorkspaceOverview
    tabs: QTabWidget

    @classmethod
    def build(cls, workspace: Workspace, reviewer_provider: Callable[[], str]) -> _Panels:
        # pyqtgraph and the scoring services load here, when the panel is first wanted
        from reviewer_app.services.plot_data import PlotDataService
        from reviewer_app.services.scoring import ScoringService
        from reviewer_app.ui.grounding_view import grounding_view_for
        from reviewer_app.ui.scoring.comparison_view import ComparisonView
        from reviewer_app.ui.scoring.conflicts_panel import ConflictsPanel
        from reviewer_app.ui.scoring.overview_window import WorkspaceOverview
        from reviewer_app.ui.scoring.record_plots import RecordPlots
        from reviewer_app.ui.scoring.sheet_editor import SheetEditor
        from reviewer_app.ui.scoring.tier_panel import TierPanel

        scoring = ScoringService(workspace.database)
        panels = cls(
            sheet_editor=SheetEditor(scoring, reviewer_provider),
            comparison=ComparisonView(scoring),
            conflicts=ConflictsPanel(scoring, reviewer_provider),
            tier_panel=TierPanel(scoring),
            grounding=grounding_view_for(workspace),
            plots=RecordPlots(PlotDataService(workspace)),
            overview=WorkspaceOverview(workspace, reviewer_provider),
            tabs=QTabWidget(),
        )
        for widget, title in ((panels.sheet_editor, "My sheet"), (panels.comparison, "Compare"),
                              (panels.conflicts, "Conflicts"), (panels.tier_panel, "Tier"),
                              (panels.grounding, "Grounding"), (panels.plots, "Plots"),
                              (panels.overview, "Overview")):  # fmt: skip
            panels.tabs.addTab(widget, title)
        return panels
