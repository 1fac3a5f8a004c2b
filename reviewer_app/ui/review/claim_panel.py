"""The claims to judge: progress for this reviewer, the claims table, the current claim's
evidence. ``title``, ``model`` and ``proxy`` mirror the plain ``ClaimsPanel``."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reviewer_app.ui.models import Roles, SearchFilterProxy
from reviewer_app.ui.review.claim_model import ClaimStateLike, ReviewClaimModel
from reviewer_app.ui.review.evidence_list import EvidenceList


class ReviewClaimPanel(QWidget):
    sig_claim_selected = Signal(int)
    """The current claim changed: its 1-based position (0: none)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ReviewClaimModel(self)
        self.proxy = SearchFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.title = QLabel(self)
        self.title.setObjectName("claims_title")
        self.progress = QProgressBar(self)
        self.progress.setObjectName("claims_progress")
        self.progress.setTextVisible(True)
        self.progress.setMinimumWidth(190)
        self.progress.setMaximumWidth(260)
        self.table = self._build_table()
        self.evidence = EvidenceList(self)
        self.evidence_title = QLabel("<b>Evidence</b>", self)
        evidence_box = QWidget(self)
        evidence_layout = QVBoxLayout(evidence_box)
        evidence_layout.setContentsMargins(0, 4, 0, 0)
        evidence_layout.addWidget(self.evidence_title)
        evidence_layout.addWidget(self.evidence, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("review_claims_splitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(evidence_box)
        self.splitter.setSizes([320, 180])
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.progress)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.splitter, 1)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.set_states((), extracted=None)

    def _build_table(self) -> QTableView:
        table = QTableView(self)
        table.setObjectName("claims_table")
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(ReviewClaimModel.POSITION, Qt.SortOrder.AscendingOrder)
        table.setAlternatingRowColors(True)
        table.setWordWrap(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().hide()
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ReviewClaimModel.TEXT, QHeaderView.ResizeMode.Stretch)
        return table

    # -- content -------------------------------------------------------------------------------
    def set_states(self, states: Sequence[ClaimStateLike], *, extracted: int | None) -> None:
        self.model.set_states(states)
        if states:
            text = f"<b>Claims</b> ({len(states)})"
        elif extracted:
            text = f"<b>Claims</b> — {extracted} extracted; the source lists none of them"
        else:
            text = "<b>Claims</b> — none in this record"
        self.title.setText(text)
        self._update_progress()
        if not states:
            self.evidence.set_spans(())
            self.sig_claim_selected.emit(0)

    def update_state(self, state: ClaimStateLike) -> None:
        self.model.update_state(state)
        self._update_progress()

    def _update_progress(self) -> None:
        total, settled = self.model.rowCount(), self.model.settled_count()
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(settled)
        self.progress.setFormat(f"{settled} of {total} claims settled")
        self.progress.setEnabled(total > 0)

    # -- the current claim -----------------------------------------------------------------------
    @property
    def current_position(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        state = index.data(Roles.OBJECT)
        return state.position if state is not None else None

    def current_state(self) -> ClaimStateLike | None:
        index = self.table.currentIndex()
        return index.data(Roles.OBJECT) if index.isValid() else None

    def select_position(self, position: int) -> bool:
        proxy_index = self.proxy.mapFromSource(self.model.index_of(position))
        return self._select_proxy_row(proxy_index.row()) if proxy_index.isValid() else False

    def step(self, delta: int) -> bool:
        """Select the claim ``delta`` rows below (above, if negative) in the shown order."""
        rows = self.proxy.rowCount()
        if not rows:
            return False
        current = self.table.currentIndex()
        row = current.row() + delta if current.isValid() else (0 if delta > 0 else rows - 1)
        if not 0 <= row < rows:
            return False
        return self._select_proxy_row(row)

    def _select_proxy_row(self, row: int) -> bool:
        index = self.proxy.index(row, ReviewClaimModel.TEXT)
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)
        return True

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        state = current.data(Roles.OBJECT) if current.isValid() else None
        self.sig_claim_selected.emit(state.position if state is not None else 0)
