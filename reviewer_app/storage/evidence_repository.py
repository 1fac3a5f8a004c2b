"""Evidence spans, their re-anchored positions in other files, and claim verdict rows."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reviewer_app.domain.evidence import ClaimVerdict, Verdict
from reviewer_app.domain.reviewers import Reviewer
from reviewer_app.storage.review_models import (
    ClaimVerdictRow,
    EvidenceSpanRow,
    ReviewerRow,
    SpanAnchorRow,
)
from reviewer_app.storage.row_values import as_utc


def add_span(session: Session, **values: Any) -> EvidenceSpanRow:
    row = EvidenceSpanRow(**values)
    session.add(row)
    session.flush()
    return row


def get_span(session: Session, span_id: str) -> tuple[EvidenceSpanRow, str] | None:
    """The span with its reviewer's name."""
    found = session.execute(
        select(EvidenceSpanRow, ReviewerRow.name)
        .join(ReviewerRow, ReviewerRow.id == EvidenceSpanRow.reviewer_id)
        .where(EvidenceSpanRow.id == span_id)
    ).first()
    return None if found is None else (found[0], found[1])


def find_spans(
    session: Session,
    record_id: str,
    *,
    claim_position: int | None = None,
    reviewer_id: int | None = None,
    sources: Collection[str] | None = None,
    include_removed: bool = False,
) -> list[tuple[EvidenceSpanRow, str]]:
    """Spans of a record with their reviewer's name, by claim, then in order of creation."""
    query = (
        select(EvidenceSpanRow, ReviewerRow.name)
        .join(ReviewerRow, ReviewerRow.id == EvidenceSpanRow.reviewer_id)
        .where(EvidenceSpanRow.record_id == record_id)
    )
    if claim_position is not None:
        query = query.where(EvidenceSpanRow.claim_position == claim_position)
    if reviewer_id is not None:
        query = query.where(EvidenceSpanRow.reviewer_id == reviewer_id)
    if sources is not None:
        query = query.where(EvidenceSpanRow.source_sha256.in_(list(sources)))
    if not include_removed:
        query = query.where(EvidenceSpanRow.removed_at.is_(None))
    query = query.order_by(
        EvidenceSpanRow.claim_position, EvidenceSpanRow.created_at, EvidenceSpanRow.id
    )
    return [(row, name) for row, name in session.execute(query).all()]


def live_span_counts(session: Session, record_id: str, reviewer_id: int) -> dict[int, int]:
    """Live spans per claim position by one reviewer."""
    query = (
        select(EvidenceSpanRow.claim_position, func.count())
        .where(
            EvidenceSpanRow.record_id == record_id,
            EvidenceSpanRow.reviewer_id == reviewer_id,
            EvidenceSpanRow.removed_at.is_(None),
        )
        .group_by(EvidenceSpanRow.claim_position)
    )
    return {position: count for position, count in session.execute(query).all()}


def anchors_in(
    session: Session, span_ids: Collection[str], pdf_sha256: str
) -> dict[str, SpanAnchorRow]:
    if not span_ids:
        return {}
    query = select(SpanAnchorRow).where(
        SpanAnchorRow.pdf_sha256 == pdf_sha256, SpanAnchorRow.span_id.in_(list(span_ids))
    )
    return {row.span_id: row for row in session.scalars(query)}


def anchors_of(session: Session, span_ids: Collection[str]) -> dict[str, list[SpanAnchorRow]]:
    """Every file each span was re-anchored in, by span id."""
    found: dict[str, list[SpanAnchorRow]] = {}
    if not span_ids:
        return found
    query = (
        select(SpanAnchorRow)
        .where(SpanAnchorRow.span_id.in_(list(span_ids)))
        .order_by(SpanAnchorRow.id)
    )
    for row in session.scalars(query):
        found.setdefault(row.span_id, []).append(row)
    return found


