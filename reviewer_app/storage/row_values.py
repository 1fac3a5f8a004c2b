"""Turning stored values back into domain values: times and evidence spans."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from reviewer_app.domain.evidence import EvidenceSpan, Quad, Stance
from reviewer_app.storage.review_models import EvidenceSpanRow


def as_utc(moment: datetime) -> datetime:
    """Aware UTC, the one form every row is written in (SQLite hands back naive datetimes)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def quads_of(values: Sequence[Sequence[float]]) -> tuple[Quad, ...]:
    """Stored quads (JSON lists) as 8-float tuples; raises ValueError for a malformed one."""
    quads = []
    for quad in values:
        a, b, c, d, e, f, g, h = (float(v) for v in quad)
        quads.append((a, b, c, d, e, f, g, h))
    return tuple(quads)


def evidence_span(
    row: EvidenceSpanRow, reviewer: str, claim_text: str | None = None
) -> EvidenceSpan:
    return EvidenceSpan(
        id=row.id,
        record_id=row.record_id,
        claim_position=row.claim_position,
        reviewer=reviewer,
        source_sha256=row.source_sha256,
        stance=Stance(row.stance),
        page=row.page,
        quads=quads_of(row.quads),
        exact=row.exact,
        prefix=row.prefix,
        suffix=row.suffix,
        start=row.start,
        end=row.end,
        created_at=as_utc(row.created_at),
        note=row.note,
        claim_text=claim_text,
    )
