"""Finding quotes and search terms in a document's text layer.

Matching runs on the normalised text (see ``normalize``), so line breaks, hyphenated line
ends, ligatures, curly quotes, dashes and, by default, case do not matter; the spans
returned carry offsets and quotes of the original text and the quads to highlight.
"""

from __future__ import annotations

from collections.abc import Iterator

from reviewer_app.pdf.normalize import NormalizedText, normalize_query
from reviewer_app.pdf.spans import TextSpan
from reviewer_app.pdf.text_layer import DocumentText

DEFAULT_MAX_HITS = 10_000
"""Enough to highlight every hit of a real term; stops a one-letter search early."""


def prepare_for_find(layer: DocumentText) -> DocumentText:
    """Prepare what the first find would otherwise prepare (call it off the GUI thread):
    the case-folded comparison form (2 s for a long manual read from the PDF) and, for a
    stored layer, its word boxes."""
    layer.normalized(ignore_case=True)
    if layer.words:
        layer.words[0]  # a stored layer loads its boxes on first use
    return layer


def find_quote(doc_text: DocumentText, quote: str, *, ignore_case: bool = True) -> list[TextSpan]:
    """Every place where ``quote`` occurs, as a person pasting it would expect."""
    return [
        doc_text.span(start, end)
        for start, end in find_offsets(doc_text, quote, ignore_case=ignore_case)
    ]


def find_all(
    doc_text: DocumentText,
    term: str,
    *,
    ignore_case: bool = True,
    whole_words: bool = False,
    max_hits: int = DEFAULT_MAX_HITS,
) -> list[TextSpan]:
    """Hits of a find-in-document ``term`` in reading order, for highlighting them all."""
    hits = find_offsets(
        doc_text, term, ignore_case=ignore_case, whole_words=whole_words, max_hits=max_hits
    )
    return doc_text.spans(hits)


def find_offsets(
    doc_text: DocumentText,
    needle: str,
    *,
    ignore_case: bool = True,
    whole_words: bool = False,
    max_hits: int | None = None,
) -> list[tuple[int, int]]:
    """Original ``(start, end)`` offsets of the non-overlapping matches of ``needle``."""
    wanted = normalize_query(needle, ignore_case=ignore_case)
    if not wanted:
        return []
    haystack = doc_text.normalized(ignore_case=ignore_case)
    found: list[tuple[int, int]] = []
    for start in _occurrences(haystack.text, wanted):
        end = start + len(wanted)
        if whole_words and not _is_whole_word(haystack, start, end):
            continue
        found.append((start, end))
        if max_hits is not None and len(found) >= max_hits:
            break
    return haystack.to_original_many(found)


def normalized_occurrences(haystack: NormalizedText, wanted: str) -> list[int]:
    """Normalised start indices of the non-overlapping occurrences of ``wanted``."""
    return list(_occurrences(haystack.text, wanted))


def _occurrences(text: str, wanted: str) -> Iterator[int]:
    position = text.find(wanted)
    while position >= 0:
        yield position
        position = text.find(wanted, position + len(wanted))


def _is_whole_word(haystack: NormalizedText, start: int, end: int) -> bool:
    text = haystack.text
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not before.isalnum() and not after.isalnum()
