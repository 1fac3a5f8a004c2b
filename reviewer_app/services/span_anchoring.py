"""Re-anchoring stored spans in other files of the same source, and views of spans per file.

A span is always re-anchored from the selectors stored when it was marked (never from an
earlier re-anchoring), so errors do not pile up across versions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from reviewer_app.pdf import (
    Anchoring,
    DocumentText,
    PageAnchor,
    SpanSelectors,
    TextPositionSelector,
    TextQuoteSelector,
    reanchor,
)
from reviewer_app.services.review_types import SpanStatus, SpanView
from reviewer_app.storage import evidence_repository as evidence_repo
from reviewer_app.storage.review_models import EvidenceSpanRow, SpanAnchorRow
from reviewer_app.storage.row_values import (
    continuation_json,
    evidence_span,
    quads_of,
    stored_continuation,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def selectors_of(row: EvidenceSpanRow) -> SpanSelectors:
    return SpanSelectors(
        quote=TextQuoteSelector(row.exact, row.prefix, row.suffix),
        position=TextPositionSelector(row.start, row.end),
        pages=(
            PageAnchor(row.page, quads_of(row.quads)),
            *stored_continuation(row.continuation, row.page),
        ),
    )


def store_anchorings(
    session: Session, rows: Sequence[EvidenceSpanRow], pdf_sha256: str, layer: DocumentText
) -> list[Anchoring]:
    """Re-anchor ``rows`` in the file ``pdf_sha256`` and keep the outcome (orphans too)."""
    results = []
    for row in rows:
        anchoring = reanchor(selectors_of(row), layer)
        pages = anchoring.span.page_quads if anchoring.span else ()
        first = pages[0] if pages else None
        evidence_repo.put_anchor(
            session,
            row.id,
            pdf_sha256,
            status=anchoring.status,
            page=first.page if first else None,
            quads=[list(q) for q in first.quads] if first else None,
            continuation=continuation_json(pages[1:]),
            start=anchoring.span.start if anchoring.span else None,
            end=anchoring.span.end if anchoring.span else None,
            score=anchoring.score,
        )
        results.append(anchoring)
    return results


def original_view(row: EvidenceSpanRow, reviewer: str, claim_text: str | None) -> SpanView:
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


def anchored_view(
    row: EvidenceSpanRow, reviewer: str, anchor: SpanAnchorRow, claim_text: str | None
) -> SpanView:
    return SpanView(
        span=evidence_span(row, reviewer, claim_text),
        status=cast(SpanStatus, anchor.status),
        source_sha256=anchor.pdf_sha256,
        page=anchor.page,
        quads=quads_of(anchor.quads or []),
        start=anchor.start,
        end=anchor.end,
        score=anchor.score,
        removed=row.removed_at is not None,
        continuation=_anchored_continuation(anchor),
    )


def _anchored_continuation(anchor: SpanAnchorRow) -> tuple[PageAnchor, ...]:
    if anchor.page is None:
        return ()  # an orphan has no pages in that file
    return stored_continuation(anchor.continuation, anchor.page)
