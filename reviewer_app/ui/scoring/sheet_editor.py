"""The current reviewer's score sheet: dimensions, score, recommendation, comments; draft/submit."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.domain.records import QUALITY_DIMENSIONS, Level
from reviewer_app.errors import ReviewerAppError
from reviewer_app.services.scoring import RECOMMENDATIONS, ScoreSheet, ScoringService
from reviewer_app.ui.icons import icon

UNSET = ""
NO_SCORE = -0.1
"""The spin box's value below 0 that shows "not scored"."""


class SheetEditor(QWidget):
    sig_sheet_saved = Signal(str)
    """A draft or submission was stored; the argument is the record id."""

    def __init__(
        self,
        scoring: ScoringService,
        reviewer_provider: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.scoring = scoring
        self.reviewer_provider = reviewer_provider
        self.show_error: Callable[[str], None] = self._show_error_inline
        """Replaceable (tests, dialogs): how a refused save is reported."""
        self.record_id: str | None = None
        self.dimension_boxes: dict[str, QComboBox] = {}
        form = QFormLayout()
        for name in QUALITY_DIMENSIONS:
            box = QComboBox()
            box.addItems([UNSET, *(level.value for level in Level)])
            self.dimension_boxes[name] = box
            form.addRow(name.replace("_", " ").capitalize(), box)
        self.score_box = QDoubleSpinBox()
        self.score_box.setRange(NO_SCORE, 10.0)
        self.score_box.setDecimals(1)
        self.score_box.setSingleStep(0.1)
        self.score_box.setSpecialValueText("not scored")
        form.addRow("Review score", self.score_box)
        self.recommendation_box = QComboBox()
        self.recommendation_box.addItem(UNSET, None)
        for value in RECOMMENDATIONS:  # shown in words ("Minor revision"), stored as the id
            self.recommendation_box.addItem(value.replace("-", " ").capitalize(), value)
        form.addRow("Recommendation", self.recommendation_box)
        self.comments_edit = QPlainTextEdit()
        self.comments_edit.setPlaceholderText("Comments for the other reviewers")
        form.addRow("Comments", self.comments_edit)
        self.state_label = QLabel()
        self.first_impression_label = QLabel()
        self.first_impression_label.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c62828; font-weight: bold")
        self.save_button = QPushButton(icon("save_draft"), "Save draft")
        self.submit_button = QPushButton(icon("submit_sheet"), "Submit")
        self.save_button.clicked.connect(self._on_save_clicked)
        self.submit_button.clicked.connect(self._on_submit_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.submit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state_label)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.error_label)
        layout.addWidget(self.first_impression_label)
        layout.addStretch(1)
        self.setEnabled(False)

    def show_record(self, record_id: str) -> None:
        self.record_id = record_id
        self.setEnabled(True)
        self.error_label.clear()
        self._load(self.scoring.sheets.versions(record_id, self.reviewer_provider()))

    def _load(self, versions: list[ScoreSheet]) -> None:
        sheet = versions[-1] if versions else None
        for name, box in self.dimension_boxes.items():
            level = sheet.dimensions.get(name) if sheet else None
            box.setCurrentText(level.value if level else UNSET)
        score = sheet.review_score if sheet else None
        self.score_box.setValue(NO_SCORE if score is None else score)
        found = self.recommendation_box.findData(sheet.recommendation if sheet else None)
        self.recommendation_box.setCurrentIndex(max(found, 0))
        self.comments_edit.setPlainText((sheet.comments if sheet else None) or "")
        if sheet is None:
            self.state_label.setText("No sheet yet")
        else:
            state = "Submitted" if sheet.submitted else "Draft"
            self.state_label.setText(f"{state} · saved {sheet.created_at:%Y-%m-%d %H:%M}")
        first = next((v for v in versions if v.first_impression), None)
        revised = first is not None and sheet is not None and sheet is not first
        self.first_impression_label.setVisible(revised)
        if revised and first is not None:
            self.first_impression_label.setText(f"First impression: {_summary(first)}")

    def save(self, *, submit: bool) -> ScoreSheet | None:
        """Store the form as a new version; a refusal goes to ``show_error``, nothing is kept."""
        if self.record_id is None:
            return None
        score = self.score_box.value()
        try:
            sheet = self.scoring.sheets.save(
                self.record_id,
                self.reviewer_provider(),
                dimensions={n: b.currentText() or None for n, b in self.dimension_boxes.items()},
                review_score=None if score < 0 else round(score, 1),
                recommendation=self.recommendation_box.currentData() or None,
                comments=self.comments_edit.toPlainText(),
                submit=submit,
            )
        except ReviewerAppError as exc:
            self.show_error(str(exc))
            return None
        self.show_record(self.record_id)
        self.sig_sheet_saved.emit(self.record_id)
        return sheet

    def _on_save_clicked(self) -> None:
        self.save(submit=False)

    def _on_submit_clicked(self) -> None:
        self.save(submit=True)

    def _show_error_inline(self, message: str) -> None:
        self.error_label.setText(f"Not saved: {message}")


def _summary(sheet: ScoreSheet) -> str:
    levels = ", ".join(
        f"{name.replace('_', ' ')} {level.value if level else '—'}"
        for name, level in sheet.dimensions.items()
    )
    score = "—" if sheet.review_score is None else f"{sheet.review_score:.1f}"
    return f"score {score}; {levels} ({sheet.created_at:%Y-%m-%d %H:%M})"
