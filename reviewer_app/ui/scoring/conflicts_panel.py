"""Conflicts of a record and their adjudication (an additive record, never a sheet edit)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.domain.consensus import Conflict
from reviewer_app.domain.review_sheets import CLAIM_VERDICTS
from reviewer_app.errors import ReviewerAppError
from reviewer_app.services.scoring import ScoringService
from reviewer_app.ui.icons import icon

CONFLICT_ROLE = Qt.ItemDataRole.UserRole + 30
"""The ``Conflict`` behind a list item."""


class ConflictsPanel(QWidget):
    sig_adjudicated = Signal(str)
    """An adjudication was stored; the argument is the record id."""

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
        """Replaceable: how a refused adjudication is reported."""
        self.record_id: str | None = None
        self.list = QListWidget()
        self.list.currentItemChanged.connect(self._on_list_current_changed)
        self.value_box = QComboBox()
        self.value_box.setEditable(True)  # a score may be settled on a value nobody gave
        self.rationale_edit = QLineEdit()
        self.rationale_edit.setPlaceholderText("Why this value (required)")
        self.adjudicate_button = QPushButton(icon("adjudicated"), "Adjudicate")
        self.adjudicate_button.clicked.connect(self._on_adjudicate_clicked)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #c62828; font-weight: bold")
        self.error_label.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Value", self.value_box)
        form.addRow("Rationale", self.rationale_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(form)
        layout.addWidget(self.adjudicate_button)
        layout.addWidget(self.error_label)
        self._update_enabled()

    def show_record(self, record_id: str) -> None:
        self.record_id = record_id
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        self.error_label.clear()
        if self.record_id is None:
            return
        for conflict in self.scoring.ratings.conflicts(self.record_id):
            item = QListWidgetItem(_describe(conflict))
            item.setData(CONFLICT_ROLE, conflict)
            item.setIcon(icon("adjudicated" if conflict.adjudicated else "open_conflict"))
            if conflict.adjudicated:
                item.setForeground(Qt.GlobalColor.darkGray)
            self.list.addItem(item)
        self._update_enabled()

    def conflicts(self) -> list[Conflict]:
        return [self.list.item(row).data(CONFLICT_ROLE) for row in range(self.list.count())]

    def open_conflicts(self) -> list[Conflict]:
        return [c for c in self.conflicts() if not c.adjudicated]

    def select(self, conflict_index: int) -> None:
        self.list.setCurrentRow(conflict_index)

    def adjudicate(self, value: str, rationale: str) -> bool:
        """Settle the selected conflict with ``value``; a refusal goes to ``show_error``."""
        item = self.list.currentItem()
        if item is None or self.record_id is None:
            return False
        conflict: Conflict = item.data(CONFLICT_ROLE)
        try:
            self.scoring.adjudication.adjudicate(
                self.record_id,
                field=conflict.field,
                value=value.strip(),
                rationale=rationale,
                adjudicator=self.reviewer_provider(),
                claim_position=conflict.claim_position,
            )
        except ReviewerAppError as exc:
            self.show_error(str(exc))
            return False
        self.rationale_edit.clear()
        self.refresh()
        self.sig_adjudicated.emit(self.record_id)
        return True

    def _on_adjudicate_clicked(self) -> None:
        self.adjudicate(self.value_box.currentText(), self.rationale_edit.text())

    def _on_list_current_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        self.value_box.clear()
        if current is not None:
            conflict: Conflict = current.data(CONFLICT_ROLE)
            self.value_box.addItems(sorted({_text(v) for v in conflict.ratings.values()}))
        self._update_enabled()

    def _update_enabled(self) -> None:
        # A party to the conflicts may not settle them (the service refuses it too).
        party = self.record_id is not None and not self.scoring.blind.can_adjudicate(
            self.record_id, self.reviewer_provider()
        )
        self.adjudicate_button.setEnabled(self.list.currentItem() is not None and not party)
        self.adjudicate_button.setToolTip(
            "You have a sheet on this record: another reviewer adjudicates its conflicts"
            if party
            else "Settle the chosen conflict with this value and rationale"
        )

    def _show_error_inline(self, message: str) -> None:
        self.error_label.setText(f"Not adjudicated: {message}")


def _describe(conflict: Conflict) -> str:
    # Ratings are listed by value only: the adjudicator does not see who gave which.
    field = conflict.field.replace("_", " ")
    if conflict.field == CLAIM_VERDICTS:
        field = f"claim {conflict.claim_position}"
    detail = conflict.detail.replace("_", " ")
    mark = " ✓ adjudicated" if conflict.adjudicated else ""
    # The domain's detail may already start with the field's name; say it once.
    return f"{detail if detail.startswith(field) else f'{field}: {detail}'}{mark}"


def _text(value: object) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)
