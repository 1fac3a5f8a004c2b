"""What the review service hands to the CLI and the review window: plain, immutable values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from reviewer_app.domain.evidence import EvidenceSpan, Quad, Verdict
from reviewer_app.errors import ReviewerAppError
from reviewer_app.pdf import PageAnchor, ReanchorReport, TextSpan
from reviewer_app.pdf.text_layer import DocumentText

SpanStatus = Literal["original", "exact", "moved", "changed", "orphan"]
"""``original``: shown on the file it was marked in; the others say how it was re-anchored."""


class EvidenceRefused(ReviewerAppError):
    """An evidence span or verdict that breaks a review rule; nothing was stored."""


class QuoteNotFound(ReviewerAppError):
    """A quote to annotate does not occur in the PDF."""


@dataclass(frozen=True)
class AttachedSource:
    """One PDF attached to a record."""

    sha256: str
    file_name: str
    reference_url: str | None
    arxiv_id: str | None
    arxiv_version: int | None
    size: int
    page_count: int
    attached_at: datetime
    attached_by: str | None


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


@dataclass(frozen=True)
class SpanView:
    """An evidence span as drawn on one file: its own, or another version of its source."""

    span: EvidenceSpan
    status: SpanStatus
    source_sha256: str
    """The file this view places the span in."""
    page: int | None
    """0-based page of the span's first line there; None for orphans."""
    quads: tuple[Quad, ...]
    """Quads on ``page`` (empty for orphans)."""
    start: int | None
    end: int | None
    """Character offsets in that file's text layer; None for orphans."""
    score: float | None = None
    removed: bool = False

    @property
    def is_orphan(self) -> bool:
        return self.status == "orphan"

    def page_anchors(self, doc_text: DocumentText) -> tuple[PageAnchor, ...]:
        """Quads on every page the span covers, from ``doc_text`` of the file it is viewed in.

        Only the first page's quads are stored; a span running onto the next page is redrawn
        from its character offsets.
        """
        if self.start is None or self.end is None:
            return ()
        if self.end <= len(doc_text.text):
            return doc_text.span(self.start, self.end).page_quads
        return (PageAnchor(self.page, self.quads),) if self.page is not None else ()


def first_page(span: TextSpan) -> PageAnchor:
    if not span.page_quads:
        raise EvidenceRefused(f"the selection {span.start}..{span.end} covers no words")
    return span.page_quads[0]
