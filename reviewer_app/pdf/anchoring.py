"""Re-anchoring stored spans in a new version of a PDF (v2 → v4, other layout or fonts).

The approach of Hypothesis' dom-anchor-text-quote: find the quote, and when it occurs more
than once, or only approximately, weigh quote similarity (50), prefix (20), suffix (20) and
closeness to the old position (2) to pick the place. Outcomes:

- ``exact``: the quote is still at the same character offsets;
- ``moved``: the quote is unchanged but elsewhere (best-matching occurrence chosen);
- ``changed``: no exact occurrence, but a fuzzy one at least ``min_similarity`` alike;
- ``orphan``: nothing close enough. The caller keeps orphans (and their old page quads).

Comparisons use the case-sensitive normalised form (see ``normalize``), so a new line
layout, hyphenation, ligatures or typographic quotes alone never make a span "changed".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

from reviewer_app.pdf.fuzzy import fuzzy_find
from reviewer_app.pdf.normalize import NormalizedText, normalize, normalize_query
from reviewer_app.pdf.search import normalized_occurrences
from reviewer_app.pdf.selectors import (
    CONTEXT_CHARS,
    SpanSelectors,
    TextPositionSelector,
    TextQuoteSelector,
    make_selectors,
)
from reviewer_app.pdf.spans import PageAnchor, TextSpan
from reviewer_app.pdf.text_layer import DocumentText

__all__ = [
    "CONTEXT_CHARS",
    "MIN_SIMILARITY",
    "AnchorStatus",
    "Anchoring",
    "PageAnchor",
    "ReanchorReport",
    "SpanSelectors",
    "TextPositionSelector",
    "TextQuoteSelector",
    "make_selectors",
    "reanchor",
    "reanchor_all",
]

AnchorStatus = Literal["exact", "moved", "changed", "orphan"]
STATUSES: tuple[AnchorStatus, ...] = ("exact", "moved", "changed", "orphan")

MIN_SIMILARITY = 0.75
"""Least ``fuzz.ratio`` (0..1) between old and new quote for a ``changed`` anchoring."""

_QUOTE_WEIGHT, _PREFIX_WEIGHT, _SUFFIX_WEIGHT, _POSITION_WEIGHT = 50, 20, 20, 2
_TOTAL_WEIGHT = _QUOTE_WEIGHT + _PREFIX_WEIGHT + _SUFFIX_WEIGHT + _POSITION_WEIGHT


@dataclass(frozen=True)
class Anchoring:
    """Where a stored span landed in the new text; ``span`` is ``None`` for orphans."""

    status: AnchorStatus
    span: TextSpan | None
    score: float
    """1.0 for exact; else the weighted quote/prefix/suffix/position score (0..1); for
    orphans the best score seen."""
    selectors: SpanSelectors
    """The stored selectors, kept so an orphan is never lost."""


@dataclass(frozen=True)
class ReanchorReport:
    results: tuple[Anchoring, ...]
    """One per input, in input order."""

    def with_status(self, status: AnchorStatus) -> tuple[Anchoring, ...]:
        return tuple(result for result in self.results if result.status == status)

    @property
    def counts(self) -> dict[AnchorStatus, int]:
        counted = Counter(result.status for result in self.results)
        return {status: counted[status] for status in STATUSES}

    @property
    def moved(self) -> tuple[Anchoring, ...]:
        return self.with_status("moved")

    @property
    def changed(self) -> tuple[Anchoring, ...]:
        return self.with_status("changed")

    @property
    def orphans(self) -> tuple[Anchoring, ...]:
        return self.with_status("orphan")

    def summary(self) -> str:
        """One line such as ``12 spans: 9 exact, 1 moved, 1 changed, 1 orphan``."""
        parts = ", ".join(f"{n} {status}" for status, n in self.counts.items())
        return f"{len(self.results)} spans: {parts}"


def reanchor(
    selectors: SpanSelectors, new_doc_text: DocumentText, *, min_similarity: float = MIN_SIMILARITY
) -> Anchoring:
    """Find the span described by ``selectors`` in ``new_doc_text``."""
    wanted = normalize_query(selectors.quote.exact)
    position = selectors.position
    new_text = new_doc_text.text
    if not wanted:
        return Anchoring("orphan", None, 0.0, selectors)
    if (
        position.end <= len(new_text)
        and normalize_query(new_text[position.start : position.end]) == wanted
    ):
        return Anchoring("exact", new_doc_text.span(position.start, position.end), 1.0, selectors)

    haystack = new_doc_text.normalized(ignore_case=False)
    scorer = _PlaceScorer(selectors, haystack)
    exact_starts = normalized_occurrences(haystack, wanted)
    if exact_starts:
        places = [(start, start + len(wanted), 1.0) for start in exact_starts]
        status: AnchorStatus = "moved"
    else:
        near = haystack.index_at_or_after(position.start)
        hits = fuzzy_find(haystack.text, wanted, min_similarity=min_similarity, near=near)
        places = [(hit.start, hit.end, hit.similarity) for hit in hits]
        status = "changed"
    if not places:
        return Anchoring("orphan", None, 0.0, selectors)
    score, start, end = max((scorer.score(*place), place[0], place[1]) for place in places)
    original_start, original_end = haystack.to_original(start, end)
    return Anchoring(status, new_doc_text.span(original_start, original_end), score, selectors)


def reanchor_all(
    selectors: Iterable[SpanSelectors],
    new_doc_text: DocumentText,
    *,
    min_similarity: float = MIN_SIMILARITY,
) -> ReanchorReport:
    """Re-anchor many spans in one new text; the report lists every outcome."""
    return ReanchorReport(
        tuple(reanchor(s, new_doc_text, min_similarity=min_similarity) for s in selectors)
    )


class _PlaceScorer:
    """Weighs a candidate place by quote similarity, context and closeness."""

    def __init__(self, selectors: SpanSelectors, haystack: NormalizedText) -> None:
        self._haystack = haystack
        self._prefix = normalize(selectors.quote.prefix).text
        self._suffix = normalize(selectors.quote.suffix).text
        self._old_start = selectors.position.start
        self._text_length = max(1, haystack.ends[-1] if len(haystack.ends) else 1)

    def score(self, start: int, end: int, quote_similarity: float) -> float:
        text = self._haystack.text
        before = text[max(0, start - len(self._prefix)) : start]
        after = text[end : end + len(self._suffix)]
        original_start = self._haystack.starts[start]
        closeness = 1 - min(1.0, abs(original_start - self._old_start) / self._text_length)
        total = (
            _QUOTE_WEIGHT * quote_similarity
            + _PREFIX_WEIGHT * _similarity(self._prefix, before)
            + _SUFFIX_WEIGHT * _similarity(self._suffix, after)
            + _POSITION_WEIGHT * closeness
        )
        return total / _TOTAL_WEIGHT


def _similarity(stored: str, found: str) -> float:
    if not stored and not found:
        return 1.0
    return fuzz.ratio(stored, found) / 100
