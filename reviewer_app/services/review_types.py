"""What the review service hands to the CLI and the review window: plain, immutable values."""

from __future__ import annotations

from dataclasses import dataclass

from reviewer_app.domain.evidence import Verdict
from reviewer_app.domain.sources import AttachedSource
from reviewer_app.domain.span_views import SpanStatus, SpanView
from reviewer_app.errors import ReviewerAppError
from reviewer_app.pdf import PageAnchor, ReanchorReport, TextSpan

# SpanView, SpanStatus and AttachedSource live in the domain now (storage builds them); still
# importable here.
__all__ = [
    "AttachResult",
    "AttachedSource",
    "ClaimState",
    "EvidenceRefused",
    "QuoteNotFound",
    "SourceSlot",
    "SpanStatus",
    "SpanView",
    "span_pages",
]


class EvidenceRefused(ReviewerAppError):
    """An evidence span or verdict that breaks a review rule; nothing was stored."""


class QuoteNotFound(ReviewerAppError):
    """A quote to annotate does not occur in the PDF."""


@dataclass(frozen=True)
class SourceSlot:
    """A reference of the record (or, with ``reference_url`` None, files matching none)."""

    reference_url: str | None
    arxiv_id: str | None
    arxiv_version: int | None
    files: list[AttachedSource]
    """Newest first; the first is the one to show."""


@dataclass(frozen=True)
class AttachResult:
    source: AttachedSource
    reanchor: ReanchorReport | None
    """Set when another file was already attached for the same reference: where that
    reference's live spans landed in the new file (one result per span, orphans included)."""
    already_attached: bool = False
    """The same file (by SHA-256) was attached to this record before; nothing new stored."""
    warnings: tuple[str, ...] = ()
    """Said to the person attaching: e.g. the file was cut off and had to be repaired."""


@dataclass(frozen=True)
class ClaimState:
    """A claim as one reviewer sees it."""

    position: int
    text: str
    confidence: float
    verified: bool
    verdict: Verdict | None
    reason: str | None
    note: str | None
    evidence_count: int
    """Live evidence spans this reviewer marked for the claim."""

    @property
    def settled(self) -> bool:
        return self.verdict is not None


def span_pages(span: TextSpan) -> tuple[PageAnchor, ...]:
    """Every page a selection covers, refused when it covers no words."""
    if not span.page_quads:
        raise EvidenceRefused(f"the selection {span.start}..{span.end} covers no words")
    return span.page_quads
