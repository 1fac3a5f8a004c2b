"""The claims to judge: progress for this reviewer, the claims table, the current claim's
evidence."""

from __future__ import annotations

from collections.abc import Callable, Sequence

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
from reviewer_app.ui.review.claim_model import (
    VERDICT_SHORT_LABELS,
    ClaimStateLike,
    ReviewClaimModel,
)
from reviewer_app.ui.review.evidence_list import EvidenceList

_CELL_PADDING = 8
"""The style's margin on each side of a cell's icon and text."""


class ReviewClaimPanel(QWidget):
    sig_claim_selected = Signal(int)
    """The current claim changed: its 1-based position (0: none)."""

    def __init__(
        self, hide_machine_marks: Callable[[], bool] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.model = ReviewClaimModel(self, hide_machine_marks)
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
        # The short columns are sized when the claims are shown (``_fit_columns``), not to
        # their contents on every change: that made each verdict key measure every cell again.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(ReviewClaimModel.TEXT, QHeaderView.ResizeMode.Stretch)
        return table

    def _fit_columns(self) -> None:
        """Each short column as wide as what it shows, the verdict and evidence columns also
        as wide as what a key can make them show (the widest verdict, a warning icon)."""
        metrics = self.table.fontMetrics()
        room = self.table.iconSize().width() + 2 * _CELL_PADDING
        reserved = {
            ReviewClaimModel.VERDICT: max(
                map(metrics.horizontalAdvance, VERDICT_SHORT_LABELS.values())
            ),
            ReviewClaimModel.EVIDENCE: metrics.horizontalAdvance("000"),
        }
        for column in range(self.model.columnCount()):
            if column == ReviewClaimModel.TEXT:
                continue
            self.table.resizeColumnToContents(column)
            if column in reserved:
                width = max(self.table.columnWidth(column), reserved[column] + room)
                self.table.setColumnWidth(column, width)

    # -- content -------------------------------------------------------------------------------
    def set_states(self, states: Sequence[ClaimStateLike], *, extracted: int | None) -> None:
        self.model.set_states(states)
        self._fit_columns()
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
        """Select the claim ``delta`` shown rows below (above, if negative): rows the claims
        filter hid are skipped, as the reviewer does not see them."""
        rows = self.proxy.rowCount()
        if not rows or not delta:
            return False
        current = self.table.currentIndex()
        row = current.row() if current.isValid() else (-1 if delta > 0 else rows)
        direction = 1 if delta > 0 else -1
        for _ in range(abs(delta)):
            row += direction
            while 0 <= row < rows and self.table.isRowHidden(row):
                row += direction
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
