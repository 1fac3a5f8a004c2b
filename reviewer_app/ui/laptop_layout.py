"""The window on a laptop screen (1280×720 to 1440×900): the claim loop keeps its room.

Below ``NARROW_WIDTH`` the record list and the page thumbnails fold away while the scoring
panel is open (Ctrl+Shift+R and Ctrl+Shift+T bring them back), the claims get the larger
share of the middle column and the width is split so that claim text, verdict and evidence
columns all stay on screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QHeaderView, QTableView

from reviewer_app.ui.record_list import MIN_PANEL_WIDTH

if TYPE_CHECKING:
    from reviewer_app.ui.window_parts import LayoutWindow

NARROW_WIDTH = 1600
"""Narrower than this, the records, claims, PDF and scoring panel cannot all be side by side."""
DOCK_WIDTH_NARROW = 380
RECORDS_WIDTH = MIN_PANEL_WIDTH
"""The record list's width on a small screen: one line per record, the title elided beside
its level (the list folds Date and Score away when this narrow)."""
CLAIM_TEXT_MIN = 200
"""The claim text column never gets narrower than this (it elides, with the whole claim in
its tooltip)."""


def compact_claims_table(table: QTableView) -> None:
    """One line per claim, elided at the right; the tooltip holds the whole text."""
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    rows = table.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(table.fontMetrics().height() + 10)


class LaptopLayout(QObject):
    def __init__(self, window: LayoutWindow) -> None:
        super().__init__(window)
        self.window = window
        self.drawer_action = window.app_actions["records_list"]
        self.drawer_action.setCheckable(True)
        self.drawer_action.setChecked(True)
        self.drawer_action.toggled.connect(self._on_drawer_toggled)
        window.app_actions["scoring_panel"].toggled.connect(self._on_scoring_toggled)
        compact_claims_table(window.claims.table)
        window.installEventFilter(self)
        self._narrow = False

    @property
    def narrow(self) -> bool:
        return self.window.width() < NARROW_WIDTH

    def fit(self) -> None:
        """Share the width out again for the window's present size and panels."""
        window = self.window
        scoring_open = not window.scoring_dock.isHidden()
        if self.narrow and scoring_open:
            # Fold the record list and the page thumbnails away (Ctrl+Shift+R / Ctrl+Shift+T
            # bring them back): the claims, the page and the panel need the width.
            self.drawer_action.setChecked(False)
            window.pdf_pane.thumbnails_action.setChecked(False)
        if scoring_open:
            dock = DOCK_WIDTH_NARROW if self.narrow else 420
            window.resizeDocks([window.scoring_dock], [dock], Qt.Orientation.Horizontal)
        if self.narrow:
            self._share_the_middle()

    def _share_the_middle(self) -> None:
        window = self.window
        splitter = window.main_splitter
        records = RECORDS_WIDTH if self.drawer_action.isChecked() else 0
        free = max(splitter.width() - records, 600)
        middle = max(free * 11 // 20, self._claims_need())
        splitter.setSizes([records, middle, max(free - middle, 300)])
        height = max(window.middle_splitter.height(), 400)
        window.middle_splitter.setSizes([height * 2 // 5, height * 3 // 5])

    def _claims_need(self) -> int:
        """Width for the claims table: every column but the text, plus the text's minimum."""
        table = self.window.claims.table
        model = table.model()
        others = sum(
            table.columnWidth(c) for c in range(model.columnCount()) if c != 1
        )  # column 1 is the claim text
        return others + CLAIM_TEXT_MIN + table.verticalScrollBar().sizeHint().width() + 8

    def _on_drawer_toggled(self, shown: bool) -> None:
        self.window.records.setVisible(shown)

    def _on_scoring_toggled(self, _shown: bool) -> None:
        self.fit()
        # once more when the dock has taken its width, to share out what is left
        QTimer.singleShot(0, self.fit)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        resized = watched is self.window and event.type() == QEvent.Type.Resize
        if resized and self.narrow != self._narrow:
            self._narrow = self.narrow
            self.fit()
        return False
