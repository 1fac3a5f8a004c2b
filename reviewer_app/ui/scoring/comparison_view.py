"""The comparison tab: all visible sheets side by side, with an adjudicator (anonymous) mode."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from reviewer_app.errors import ReviewerAppError
from reviewer_app.services.scoring import ScoringService
from reviewer_app.ui.scoring.comparison_data import build_comparison
from reviewer_app.ui.scoring.comparison_model import ComparisonModel

BLIND_NOTE = "Blind review: the other reviewers' sheets appear once you submit your own."
ADJUDICATOR_TIP = (
    "Adjudicate this record: see the submitted sheets as Reviewer A, B, C… "
    "(only on records you have not scored)"
)


class ComparisonView(QWidget):
    def __init__(self, scoring: ScoringService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scoring = scoring
        self.model = ComparisonModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.adjudicator_mode = QCheckBox("Adjudicator mode (show Reviewer A, B, C…)", self)
        self.adjudicator_mode.toggled.connect(self._on_adjudicator_mode_toggled)
        self.note = QLabel(BLIND_NOTE)
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.adjudicator_mode)
        layout.addWidget(self.note)
        layout.addWidget(self.table)
        self.agreement = QLabel(self)
        self.agreement.setObjectName("agreement_label")
        self.agreement.setWordWrap(True)
        self.agreement.setToolTip(
            "Chance-corrected agreement of the submitted sheets: Krippendorff's α and "
            "Fleiss' κ (Cohen's κ for two reviewers); 1 is full agreement, 0 chance"
        )
        layout.addWidget(self.agreement)
        self._record_id: str | None = None
        self._viewer = ""

    def show_record(self, record_id: str, viewer: str) -> None:
        self._record_id, self._viewer = record_id, viewer
        self.refresh()

    def refresh(self) -> None:
        if self._record_id is None:
            return
        # The adjudicator role is the service's rule: only on records one has no sheet on.
        allowed = self.scoring.blind.can_adjudicate(self._record_id, self._viewer)
        self.adjudicator_mode.setEnabled(allowed)
        self.adjudicator_mode.setToolTip(
            ADJUDICATOR_TIP
            if allowed
            else f"{self._viewer} has a sheet on this record: " + BLIND_NOTE
        )
        if not allowed and self.adjudicator_mode.isChecked():
            self.adjudicator_mode.blockSignals(True)
            self.adjudicator_mode.setChecked(False)
            self.adjudicator_mode.blockSignals(False)
        try:
            comparison = build_comparison(
                self.scoring,
                self._record_id,
                self._viewer,
                anonymous=self.adjudicator_mode.isChecked(),
            )
        except ReviewerAppError as exc:  # refused by the service: show nothing but why
            self.model.set_comparison(None)
            self.note.setText(str(exc))
            self.note.show()
            return
        self.model.set_comparison(comparison)
        self.note.setText(BLIND_NOTE)
        self.note.setVisible(comparison.hidden_by_blind_mode)
        self._show_agreement(hidden=comparison.hidden_by_blind_mode)

    def _show_agreement(self, *, hidden: bool) -> None:
        assert self._record_id is not None
        agreement = None if hidden else self.scoring.ratings.agreement(self._record_id)
        if agreement is None or len(agreement.reviewers) < 2:
            self.agreement.hide()
            return
        parts = []
        for name, field in agreement.fields.items():
            kappa = field.fleiss_kappa if field.fleiss_kappa is not None else field.cohen_kappa
            figures = (
                [f"α {field.krippendorff_alpha:.2f}"]
                if field.krippendorff_alpha is not None
                else []
            )
            figures += [f"κ {kappa:.2f}"] if kappa is not None else []
            if figures:
                parts.append(f"{name.replace('_', ' ')}: {', '.join(figures)}")
        self.agreement.setText(
            f"<b>Agreement</b> of {len(agreement.reviewers)} reviewers — "
            + ("; ".join(parts) if parts else "not enough ratings yet")
        )
        self.agreement.show()

    def _on_adjudicator_mode_toggled(self, _checked: bool) -> None:
        self.refresh()
