"""The records list as a model that fetches lazily: one window of rows at a time from the
workspace, filtered and sorted in SQL, so a 10,000-record workspace opens as fast as a small one.

Qt asks ``canFetchMore``/``fetchMore`` as the view scrolls towards the end of what is loaded;
a new filter text or sort order resets the model to its first window.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QModelIndex, QObject, Qt

from reviewer_app.services.workspace import RecordView
from reviewer_app.ui.grounding_badge import badge_data
from reviewer_app.ui.models import (
    _RECORD_ROLES,
    AnyIndex,
    DisplayRole,
    RecordListModel,
    Roles,
    _ColumnTable,
)

if TYPE_CHECKING:
    from reviewer_app.services.grounding import GroundingBadge
    from reviewer_app.services.records_list import RecordSummary

WINDOW_ROWS = 100
"""Rows fetched per window: a screenful many times over, a few milliseconds of SQL."""

_SORT_KEYS = {RecordListModel.TITLE: "title", RecordListModel.KIND: "kind",
              RecordListModel.DATE: "date", RecordListModel.SCORE: "score",
              RecordListModel.LEVEL: "level"}  # fmt: skip
"""Each column's order in SQL; the Level column sorts on the stored computed level."""


class RecordSource(Protocol):
    """Where the rows come from (the workspace service)."""

    def count_records(self, contains: str | RecordView = "") -> int: ...

    def records_window(self, view: RecordView, offset: int, limit: int) -> list[Any]: ...

    def record_position(self, local_id: str, view: RecordView) -> int | None: ...


class LazyRecordListModel(_ColumnTable):
    """The records list, one window of rows at a time (rows, headers and flags as every table
    model of the window has them)."""

    HEADERS = RecordListModel.HEADERS
    TITLE, KIND, DATE, SCORE, LEVEL = RecordListModel.TITLE, RecordListModel.KIND, \
        RecordListModel.DATE, RecordListModel.SCORE, RecordListModel.LEVEL  # fmt: skip

    def __init__(self, source: RecordSource, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self.view = RecordView()
        self._rows: list[RecordSummary] = []
        self._row_by_id: dict[str, int] = {}
        """The row of each loaded record (rows are only appended between resets)."""
        self._matching = 0
        """Rows the current filter matches in the workspace (loaded or not)."""
        self._loaded = False
        self._fetching = False
        self._badges: dict[str, GroundingBadge] = {}
        """Grounding levels (issue 13) computed since the rows were read; a row's stored level
        (read with it) shows until then, and "…" when none is stored yet."""

    # -- what the view asks -------------------------------------------------------------------
    def data(self, index: AnyIndex, role: int = DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        summary = self._rows[index.row()]
        if index.column() == self.LEVEL and role not in (Roles.OBJECT, Roles.ID, Roles.SEARCH):
            return badge_data(self._badge(summary), role, Roles.SORT)
        handler = _RECORD_ROLES.get(role)
        return handler(summary, index.column()) if handler else None

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._matching

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        self._fetch(WINDOW_ROWS)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        descending = order == Qt.SortOrder.DescendingOrder
        key = _SORT_KEYS.get(column)
        if key is None:
            return

        view = RecordView(self.view.contains, key, descending, self.view.over_states_only)
        if view != self.view or not self._loaded:
            self._set_view(view)

    # -- what the window asks -----------------------------------------------------------------
    def set_filter(self, text: str) -> None:
        self._set_view(RecordView(text, self.view.sort, self.view.descending,
                                  self.view.over_states_only))  # fmt: skip

    def set_over_states_only(self, only: bool) -> None:
        """Keep only the records whose synthesis over-states its grounding (by their stored
        computed level: records whose level is not known yet are left out until it is)."""
        self._set_view(RecordView(self.view.contains, self.view.sort, self.view.descending, only))

    def depends_on_levels(self) -> bool:
        """Whether which rows show, or their order, follows the stored grounding levels."""
        return self.view.sort == "level" or self.view.over_states_only

    def reload(self) -> None:
        """Read the list again (records were imported or merged), keeping filter and order."""
        self._set_view(self.view)

    def set_grounding(self, badges: Mapping[str, GroundingBadge], *, merge: bool = False) -> None:
        """Show these records' computed grounding levels in the Level column; with ``merge``
        only the records given change."""
        self._badges = {**self._badges, **badges} if merge else dict(badges)
        if not self._rows:
            return
        if not merge:
            last = len(self._rows) - 1
            self.dataChanged.emit(self.index(0, self.LEVEL), self.index(last, self.LEVEL))
            return
        # Only the rows given: a record switch refreshes two badges, and announcing every
        # loaded row made the view ask each of them again (97 % of a switch on 10,000 records).
        for local_id in badges:
            row = self._row_by_id.get(local_id)
            if row is not None:
                cell = self.index(row, self.LEVEL)
                self.dataChanged.emit(cell, cell)

    def loaded_ids(self, *, without_level: bool = False) -> list[str]:
        """The records of the rows fetched so far (the ones a view can show); with
        ``without_level`` only those whose grounding level is not known yet."""
        return [s.local_id for s in self._rows if not without_level or self._badge(s) is None]

    def has_level(self, local_id: str) -> bool:
        """Whether the record's computed grounding level is known (computed in this window, or
        stored and current when its row was read)."""
        row = self._row_by_id.get(local_id)
        return row is not None and self._badge(self._rows[row]) is not None

    def matching_count(self) -> int:
        return self._matching

    def row_of(self, local_id: str) -> int | None:
        """The row of ``local_id``, fetching windows until it is loaded; None if filtered out."""
        loaded = self._row_by_id.get(local_id)
        if loaded is not None:
            return loaded
        position = self.source.record_position(local_id, self.view)
        if position is None:
            return None
        if position >= len(self._rows):
            self._fetch(position + 1 - len(self._rows) + WINDOW_ROWS // 2)
        if position < len(self._rows) and self._rows[position].local_id == local_id:
            return position
        return None

    def upsert(self, summary: RecordSummary) -> None:
        """Refresh the row of a revised record in place; a new one means a re-read."""
        row = self._row_by_id.get(summary.local_id)
        if row is None:
            self.reload()
            return
        self._rows[row] = summary
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))

    # -- inside -------------------------------------------------------------------------------
    def _badge(self, summary: RecordSummary) -> GroundingBadge | None:
        return self._badges.get(summary.local_id) or summary.grounding

    def _set_view(self, view: RecordView) -> None:
        self._fetching = True  # no insertion inside the reset (see _fetch)
        try:
            self.beginResetModel()
            self.view = view
            self._matching = self.source.count_records(view)
            self._rows = self.source.records_window(view, 0, WINDOW_ROWS)
            self._row_by_id = {summary.local_id: row for row, summary in enumerate(self._rows)}
            self._loaded = True
            self.endResetModel()
        finally:
            self._fetching = False

    def _fetch(self, count: int) -> None:
        # A view asks for more from inside an insertion or a reset (its layout, a delegate's
        # size hint): a nested insertion breaks the model's contract (the model tester saw one
        # inside a reset), so that request waits for the view's next one.
        if self._fetching:
            return
        more = self.source.records_window(self.view, len(self._rows), count)
        if not more:
            self._matching = len(self._rows)
            return
        first = len(self._rows)
        self._fetching = True
        try:
            self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
            self._rows.extend(more)
            self._row_by_id.update((s.local_id, row) for row, s in enumerate(more, start=first))
            self.endInsertRows()
        finally:
            self._fetching = False
