"""The records panel: a filter box above a sortable list of the workspace's records."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHeaderView,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.ui.icons import icon
from reviewer_app.ui.models import RecordListModel, Roles
from reviewer_app.ui.record_list_model import LazyRecordListModel, RecordSource

if TYPE_CHECKING:
    from reviewer_app.services.records_list import RecordSummary


MIN_PANEL_WIDTH = 320
"""Room for a readable title beside the level column, also when the scoring panel is open on
a 1366-pixel screen (found under Xvfb: the title column shrank to nothing)."""
COMPACT_BELOW = 480
"""Narrower than this the list is compact: the Date and Score columns fold away (both stay in
each row's tooltip, and sorting by them still works) so the title has the width. Found under
Xvfb at 1366×768 and 1920×1080: beside Date, Score and Level the titles wrapped to one or two
words per line, four records filling the list."""
_FOLDING_COLUMNS = (RecordListModel.DATE, RecordListModel.SCORE)
_WIDEST_VALUES = {
    RecordListModel.KIND: "report",
    RecordListModel.DATE: "0000-00-00",
    RecordListModel.SCORE: "10.00",
    RecordListModel.LEVEL: "L2 ≠ L2",
}
_CELL_PADDING = 18
"""The style's margins around a cell's text, and the sort arrow's room in a header."""


class RecordListPanel(QWidget):
    sig_record_selected = Signal(str)
    """The current record changed: its local id."""

    def __init__(self, source: RecordSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(MIN_PANEL_WIDTH)
        self.model = LazyRecordListModel(source, self)
        self.proxy = self.model
        """What the view shows; the same model (it filters and sorts in SQL itself)."""
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("record_filter")
        self.filter_edit.setPlaceholderText("Filter records (title, id, kind, tier)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.addAction(icon("filter"), QLineEdit.ActionPosition.LeadingPosition)
        self.filter_edit.textChanged.connect(self.model.set_filter)
        self.over_states_box = QCheckBox("Only records that over-state their grounding", self)
        self.over_states_box.setObjectName("over_states_filter")
        self.over_states_box.setToolTip(
            "Records whose synthesis claims a higher verification level, or more source-grounded"
            " claims, than the review established (records whose level is still being computed"
            " join the list when it is known)"
        )
        self.over_states_box.toggled.connect(self.model.set_over_states_only)
        self.view = self._build_view()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 0, 4)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.over_states_box)
        layout.addWidget(self.view, 1)

    def _build_view(self) -> QTreeView:
        view = QTreeView(self)
        view.setObjectName("record_list")
        view.setModel(self.proxy)
        view.setRootIsDecorated(False)
        # One line per record, as a mail or reference manager lists them: a long title is cut
        # with "…" and shown whole in its tooltip. Uniform rows also let the view lay out
        # 10,000 rows without measuring each title.
        view.setWordWrap(False)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setUniformRowHeights(True)
        view.setAlternatingRowColors(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setSortingEnabled(True)
        view.sortByColumn(RecordListModel.DATE, Qt.SortOrder.DescendingOrder)  # newest first
        header = view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(RecordListModel.TITLE, QHeaderView.ResizeMode.Stretch)
        # Fixed widths for the widest value each column can hold: sized to their contents,
        # every changed cell (a grounding level arriving) made the header measure every
        # loaded row again, hundreds of milliseconds on a large workspace.
        for column, widest in _WIDEST_VALUES.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, self._column_width(view, column, widest))
        view.setColumnHidden(RecordListModel.KIND, True)  # the title's icon shows the kind
        view.viewport().installEventFilter(self)
        view.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        return view

    @staticmethod
    def _column_width(view: QTreeView, column: int, widest: str) -> int:
        header_text = str(view.model().headerData(column, Qt.Orientation.Horizontal) or "")
        text_width = max(
            view.fontMetrics().horizontalAdvance(widest),
            view.header().fontMetrics().horizontalAdvance(header_text) + _CELL_PADDING,
        )
        return text_width + _CELL_PADDING

    def is_compact(self) -> bool:
        """Whether the Date and Score columns are folded away for want of width."""
        return self.view.isColumnHidden(RecordListModel.DATE)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            compact = self.view.viewport().width() < COMPACT_BELOW
            if compact != self.is_compact():
                for column in _FOLDING_COLUMNS:
                    self.view.setColumnHidden(column, compact)
        return super().eventFilter(watched, event)

    def reload(self) -> None:
        """Read the list again from the workspace (after an import or a merge)."""
        self.model.reload()

    def levels_changed(self) -> None:
        """Stored grounding levels changed: when the order or the filter follows them, read
        the list again (keeping the current record if it still shows)."""
        if not self.model.depends_on_levels():
            return
        current = self.current_id()
        self.model.reload()
        if current is not None:
            row = self.model.row_of(current)
            if row is not None:
                self.view.selectionModel().setCurrentIndex(
                    self.model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )

    def upsert(self, record: RecordSummary) -> None:
        self.model.upsert(record)

    def current_id(self) -> str | None:
        index = self.view.currentIndex()
        return index.data(Roles.ID) if index.isValid() else None

    def select(self, local_id: str) -> bool:
        """Make ``local_id`` current (clearing the filter if it hides it); False if unknown."""
        row = self.model.row_of(local_id)
        if row is None and self.filter_edit.text():
            self.filter_edit.clear()
            row = self.model.row_of(local_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.scrollTo(index)
        return True

    def select_first(self, prefer: Callable[[RecordSummary], bool] | None = None) -> bool:
        """Select the first row in view order, or the first one ``prefer`` accepts if any."""
        rows = [self.model.index(row, 0) for row in range(self.model.rowCount())]
        preferred = [i for i in rows if prefer and prefer(i.data(Roles.OBJECT))]
        chosen = (preferred or rows or [None])[0]
        return chosen is not None and self.select(chosen.data(Roles.ID))

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.sig_record_selected.emit(current.data(Roles.ID))
