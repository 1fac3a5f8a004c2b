"""The claims of the selected record in a sortable table (position, text, verified, confidence)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.domain.records import Claim
from reviewer_app.ui.models import ClaimTableModel, SearchFilterProxy


class ClaimsPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ClaimTableModel(self)
        self.proxy = SearchFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.title = QLabel(self)
        self.title.setObjectName("claims_title")
        self.table = self._build_table()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        self.set_claims((), extracted=None)

    def _build_table(self) -> QTableView:
        table = QTableView(self)
        table.setObjectName("claims_table")
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(ClaimTableModel.POSITION, Qt.SortOrder.AscendingOrder)
        table.setAlternatingRowColors(True)
        table.setWordWrap(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().hide()
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ClaimTableModel.TEXT, QHeaderView.ResizeMode.Stretch)
        return table

    def set_claims(self, claims: Sequence[Claim], *, extracted: int | None) -> None:
        self.model.set_claims(claims)
        if claims:
            text = f"<b>Claims</b> ({len(claims)})"
        elif extracted:
            text = f"<b>Claims</b> — {extracted} extracted; the source lists none of them"
        else:
            text = "<b>Claims</b> — none in this record"
        self.title.setText(text)
