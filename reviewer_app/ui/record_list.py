"""The records panel: a filter box above a sortable list of the workspace's records."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.ui.icons import icon
from reviewer_app.ui.models import RecordListModel, Roles, SearchFilterProxy

if TYPE_CHECKING:
    from reviewer_app.services.workspace import RecordSummary


class _WrappedTitleDelegate(QStyledItemDelegate):
    """Gives title cells the height of their text wrapped to the column's current width
    (QTreeView alone sizes rows for one line and elides the rest)."""

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        if index.column() != RecordListModel.TITLE:
            return hint
        width = self._view.columnWidth(RecordListModel.TITLE) - option.decorationSize.width() - 16
        text = str(index.data() or "")
        flags = Qt.TextFlag.TextWordWrap
        lines = option.fontMetrics.boundingRect(0, 0, max(width, 40), 10_000, flags, text)
        return QSize(hint.width(), max(hint.height(), lines.height() + 6))


class RecordListPanel(QWidget):
    sig_record_selected = Signal(str)
    """The current record changed: its local id."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RecordListModel(self)
        self.proxy = SearchFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("record_filter")
        self.filter_edit.setPlaceholderText("Filter records (title, id, kind, tier)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.addAction(icon("filter"), QLineEdit.ActionPosition.LeadingPosition)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.view = self._build_view()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 0, 4)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.view, 1)

    def _build_view(self) -> QTreeView:
        view = QTreeView(self)
        view.setObjectName("record_list")
        view.setModel(self.proxy)
        view.setRootIsDecorated(False)
        # Titles are long: wrap them onto a second line rather than cut them off.
        view.setWordWrap(True)
        view.setUniformRowHeights(False)
        view.setAlternatingRowColors(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setSortingEnabled(True)
        view.sortByColumn(RecordListModel.DATE, Qt.SortOrder.DescendingOrder)  # newest first
        header = view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(RecordListModel.TITLE, QHeaderView.ResizeMode.Stretch)
        for column in (RecordListModel.KIND, RecordListModel.DATE, RecordListModel.SCORE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        view.setColumnHidden(RecordListModel.KIND, True)  # the title's icon shows the kind
        view.setItemDelegateForColumn(RecordListModel.TITLE, _WrappedTitleDelegate(view))
        # Row heights depend on the title column's width: lay the rows out again when it changes.
        header.sectionResized.connect(lambda *_: view.scheduleDelayedItemsLayout())
        view.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        return view

    def set_records(self, records: Sequence[RecordSummary]) -> None:
        self.model.set_records(records)

    def upsert(self, record: RecordSummary) -> None:
        self.model.upsert(record)

    def current_id(self) -> str | None:
        index = self.view.currentIndex()
        return index.data(Roles.ID) if index.isValid() else None

    def select(self, local_id: str) -> bool:
        """Make ``local_id`` current (clearing the filter if it hides it); False if unknown."""
        row = self.model.row_of(local_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            self.filter_edit.clear()
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.scrollTo(index)
        return True

    def select_first(self, prefer: Callable[[RecordSummary], bool] | None = None) -> bool:
        """Select the first row in view order, or the first one ``prefer`` accepts if any."""
        rows = [self.proxy.index(row, 0) for row in range(self.proxy.rowCount())]
        preferred = [i for i in rows if prefer and prefer(i.data(Roles.OBJECT))]
        chosen = (preferred or rows or [None])[0]
        return chosen is not None and self.select(chosen.data(Roles.ID))

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.sig_record_selected.emit(current.data(Roles.ID))
