"""Accepting a suggestion as evidence: stored exactly like a span dragged over its words."""

from __future__ import annotations

from reviewer_app.domain.evidence import EvidenceSpan, Stance
from reviewer_app.errors import NotFound
from reviewer_app.pdf import DocumentText
from reviewer_app.services.review import ReviewService
from reviewer_app.services.suggestions import SuggestionService
from reviewer_app.services.text_layers import TextLayers
from reviewer_app.storage.records_repository import record_key


def accept_suggestion(
    review: ReviewService,
    suggestions: SuggestionService,
    record_id: str,
    claim_position: int,
    rank: int,
    *,
    stance: Stance | str,
    reviewer: str,
    note: str | None = None,
    doc_text: DocumentText | None = None,
) -> EvidenceSpan:
    """Store suggestion ``rank`` (1-based) of the claim's last ranking as evidence."""
    ranking = suggestions.last_ranking(record_id, claim_position)
    key = record_key(record_id)
    if not ranking:
        raise NotFound(
            f"claim {claim_position} of record {key} has no suggestions yet "
            f"(run: reviewer-app suggest {key} --claim {claim_position})"
        )
    chosen = next((c for c in ranking if c["rank"] == rank), None)
    if chosen is None:
        raise NotFound(
            f"claim {claim_position} of record {key}: no suggestion {rank} in the last ranking "
            f"(it has {len(ranking)})"
        )
    sha256 = str(chosen["source_sha256"])
    layer = doc_text or TextLayers(review.pdf_store, 1, review.database).get(sha256)
    return review.add_span(
        record_id,
        claim_position,
        reviewer=reviewer,
        source_sha256=sha256,
        span=layer.span(int(chosen["start"]), int(chosen["end"])),
        doc_text=layer,
        stance=stance,
        note=note,
    )
