"""An evidence span as drawn on one file: the file it was marked in, or another version of its
source where it was re-anchored."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from reviewer_app.domain.evidence import EvidenceSpan, Quad, SpanPage

SpanStatus = Literal["original", "exact", "moved", "changed", "orphan"]
"""``original``: shown on the file it was marked in; the others say how it was re-anchored."""


class PlacedText(Protocol):
    @property
    def page_quads(self) -> tuple[SpanPage, ...]: ...


class TextLayer(Protocol):
    """What ``page_anchors`` needs of a file's text layer (``pdf.DocumentText``); the domain
    does not import the PDF package."""

    @property
    def text(self) -> str: ...

    def span(self, start: int, end: int) -> PlacedText: ...


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
    continuation: tuple[SpanPage, ...] = ()
    """The pages after ``page`` that the span runs onto there, in page order."""

    @property
    def is_orphan(self) -> bool:
        return self.status == "orphan"

    @property
    def pages(self) -> tuple[SpanPage, ...]:
        """The stored quads of every page the span covers in this file (none for orphans)."""
        if self.page is None:
            return ()
        return (SpanPage(self.page, self.quads), *self.continuation)

    def page_anchors(self, doc_text: TextLayer | None = None) -> tuple[SpanPage, ...]:
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
