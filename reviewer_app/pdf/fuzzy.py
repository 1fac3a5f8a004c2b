"""Approximate search for a quote whose text changed between versions (rapidfuzz)."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process


@dataclass(frozen=True)
class FuzzyHit:
    start: int
    end: int
    similarity: float
    """``fuzz.ratio`` of the quote and ``text[start:end]``, 0..1."""


NEARBY_CHARS = 20_000
"""How far (normalised characters, about five pages) from the old position to look first."""


def fuzzy_find(
    text: str,
    wanted: str,
    *,
    min_similarity: float,
    near: int | None = None,
    limit: int = 5,
) -> list[FuzzyHit]:
    """The best approximate occurrences of ``wanted`` in ``text`` (both normalised).

    When ``near`` is given, the text within ``NEARBY_CHARS`` of it is searched first and
    the whole text only if nothing there is similar enough: edits are mostly local, and
    this makes re-anchoring a changed span in a 2,000-page manual take milliseconds, not a
    second. Orphans still cost one search of the whole text.
    """
    if not wanted or not text:
        return []
    if near is not None:
        low, high = max(0, near - NEARBY_CHARS), min(len(text), near + NEARBY_CHARS)
        hits = _search(text, wanted, low, high, min_similarity, limit)
        if hits or (low, high) == (0, len(text)):
            return hits
    return _search(text, wanted, 0, len(text), min_similarity, limit)


def _search(
    text: str, wanted: str, low: int, high: int, min_similarity: float, limit: int
) -> list[FuzzyHit]:
    """Search ``text[low:high]``.

    The range is cut into overlapping windows 2.5 quotes long, one quote apart, so any
    occurrence up to 1.5 times the quote's length lies whole in one window. rapidfuzz
    scores all windows in C; the best few are aligned with ``partial_ratio_alignment`` and
    their ends moved to the word boundaries that fit the quote best.
    """
    length = len(wanted)
    size = length * 5 // 2
    starts = range(low, max(low + 1, high - length + 1), length)
    windows = [text[start : min(high, start + size)] for start in starts]
    best = process.extract(
        wanted, windows, scorer=fuzz.partial_ratio, limit=limit, score_cutoff=min_similarity * 100
    )
    hits = []
    for _, _, window_index in best:
        alignment = fuzz.partial_ratio_alignment(wanted, windows[window_index])
        if alignment is None or alignment.dest_end <= alignment.dest_start:
            continue
        offset = starts[window_index]
        hit = _fit_to_words(
            text, wanted, offset + alignment.dest_start, offset + alignment.dest_end
        )
        if hit.similarity >= min_similarity:
            hits.append(hit)
    return hits


def _fit_to_words(text: str, wanted: str, start: int, end: int) -> FuzzyHit:
    """Try the word boundaries near ``start`` and ``end``; keep the pair closest to the quote.

    ``partial_ratio`` aligns a stretch as long as the quote, which cuts words when the
    new text is longer or shorter than the old.
    """
    slack = max(8, len(wanted) // 4)
    starts = {start} | {
        i
        for i in range(max(0, start - slack), min(len(text), start + slack))
        if _starts_word(text, i)
    }
    ends = {end} | {
        i
        for i in range(max(1, end - slack), min(len(text), end + slack) + 1)
        if _ends_word(text, i)
    }
    score, best_start, best_end = max(
        (fuzz.ratio(wanted, text[a:b]), a, b) for a in starts for b in ends if b > a
    )
    return FuzzyHit(best_start, best_end, score / 100)


def _starts_word(text: str, i: int) -> bool:
    return text[i] != " " and (i == 0 or text[i - 1] == " ")


def _ends_word(text: str, i: int) -> bool:
    return text[i - 1] != " " and (i == len(text) or text[i] == " ")
