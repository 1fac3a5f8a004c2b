"""Qt item models: thin adapters over lists of plain objects (record summaries, claims)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from enum import IntEnum
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from reviewer_app.domain.records import Claim
from reviewer_app.ui.grounding_badge import badge_data, badge_search
from reviewer_app.ui.icons import icon
from reviewer_app.wording import counted

if TYPE_CHECKING:
    from reviewer_app.services.grounding import GroundingBadge
    from reviewer_app.services.records_list import RecordSummary

AnyIndex = QModelIndex | QPersistentModelIndex
DisplayRole = Qt.ItemDataRole.DisplayRole


class Roles(IntEnum):
    """Named roles shared by the app's models."""

    OBJECT = Qt.ItemDataRole.UserRole + 1
    """The plain object behind the row (a ``RecordSummary`` or a ``Claim``)."""
    ID = Qt.ItemDataRole.UserRole + 2
    """The record's local id."""
    SORT = Qt.ItemDataRole.UserRole + 3
    """A value that sorts naturally (numbers as numbers, missing values first)."""
    SEARCH = Qt.ItemDataRole.UserRole + 4
    """Everything a filter box should match, in one string."""


_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
"""Worked out once: views ask for every cell's flags on every paint, and or-ing two Python
enum members each time was a tenth of a records-list repaint."""


class _ColumnTable(QAbstractTableModel):
    """A read-only table over a list of rows; subclasses declare their columns."""

    HEADERS: ClassVar[tuple[str, ...]] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt default)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == DisplayRole and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def row_object(self, row: int) -> Any:
        return self._rows[row]

    def _replace_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()


