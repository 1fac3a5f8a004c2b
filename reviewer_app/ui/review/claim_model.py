"""The claims of one record as this reviewer sees them: text, confidence, marks, verdict."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QColor

from reviewer_app.domain.evidence import VERDICT_LABELS, Verdict
from reviewer_app.ui.icons import ICON_COLOURS, icon
from reviewer_app.ui.models import AnyIndex, DisplayRole, Roles, _ColumnTable


class ClaimStateLike(Protocol):
    """What the panel reads of the service's ``ClaimState``."""

    position: int
    text: str
    confidence: float
    verified: bool
    verdict: Verdict | None
    reason: str | None
    evidence_count: int


def is_settled(state: ClaimStateLike) -> bool:
    return state.verdict is not None


def lacks_evidence(state: ClaimStateLike) -> bool:
    """A verdict that needs evidence stands without a span or a reason (the service should
    refuse this; older data or an undone span can still leave it so)."""
    verdict = state.verdict
    return bool(
        verdict and verdict.needs_evidence and not state.evidence_count and not state.reason
    )


HIDDEN_TEXT = "hidden"
HIDDEN_TIP = "Hidden until you give a verdict (workspace setting: hide machine marks)"
HIDDEN_COLOUR = "#9e9e9e"


class ReviewClaimModel(_ColumnTable):
    HEADERS = ("#", "Claim", "Conf.", "Imported", "Verdict", "Evidence")
    POSITION, TEXT, CONFIDENCE, VERIFIED, VERDICT, EVIDENCE = range(6)
    GUARDED_COLUMNS = (CONFIDENCE, VERIFIED)
    """The machine's judgement of a claim, withheld until the reviewer gives their own."""

    def __init__(
        self,
        parent: QObject | None = None,
        hide_machine_marks: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.hide_machine_marks: Callable[[], bool] = hide_machine_marks or (lambda: True)
        """The workspace setting (on by default), handed in by the window: whether the guard
        is on; read once per ``set_states``/``update_state``
        (``data`` runs on every paint, too often for a database read)."""
        self._guarding = True

    def set_states(self, states: Sequence[ClaimStateLike]) -> None:
        self._guarding = self.hide_machine_marks()
        self._replace_rows(states)

    def is_guarded(self, state: ClaimStateLike) -> bool:
        """The claim's verified mark and confidence are withheld from this reviewer."""
        return self._guarding and state.verdict is None

    def states(self) -> list[ClaimStateLike]:
        return list(self._rows)

    def update_state(self, state: ClaimStateLike) -> None:
        """Refresh the row of ``state.position`` in place (selection and scroll stay)."""
        guarding = self.hide_machine_marks()
        if guarding != self._guarding:
            self.set_states([state if s.position == state.position else s for s in self._rows])
            return
        for row, existing in enumerate(self._rows):
            if existing.position == state.position:
                self._rows[row] = state
                last = self.index(row, len(self.HEADERS) - 1)
                self.dataChanged.emit(self.index(row, 0), last)
                return

    def row_of(self, position: int) -> int | None:
        return next((r for r, s in enumerate(self._rows) if s.position == position), None)

    def settled_count(self) -> int:
        return sum(1 for state in self._rows if is_settled(state))

    def data(self, index: AnyIndex, role: int = DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        state: ClaimStateLike = self._rows[index.row()]
        column = index.column()
        if column in self.GUARDED_COLUMNS and self.is_guarded(state):
            return _guarded(role)
        if role == DisplayRole:
            return _display(state, column)
        if role == Roles.OBJECT:
            return state
        if role == Roles.SORT:
            return _sort(state, column)
        if role == Roles.SEARCH:
            return state.text
        if role == Qt.ItemDataRole.DecorationRole:
            return _decoration(state, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(state, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column != self.TEXT:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.VERDICT and state.verdict:
            return QColor(_VERDICT_COLOURS[state.verdict])
        return None

    def index_of(self, position: int) -> QModelIndex:
        row = self.row_of(position)
        return self.index(row, self.TEXT) if row is not None else QModelIndex()


VERDICT_SHORT_LABELS = {
    Verdict.SUPPORTS: "Supports",
    Verdict.SPECIAL_CASE: "Special case",
    Verdict.CONTRADICTS: "Contradicts",
    Verdict.CONFLICTING: "Conflicting",
    Verdict.NOT_ENOUGH_EVIDENCE: "Not enough",
}
"""What the narrow verdict column shows; the tooltip has the full label, so the claim text
keeps the width."""

# the verdict icons' colours (one registry: ui/icons.py); they had drifted apart here
_VERDICT_COLOURS = {verdict: ICON_COLOURS[f"verdict_{verdict.value}"] for verdict in Verdict}


def _guarded(role: int) -> Any:
    """A withheld cell: a placeholder, and a sort key equal for every withheld claim, so that
    sorting by the column does not give the hidden values away."""
    if role == DisplayRole:
        return HIDDEN_TEXT
    if role == Qt.ItemDataRole.ToolTipRole:
        return HIDDEN_TIP
    if role == Qt.ItemDataRole.ForegroundRole:
        return QColor(HIDDEN_COLOUR)
    if role == Qt.ItemDataRole.TextAlignmentRole:
        return int(Qt.AlignmentFlag.AlignCenter)
    if role == Roles.SORT:
        return -1
    return None


def _display(state: ClaimStateLike, column: int) -> str:
    if column == ReviewClaimModel.POSITION:
        return str(state.position)
    if column == ReviewClaimModel.TEXT:
        return state.text
    if column == ReviewClaimModel.CONFIDENCE:
        return f"{state.confidence:.2f}"
    if column == ReviewClaimModel.VERIFIED:
        return ""
    if column == ReviewClaimModel.VERDICT:
        return VERDICT_SHORT_LABELS[state.verdict] if state.verdict else "—"
    return str(state.evidence_count)


def _sort(state: ClaimStateLike, column: int) -> Any:
    if column == ReviewClaimModel.TEXT:
        return state.text.casefold()
    if column == ReviewClaimModel.CONFIDENCE:
        return state.confidence
    if column == ReviewClaimModel.VERIFIED:
        return int(state.verified)
    if column == ReviewClaimModel.VERDICT:
        return state.verdict.value if state.verdict else ""
    if column == ReviewClaimModel.EVIDENCE:
        return state.evidence_count
    return state.position


def _decoration(state: ClaimStateLike, column: int) -> Any:
    if column == ReviewClaimModel.VERIFIED:
        return icon("claim_verified" if state.verified else "claim_unverified")
    if column == ReviewClaimModel.VERDICT and state.verdict:
        return icon(f"verdict_{state.verdict.value}")
    if column == ReviewClaimModel.EVIDENCE and lacks_evidence(state):
        return icon("needs_evidence")
    return None


def _tooltip(state: ClaimStateLike, column: int) -> str | None:
    if column == ReviewClaimModel.TEXT:
        return state.text
    if column == ReviewClaimModel.VERIFIED:
        return "Marked verified in the imported synthesis" if state.verified else "Not verified"
    if column == ReviewClaimModel.VERDICT and state.verdict:
        label = VERDICT_LABELS[state.verdict]
        return f"{label}\nNo span: {state.reason}" if state.reason else label
    if column == ReviewClaimModel.EVIDENCE and lacks_evidence(state):
        return "This verdict needs an evidence span or a reason"
    return None