def put_anchor(session: Session, span_id: str, pdf_sha256: str, **values: Any) -> SpanAnchorRow:
    """Store (or replace) where a span landed in another file."""
    row = session.scalar(
        select(SpanAnchorRow).where(
            SpanAnchorRow.span_id == span_id, SpanAnchorRow.pdf_sha256 == pdf_sha256
        )
    )
    if row is None:
        row = SpanAnchorRow(span_id=span_id, pdf_sha256=pdf_sha256, **values)
        session.add(row)
    else:
        for name, value in values.items():
            setattr(row, name, value)
    row.computed_at = datetime.now(UTC)
    session.flush()
    return row


def add_verdict(session: Session, **values: Any) -> ClaimVerdictRow:
    row = ClaimVerdictRow(created_at=datetime.now(UTC), origin="local", **values)
    session.add(row)
    session.flush()
    return row


def newest_verdicts(
    session: Session, record_id: str, reviewer_id: int
) -> dict[int, ClaimVerdictRow]:
    """The row that counts for each claim this reviewer has judged (cleared rows included)."""
    newest = (
        select(func.max(ClaimVerdictRow.id))
        .where(ClaimVerdictRow.record_id == record_id, ClaimVerdictRow.reviewer_id == reviewer_id)
        .group_by(ClaimVerdictRow.claim_position)
    )
    rows = session.scalars(select(ClaimVerdictRow).where(ClaimVerdictRow.id.in_(newest)))
    return {row.claim_position: row for row in rows}


def verdict_rows(
    session: Session, record_id: str, claim_position: int, reviewer_id: int
) -> list[ClaimVerdictRow]:
    """Every verdict row of one reviewer on one claim, oldest first."""
    return list(
        session.scalars(
            select(ClaimVerdictRow)
            .where(
                ClaimVerdictRow.record_id == record_id,
                ClaimVerdictRow.claim_position == claim_position,
                ClaimVerdictRow.reviewer_id == reviewer_id,
            )
            .order_by(ClaimVerdictRow.id)
        )
    )


# -- verdicts as domain values (issue 11: no rows outside storage) ---------------------------
def current_verdicts(
    session: Session, record_id: str, reviewer_id: int, reviewer_name: str
) -> dict[int, ClaimVerdict]:
    """The verdict that counts on each claim this reviewer has judged; a claim whose newest row
    clears the verdict is left out."""
    newest = newest_verdicts(session, record_id, reviewer_id).items()
    return {
        position: verdict
        for position, row in newest
        if (verdict := _claim_verdict(row, reviewer_name)) is not None
    }


def record_verdict(
    session: Session,
    *,
    record_id: str,
    claim_position: int,
    reviewer: Reviewer,
    verdict: str | None,
    reason: str | None,
    note: str | None,
) -> ClaimVerdict | None:
    """Append a verdict row (``verdict`` None: a clearing, without reason or note) unless the
    claim's newest row already says exactly this, or there is nothing to clear. The verdict
    that now counts, or None when it is cleared."""
    wanted = (verdict, reason, note) if verdict is not None else (None, None, None)
    current = newest_verdicts(session, record_id, reviewer.id).get(claim_position)
    if current is not None and (current.verdict, current.reason, current.note) == wanted:
        return _claim_verdict(current, reviewer.name)
    if current is None and verdict is None:
        return None
    row = add_verdict(
        session,
        record_id=record_id,
        claim_position=claim_position,
        reviewer_id=reviewer.id,
        verdict=wanted[0],
        reason=wanted[1],
        note=wanted[2],
    )
    return _claim_verdict(row, reviewer.name)


def verdict_history(
    session: Session, record_id: str, claim_position: int, reviewer_id: int, reviewer_name: str
) -> list[ClaimVerdict]:
    """The reviewer's verdicts on one claim, oldest first, clearings left out."""
    rows = verdict_rows(session, record_id, claim_position, reviewer_id)
    return [verdict for row in rows if (verdict := _claim_verdict(row, reviewer_name))]


def _claim_verdict(row: ClaimVerdictRow, reviewer: str) -> ClaimVerdict | None:
    if row.verdict is None:
        return None
    return ClaimVerdict(
        record_id=row.record_id,
        claim_position=row.claim_position,
        reviewer=reviewer,
        verdict=Verdict(row.verdict),
        created_at=as_utc(row.created_at),
        reason=row.reason,
        note=row.note,
    )
