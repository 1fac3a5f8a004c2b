"""Re-anchoring stored spans in other files of the same source.

A span is always re-anchored from the selectors stored when it was marked (never from an
earlier re-anchoring), so errors do not pile up across versions.
"""

from __future__ import annotations

from collections.abc import Sequence

from reviewer_app.domain.evidence import EvidenceSpan
from reviewer_app.pdf import (
    Anchoring,
    DocumentText,
    PageAnchor,
    SpanSelectors,
    TextPositionSelector,
    TextQuoteSelector,
    reanchor,
)
from reviewer_app.storage import span_repository as span_repo
from reviewer_app.storage.database import UnitOfWork


def selectors_of(span: EvidenceSpan) -> SpanSelectors:
    return SpanSelectors(
        quote=TextQuoteSelector(span.exact, span.prefix, span.suffix),
        position=TextPositionSelector(span.start, span.end),
        pages=(PageAnchor(span.page, span.quads), *span.continuation),
    )


def anchor_spans(
    session: UnitOfWork, spans: Sequence[EvidenceSpan], pdf_sha256: str, layer: DocumentText
) -> list[Anchoring]:
    """Re-anchor ``spans`` in the file ``pdf_sha256`` and keep the outcome (orphans too)."""
    results = []
    for span in spans:
        anchoring = reanchor(selectors_of(span), layer)
        span_repo.store_anchoring(
            session,
            span.id,
            pdf_sha256,
            status=anchoring.status,
            pages=anchoring.span.page_quads if anchoring.span else (),
            start=anchoring.span.start if anchoring.span else None,
            end=anchoring.span.end if anchoring.span else None,
            score=anchoring.score,
        )
        results.append(anchoring)
    return results
