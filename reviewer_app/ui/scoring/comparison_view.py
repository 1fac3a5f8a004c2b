"""The comparison tab: all visible sheets side by side, with an adjudicator (anonymous) mode."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from reviewer_app.services.scoring import ScoringService
from reviewer_app.ui.scoring.comparison_data import build_comparison
from reviewer_app.ui.scoring.comparison_model import ComparisonModel

BLIND_NOTE = "Blind review: the other reviewers' sheets appear once you submit your own."


class ComparisonView(QWidget):
    def __init__(self, scoring: ScoringService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scoring = scoring
        self.model = ComparisonModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.adjudicator_mode = QCheckBox("Adjudicator mode (show Reviewer A, B, C…)")
        self.adjudicator_mode.toggled.connect(self._on_adjudicator_mode_toggled)
        self.note = QLabel(BLIND_NOTE)
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.adjudicator_mode)
        layout.addWidget(self.note)
        layout.addWidget(self.table)
        self._record_id: str | None = None
        self._viewer = ""

    def show_record(self, record_id: str, viewer: str) -> None:
        self._record_id, self._viewer = record_id, viewer
        self.refresh()

    def refresh(self) -> None:
        if self._record_id is None:
            return
        comparison = build_comparison(
            self.scoring,
            self._record_id,
            self._viewer,
            anonymous=self.adjudicator_mode.isChecked(),
        )
        self.model.set_comparison(comparison)
        self.note.setVisible(comparison.hidden_by_blind_mode)

    def _on_adjudicator_mode_toggled(self, _checked: bool) -> None:
        self.refresh()