class RecordListModel(_ColumnTable):
    """The workspace's records, newest revision each: title, kind, date, review score and
    the computed grounding level (issue 13, fed by ``set_grounding``)."""

    HEADERS = ("Title", "Kind", "Date", "Score", "Level")
    TITLE, KIND, DATE, SCORE, LEVEL = range(5)
    _badges: ClassVar[Mapping[str, GroundingBadge]] = {}

    def set_grounding(self, badges: Mapping[str, GroundingBadge], *, merge: bool = False) -> None:
        """Show each record's computed grounding level (by record id) in the Level column;
        with ``merge`` only the records given change."""
        self._badges = {**self._badges, **badges} if merge else dict(badges)  # type: ignore[misc]
        if self._rows:
            last = len(self._rows) - 1
            self.dataChanged.emit(self.index(0, self.LEVEL), self.index(last, self.LEVEL))

    def set_records(self, records: Sequence[RecordSummary]) -> None:
        """Show a new list (a reset: the whole workspace was re-read)."""
        self._replace_rows(records)

    def upsert(self, record: RecordSummary) -> None:
        """Add a newly imported record, or refresh the row of a revised one."""
        for row, existing in enumerate(self._rows):
            if existing.local_id == record.local_id:
                self._rows[row] = record
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))
                return
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(record)
        self.endInsertRows()

    def row_of(self, local_id: str) -> int | None:
        return next((r for r, s in enumerate(self._rows) if s.local_id == local_id), None)

    def data(self, index: AnyIndex, role: int = DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        summary: RecordSummary = self._rows[index.row()]
        column = index.column()
        if column == self.LEVEL and role not in (Roles.OBJECT, Roles.ID, Roles.SEARCH):
            return badge_data(self._badges.get(summary.local_id), role, Roles.SORT)
        if role == Roles.SEARCH:
            return _RECORD_ROLES[role](summary, column) + badge_search(
                self._badges.get(summary.local_id)
            )
        handler = _RECORD_ROLES.get(role)
        return handler(summary, column) if handler else None


def _record_display(summary: RecordSummary, column: int) -> Any:
    if column == RecordListModel.TITLE:
        return summary.title
    if column == RecordListModel.KIND:
        return summary.kind.value
    if column == RecordListModel.DATE:
        return summary.date.isoformat() if summary.date else "—"
    return f"{summary.review_score:.2f}" if summary.review_score is not None else "—"


def _record_sort(summary: RecordSummary, column: int) -> Any:
    if column == RecordListModel.DATE:
        return summary.date.isoformat() if summary.date else ""
    if column == RecordListModel.SCORE:
        return summary.review_score if summary.review_score is not None else -1.0
    return _record_display(summary, column).casefold()


def _record_tooltip(summary: RecordSummary, _column: int) -> str:
    # The whole title, and the date and score the compact list folds away.
    revisions = counted(summary.revision_count, "revision")
    dated = summary.date.isoformat() if summary.date else "no date"
    score = f"score {summary.review_score:.2f}" if summary.review_score is not None else "no score"
    facts = f"{summary.kind.value}, {dated}, {score}, {revisions}"
    return f"{summary.local_id} — {summary.title}\n{facts}"


_RECORD_ROLES: dict[int, Callable[[RecordSummary, int], Any]] = {
    DisplayRole: _record_display,
    Qt.ItemDataRole.ToolTipRole: _record_tooltip,
    Qt.ItemDataRole.DecorationRole: lambda s, c: (
        icon(f"record_{s.kind.value}") if c == RecordListModel.TITLE else None
    ),
    Roles.OBJECT: lambda s, _c: s,
    Roles.ID: lambda s, _c: s.local_id,
    Roles.SORT: _record_sort,
    Roles.SEARCH: lambda s, _c: f"{s.local_id} {s.title} {s.kind.value} {s.tier or ''}",
}


class ClaimTableModel(_ColumnTable):
    """The claims of one record: position, text, verified mark, confidence."""

    HEADERS = ("#", "Claim", "Verified", "Confidence")
    POSITION, TEXT, VERIFIED, CONFIDENCE = range(4)

    def set_claims(self, claims: Sequence[Claim]) -> None:
        self._replace_rows(claims)

    def data(self, index: AnyIndex, role: int = DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        claim: Claim = self._rows[index.row()]
        column = index.column()
        if role == DisplayRole:
            return _claim_display(claim, column)
        if role == Roles.SORT:
            return _claim_sort(claim, column)
        if role == Roles.OBJECT:
            return claim
        if role == Roles.SEARCH:
            return claim.text
        if role == Qt.ItemDataRole.ToolTipRole and column == self.TEXT:
            return claim.text
        if role == Qt.ItemDataRole.DecorationRole and column == self.VERIFIED:
            return icon("claim_verified" if claim.verified else "claim_unverified")
        if role == Qt.ItemDataRole.ForegroundRole and column == self.CONFIDENCE:
            return QColor(_confidence_colour(claim.confidence))
        if role == Qt.ItemDataRole.TextAlignmentRole and column != self.TEXT:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


def _claim_display(claim: Claim, column: int) -> str:
    if column == ClaimTableModel.POSITION:
        return str(claim.position)
    if column == ClaimTableModel.TEXT:
        return claim.text
    if column == ClaimTableModel.VERIFIED:
        return "yes" if claim.verified else "no"
    return f"{claim.confidence:.2f}"


def _claim_sort(claim: Claim, column: int) -> Any:
    if column == ClaimTableModel.POSITION:
        return claim.position
    if column == ClaimTableModel.VERIFIED:
        return int(claim.verified)
    if column == ClaimTableModel.CONFIDENCE:
        return claim.confidence
    return claim.text.casefold()


def _confidence_colour(confidence: float) -> str:
    if confidence >= 0.8:
        return "#2e7d32"
    if confidence >= 0.5:
        return "#ef6c00"
    return "#c62828"


class SearchFilterProxy(QSortFilterProxyModel):
    """Sorts by ``Roles.SORT`` and keeps the rows whose ``Roles.SEARCH`` text contains the
    filter text (case-insensitive), whichever column is shown."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(Roles.SORT)
        self.setFilterRole(Roles.SEARCH)
        self.setFilterKeyColumn(0)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
