"""A document's text layer cut into passages (sentences) for the evidence finder.

A passage is a sentence of one page, or a piece of a very long "sentence" (tables, code,
reference lists have no full stops), with its exact character range in the text layer, so
a passage accepted as evidence is stored like a span dragged over the same words. ``text``
is the form shown and searched: ligatures (Unicode and TeX T1 codes) spelled out, hyphenated
line ends joined, typographic quotes made plain and whitespace collapsed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from reviewer_app.pdf.normalize import T1_LIGATURES
from reviewer_app.pdf.text_layer import LINE_BREAK, PAGE_BREAK, WORD_GAP, DocumentText, RawWord

MAX_PASSAGE_CHARS = 420
"""Longer sentences are cut at a word gap near this length: ranking and reading both suffer
from passages that are half a page of a table."""
MIN_PASSAGE_CHARS = 30
"""A shorter piece (a heading, a figure label) is joined to the sentence after it."""

# a sentence ends at . ! ? (maybe closed by quotes or brackets) before a space and a capital,
# digit, quote or bracket; "e.g. the" and "Fig. 3" rarely matter for ranking
_SENTENCE_END = re.compile(r"[.!?][\"')\]’”]*(?=\s+[\"'(\[‘“A-Z0-9])")
_HYPHEN_BREAK = re.compile(r"(?<=\w)[-\u00ad\u2010]\n(?=[a-z])")
_WHITESPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\u00ad": ""})
_T1 = str.maketrans(T1_LIGATURES)


@dataclass(frozen=True)
class Passage:
    ordinal: int
    page: int
    """0-based."""
    start: int
    end: int
    """``doc_text.text[start:end]`` is the passage as the PDF has it."""
    text: str
    """The display and search form (see the module docstring)."""


def display_text(raw: str) -> str:
    """The form a passage is shown and searched in."""
    text = _HYPHEN_BREAK.sub("", raw.translate(_T1))
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _WHITESPACE.sub(" ", text).strip()


def split_passages(doc_text: DocumentText) -> list[Passage]:
    """Every page's sentences, in reading order."""
    text = doc_text.text
    pages = []
    for page, page_start in enumerate(doc_text.page_starts):
        page_end = text.find(PAGE_BREAK, page_start)
        page_end = len(text) if page_end < 0 else page_end
        pages.append((page, page_start, text[page_start:page_end]))
    passages: list[Passage] = []
    for page, offset, page_text in pages:
        passages.extend(page_passages(page, offset, page_text, first_ordinal=len(passages)))
    return passages


def page_passages(
    page: int, offset: int, page_text: str, *, first_ordinal: int = 0
) -> list[Passage]:
    """The passages of one page whose text starts at ``offset`` of the document's text."""
    found: list[Passage] = []
    for start, end in _page_pieces(page_text, 0, len(page_text)):
        shown = display_text(page_text[start:end])
        if shown:
            ordinal = first_ordinal + len(found)
            found.append(Passage(ordinal, page, offset + start, offset + end, shown))
    return found


def iter_page_texts(pages: Iterable[Sequence[RawWord]]) -> Iterator[tuple[int, int, str]]:
    """``(page, offset, text)`` of each page, joined exactly as ``document_text_from_pages``
    joins them, without keeping every word of a 2,000-page manual in memory at once."""
    offset = 0
    for page_number, raw_words in enumerate(pages):
        if page_number:
            offset += len(PAGE_BREAK)
        pieces: list[str] = []
        previous_line: tuple[int, int] | None = None
        for raw in raw_words:
            line = (raw[5], raw[6])
            if previous_line is not None:
                pieces.append(WORD_GAP if line == previous_line else LINE_BREAK)
            previous_line = line
            pieces.append(raw[4])
        page_text = "".join(pieces)
        yield page_number, offset, page_text
        offset += len(page_text)


def _page_pieces(text: str, page_start: int, page_end: int) -> Iterator[tuple[int, int]]:
    pending: int | None = None  # start of a short piece waiting to be joined
    cursor = page_start
    for start, end in _sentences(text, page_start, page_end):
        if pending is None:
            pending = start
        if end - pending < MIN_PASSAGE_CHARS and end < page_end:
            cursor = end
            continue
        yield from _cut_long(text, pending, end)
        pending = None
        cursor = end
    if pending is not None and cursor > pending:
        yield from _cut_long(text, pending, cursor)


def _sentences(text: str, page_start: int, page_end: int) -> Iterator[tuple[int, int]]:
    start = page_start
    for match in _SENTENCE_END.finditer(text, page_start, page_end):
        end = match.end()
        yield from _trimmed(text, start, end)
        start = end
    yield from _trimmed(text, start, page_end)


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


def _cut_long(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while end - start > MAX_PASSAGE_CHARS:
        cut = _word_gap_before(text, start, start + MAX_PASSAGE_CHARS)
        yield start, cut
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        yield start, end


def _word_gap_before(text: str, start: int, limit: int) -> int:
    # prefer a line break (a table row, a code line), then any gap, in the last third
    floor = start + MAX_PASSAGE_CHARS * 2 // 3
    for gap in ("\n", " "):
        cut = text.rfind(gap, floor, limit)
        if cut > start:
            return cut
    return limit
