"""Turning stored values back into domain values (times, evidence spans) and span pages into
their stored JSON form."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from reviewer_app.domain.evidence import (
    EvidenceSpan,
    Quad,
    SpanPage,
    Stance,
    continuation_of,
    parse_quad,
)
from reviewer_app.storage.review_models import EvidenceSpanRow


def as_utc(moment: datetime) -> datetime:
    """Aware UTC, the one form every row is written in (SQLite hands back naive datetimes)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def quads_of(values: Sequence[Sequence[float]]) -> tuple[Quad, ...]:
    """Stored quads (JSON lists) as 8-float tuples; raises ValueError for a malformed one."""
    return tuple(parse_quad(quad) for quad in values)


def continuation_json(pages: Iterable[SpanPage]) -> list[dict[str, Any]] | None:
    """The pages after a span's first as stored (JSON); None when there are none."""
    return [page.to_json() for page in pages] or None


def stored_continuation(values: Sequence[Any] | None, first_page: int) -> tuple[SpanPage, ...]:
    """A stored ``continuation`` column as span pages (NULL: none); ValueError if malformed."""
    return continuation_of(values or [], after=first_page)


def anchor_continuation(
    values: Sequence[Any] | None, first_page: int | None
) -> list[dict[str, Any]] | None:
    """A re-anchoring's continuation in its stored JSON form with float quads (the form bundles
    write); None when there is none, or when the anchoring has no first page (an orphan)."""
    if first_page is None:
        return None
    return continuation_json(stored_continuation(values, first_page))


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
        continuation=stored_continuation(row.continuation, row.page),
    )
