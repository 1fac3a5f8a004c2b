"""W3C Web Annotation selectors for a span of a PDF's text, plus where it was drawn.

A span is stored three ways so it survives a new version of the PDF: the exact quote with
some context (``TextQuoteSelector``), its character offsets in the text layer
(``TextPositionSelector``, see ``text_layer`` for how the text is built) and the page quads
(``PageAnchor``) to draw it without re-reading the text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reviewer_app.pdf.spans import PageAnchor, TextSpan, page_anchor_from_json
from reviewer_app.pdf.text_layer import DocumentText

CONTEXT_CHARS = 32
"""Characters of prefix and suffix kept around a quote (Hypothesis keeps 32 too)."""


@dataclass(frozen=True)
class TextQuoteSelector:
    exact: str
    prefix: str = ""
    suffix: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "TextQuoteSelector",
            "exact": self.exact,
            "prefix": self.prefix,
            "suffix": self.suffix,
        }


@dataclass(frozen=True)
class TextPositionSelector:
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {"type": "TextPositionSelector", "start": self.start, "end": self.end}


@dataclass(frozen=True)
class SpanSelectors:
    """Everything stored about one selected span of a PDF."""

    quote: TextQuoteSelector
    position: TextPositionSelector
    pages: tuple[PageAnchor, ...]

    def to_json(self) -> list[dict[str, Any]]:
        """A W3C selector list; the page anchors use our own ``PdfPageAnchor`` type."""
        anchors = [{"type": "PdfPageAnchor", **anchor.to_json()} for anchor in self.pages]
        return [self.quote.to_json(), self.position.to_json(), *anchors]

    @classmethod
    def from_json(cls, items: Sequence[Mapping[str, Any]]) -> SpanSelectors:
        by_type: dict[str, list[Mapping[str, Any]]] = {}
        for item in items:
            by_type.setdefault(str(item.get("type")), []).append(item)
        try:
            (quote,) = by_type["TextQuoteSelector"]
            (position,) = by_type["TextPositionSelector"]
        except (KeyError, ValueError):
            raise ValueError(
                "a span needs exactly one TextQuoteSelector and one TextPositionSelector"
            ) from None
        return cls(
            quote=TextQuoteSelector(
                str(quote["exact"]), str(quote.get("prefix", "")), str(quote.get("suffix", ""))
            ),
            position=TextPositionSelector(int(position["start"]), int(position["end"])),
            pages=tuple(page_anchor_from_json(a) for a in by_type.get("PdfPageAnchor", [])),
        )


def make_selectors(
    doc_text: DocumentText, span: TextSpan, *, context: int = CONTEXT_CHARS
) -> SpanSelectors:
    """The selectors that describe ``span`` of ``doc_text``."""
    text = doc_text.text
    return SpanSelectors(
        quote=TextQuoteSelector(
            exact=text[span.start : span.end],
            prefix=text[max(0, span.start - context) : span.start],
            suffix=text[span.end : span.end + context],
        ),
        position=TextPositionSelector(span.start, span.end),
        pages=span.page_quads,
    )
