"""Evidence spans and their re-anchorings in other files, taken and handed back as domain values
(``EvidenceSpan``, ``SpanView``); the split of a span's pages into a first page and stored
continuation stays here, in the table layout."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import cast

from sqlalchemy.orm import Session

from reviewer_app.domain.evidence import AnchoredTarget, EvidenceSpan, SpanPage, Stance
from reviewer_app.domain.reviewers import Reviewer
from reviewer_app.domain.span_views import SpanStatus, SpanView
from reviewer_app.storage import evidence_repository as evidence_repo
from reviewer_app.storage.review_models import EvidenceSpanRow, SpanAnchorRow
from reviewer_app.storage.row_values import (
    continuation_json,
    evidence_span,
    quads_of,
    stored_continuation,
)


def mark_span(
    session: Session,
    *,
    span_id: str,
    record_id: str,
    claim_position: int,
    claim_text: str,
    reviewer: Reviewer,
    source_sha256: str,
    stance: Stance,
    note: str | None,
    pages: Sequence[SpanPage],
    exact: str,
    prefix: str,
    suffix: str,
    start: int,
    end: int,
) -> EvidenceSpan:
    """Store a new span marked now; ``pages`` in page order, at least one."""
    first, *continuation = pages
    row = evidence_repo.add_span(
        session,
        id=span_id,
        record_id=record_id,
        claim_position=claim_position,
        reviewer_id=reviewer.id,
        source_sha256=source_sha256,
        stance=stance.value,
        note=note,
        page=first.page,
        quads=[list(q) for q in first.quads],
        continuation=continuation_json(continuation),
        exact=exact,
        prefix=prefix,
        suffix=suffix,
        start=start,
        end=end,
        created_at=datetime.now(UTC),
    )
    return evidence_span(row, reviewer.name, claim_text)


def set_span_removed(session: Session, span_id: str, removed: bool) -> bool:
    """Soft-remove (for undo) or restore a span; False when there is no such span. Removing a
    removed span keeps the time it was first removed."""
    found = evidence_repo.get_span(session, span_id)
    if found is None:
        return False
    row, _ = found
    if removed and row.removed_at is None:
        row.removed_at = datetime.now(UTC)
    elif not removed:
        row.removed_at = None
    return True


def span_views(
    session: Session,
    record_id: str,
    *,
    claim_texts: Mapping[int, str],
    claim_position: int | None = None,
    reviewer_id: int | None = None,
    sources: Collection[str] | None = None,
    include_removed: bool = False,
) -> list[SpanView]:
    """The record's spans as drawn on the files they were marked in (status ``original``), by
    claim, then in order of creation; ``claim_texts`` by claim position."""
    found = evidence_repo.find_spans(
        session,
        record_id,
        claim_position=claim_position,
        reviewer_id=reviewer_id,
        sources=sources,
        include_removed=include_removed,
    )
    return [_original_view(row, name, claim_texts.get(row.claim_position)) for row, name in found]


def anchored_views(
    session: Session, originals: Sequence[SpanView], pdf_sha256: str
) -> dict[str, SpanView]:
    """Where the spans of ``originals`` were re-anchored in the file ``pdf_sha256``, by span id;
    spans not anchored there yet are left out."""
    by_id = {view.span.id: view for view in originals}
    anchors = evidence_repo.anchors_in(session, list(by_id), pdf_sha256)
    return {span_id: _anchored_view(by_id[span_id], row) for span_id, row in anchors.items()}


def store_anchoring(
    session: Session,
    span_id: str,
    pdf_sha256: str,
    *,
    status: str,
    pages: Sequence[SpanPage],
    start: int | None,
    end: int | None,
    score: float | None,
) -> None:
    """Keep (or replace) where a span landed in another file; no ``pages`` for an orphan."""
    first = pages[0] if pages else None
    evidence_repo.put_anchor(
        session,
        span_id,
        pdf_sha256,
        status=status,
        page=first.page if first else None,
        quads=[list(q) for q in first.quads] if first else None,
        continuation=continuation_json(pages[1:]),
        start=start,
        end=end,
        score=score,
    )


def spans_to_reanchor(
    session: Session, record_id: str, sources: Collection[str]
) -> list[tuple[EvidenceSpan, bool]]:
    """Every span of the record marked on one of ``sources``, with whether it is live: removed
    ones too, so that a span restored by undo is placed in a new file as well."""
    found = evidence_repo.find_spans(session, record_id, sources=sources, include_removed=True)
    return [(evidence_span(row, name), row.removed_at is None) for row, name in found]


def _original_view(row: EvidenceSpanRow, reviewer: str, claim_text: str | None) -> SpanView:
    span = evidence_span(row, reviewer, claim_text)
    return SpanView(
        span=span,
        status="original",
        source_sha256=row.source_sha256,
        page=row.page,
        quads=span.quads,
        start=row.start,
        end=row.end,
        score=1.0,
        removed=row.removed_at is not None,
        continuation=span.continuation,
    )


def _anchored_view(original: SpanView, anchor: SpanAnchorRow) -> SpanView:
    return replace(
        original,
        status=cast(SpanStatus, anchor.status),
        source_sha256=anchor.pdf_sha256,
        page=anchor.page,
        quads=quads_of(anchor.quads or []),
        start=anchor.start,
        end=anchor.end,
        score=anchor.score,
        # an orphan has no pages in that file
        continuation=()
        if anchor.page is None
        else stored_continuation(anchor.continuation, anchor.page),
    )


def anchored_targets(
    session: Session, spans: Sequence[EvidenceSpan]
) -> dict[str, list[AnchoredTarget]]:
    """Every other file each span was re-anchored in (by span id), for its W3C targets."""
    own = {span.id: span.source_sha256 for span in spans}
    found = evidence_repo.anchors_of(session, list(own))
    return {
        span_id: [
            AnchoredTarget(
                a.pdf_sha256,
                a.status,
                a.page,
                quads_of(a.quads or ()),
                a.start,
                a.end,
            )
            for a in rows
            if a.pdf_sha256 != own[span_id]
        ]
        for span_id, rows in found.items()
    }
