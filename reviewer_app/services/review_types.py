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
    continuation: tuple[PageAnchor, ...] = ()
    """The pages after ``page`` that the span runs onto there, in page order."""

    @property
    def is_orphan(self) -> bool:
        return self.status == "orphan"

    @property
    def pages(self) -> tuple[PageAnchor, ...]:
        """The stored quads of every page the span covers in this file (none for orphans)."""
        if self.page is None:
            return ()
        return (PageAnchor(self.page, self.quads), *self.continuation)

    def page_anchors(self, doc_text: DocumentText | None = None) -> tuple[PageAnchor, ...]:
        """Quads on every page the span covers in the file it is viewed in.

        With ``doc_text`` (that file's text layer) they are placed from the character offsets;
        without it, or when the offsets lie beyond it, the stored pages are used. Spans stored
        before schema 0003 kept only their first page, so the text layer is preferred.
        """
        if self.start is None or self.end is None:
            return ()
        if doc_text is not None and self.end <= len(doc_text.text):
            return doc_text.span(self.start, self.end).page_quads
        return self.pages


def span_pages(span: TextSpan) -> tuple[PageAnchor, ...]:
    """Every page a selection covers, refused when it covers no words."""
    if not span.page_quads:
        raise EvidenceRefused(f"the selection {span.start}..{span.end} covers no words")
    return span.page_quads
