"""Plain geometry and span values shared by the text layer, search and anchoring.

Coordinates are PDF points in PyMuPDF's page space (origin top-left, y down), which is
what ``pymupdf.Rect``/``pymupdf.Quad`` take, so the UI can pass them straight back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reviewer_app.domain.evidence import Quad, SpanPage, parse_quad

Rect = tuple[float, float, float, float]
"""x0, y0, x1, y1."""

# Quad is the domain's (one declaration of it), offered here with the other geometry
__all__ = [
    "PageAnchor",
    "Point",
    "Quad",
    "Rect",
    "TextSpan",
    "page_anchor_from_json",
    "rect_to_quad",
    "union_rect",
]

Point = tuple[float, float]


def rect_to_quad(rect: Rect) -> Quad:
    x0, y0, x1, y1 = rect
    return (x0, y0, x1, y0, x0, y1, x1, y1)


def union_rect(rects: list[Rect]) -> Rect:
    return (
        min(r[0] for r in rects),
        min(r[1] for r in rects),
        max(r[2] for r in rects),
        max(r[3] for r in rects),
    )


PageAnchor = SpanPage
"""Where a span sits on one page: one quad per line the span touches (0-based page). The same
type evidence spans keep their pages in, so a selection's pages are stored as they are."""


def page_anchor_from_json(data: Mapping[str, Any]) -> PageAnchor:
    return PageAnchor(page=int(data["page"]), quads=tuple(parse_quad(q) for q in data["quads"]))


@dataclass(frozen=True)
class TextSpan:
    """Characters ``[start, end)`` of a document's text, with what they say and where they are."""

    start: int
    end: int
    quote: str
    page_quads: tuple[PageAnchor, ...]

    @property
    def pages(self) -> tuple[int, ...]:
        return tuple(anchor.page for anchor in self.page_quads)
