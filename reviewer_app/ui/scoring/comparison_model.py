"""Qt table model over a :class:`Comparison`: fields as rows, sheets and consensus as columns."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from reviewer_app.ui.icons import icon
from reviewer_app.ui.scoring.comparison_data import Comparison

AnyIndex = QModelIndex | QPersistentModelIndex
CONSENSUS_HEADER = "Consensus"
DISAGREEMENT_BACKGROUND = QColor("#ffd7d5")
DISAGREES_ROLE = Qt.ItemDataRole.UserRole + 20
"""``True`` on every cell of a row where the sheets disagree."""
FIELD_ROLE = Qt.ItemDataRole.UserRole + 21
"""The row's field key (a dimension, ``review_score``, ``claim_verdicts:N``)."""


class ComparisonModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._comparison: Comparison | None = None

    def set_comparison(self, comparison: Comparison | None) -> None:
        # A different record changes both dimensions of the table: a reset is the honest signal.
        self.beginResetModel()
        self._comparison = comparison
        self.endResetModel()

    def comparison(self) -> Comparison | None:
        return self._comparison

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self._comparison is None:
            return 0
        return len(self._comparison.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self._comparison is None:
            return 0
        return len(self._comparison.columns) + 1

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._comparison is None:
            return None
        row = self._comparison.rows[index.row()]
        is_consensus = index.column() == len(self._comparison.columns)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return row.consensus if is_consensus else row.values[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole and row.disagrees and not is_consensus:
            return DISAGREEMENT_BACKGROUND
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == DISAGREES_ROLE:
            return row.disagrees
        if role == FIELD_ROLE:
            return row.field
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if self._comparison is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if role != Qt.ItemDataRole.DisplayRole or section > len(self._comparison.columns):
                return None
            columns = self._comparison.columns
            return columns[section] if section < len(columns) else CONSENSUS_HEADER
        if section >= len(self._comparison.rows):
            return None
        row = self._comparison.rows[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.label
        if role == Qt.ItemDataRole.DecorationRole and row.disagrees:
            return icon("disagreement")
        if role == Qt.ItemDataRole.ToolTipRole and row.disagrees:
            return "The reviewers disagree on this field"
        return None
