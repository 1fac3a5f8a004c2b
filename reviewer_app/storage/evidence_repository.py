"""Evidence spans, their re-anchored positions in other files, and claim verdict rows."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reviewer_app.storage.review_models import (
    ClaimVerdictRow,
    EvidenceSpanRow,
    ReviewerRow,
    SpanAnchorRow,
)


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
