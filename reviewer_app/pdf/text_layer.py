"""The text layer of a PDF: one string for the whole document, and where every word sits.

The string is built from ``page.get_text("words")`` in MuPDF's order (block, line, word;
for born-digital papers that is reading order, columns included). Words are joined by
exactly one character: a space within a line, ``"\\n"`` between lines and blocks, and
``"\\f"`` between pages. So the same words laid out on other pages, page sizes or fonts give
the same offsets, which is what lets an anchor stay "exact" across re-typeset versions.
Text keeps what the PDF says (ligature characters included); matching goes through
``normalize``.

A ``DocumentText`` holds no PyMuPDF object, so it may be used on any thread.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from itertools import groupby
from typing import NamedTuple

import pymupdf

from reviewer_app.pdf.normalize import NormalizedText, normalize
from reviewer_app.pdf.spans import PageAnchor, Rect, TextSpan, rect_to_quad, union_rect

WORD_GAP = " "
LINE_BREAK = "\n"
PAGE_BREAK = "\f"

MUPDF_ERRORS: tuple[type[Exception], ...] = (RuntimeError, ValueError, pymupdf.mupdf.FzErrorBase)
"""What PyMuPDF raises on bad input: its own FileDataError is a RuntimeError, while errors
passed through from MuPDF's bindings (FzErrorFormat, ...) derive from Exception only."""

RawWord = tuple[float, float, float, float, str, int, int, int]
"""One tuple of ``page.get_text("words")``: x0, y0, x1, y1, text, block, line, word."""


class WordBox(NamedTuple):
    """One word: ``text[start:end]`` of the document, drawn at ``rect`` on ``page``.

    A named tuple rather than a frozen dataclass: a 2,400-page manual has over a million
    words, and a tuple is several times cheaper to create.
    """

    page: int
    position: int
    """Position in the page's ``get_text("words")`` list."""
    line: tuple[int, int]
    """MuPDF's (block, line) numbers: words sharing them share a line."""
    rect: Rect
    start: int
    end: int


class DocumentText:
    """The whole text of a document with a map from character offsets to words."""

    def __init__(
        self,
        text: str,
        words: Sequence[WordBox],
        page_starts: Sequence[int],
        failed_pages: Iterable[int] = (),
    ) -> None:
        self.text = text
        self.words: Sequence[WordBox] = tuple(words)
        self.page_starts = tuple(page_starts)
        """Offset of each page's first character (its text runs to the next page break)."""
        self.failed_pages = tuple(failed_pages)
        """Pages whose text could not be read (damaged content); they count as empty."""
        self._word_starts = [word.start for word in self.words]
        self._first_word_of_page = [
            bisect_left(self._word_starts, offset) for offset in self.page_starts
        ] + [len(self.words)]
        self._normalized: dict[bool, NormalizedText] = {}

    @property
    def page_count(self) -> int:
        return len(self.page_starts)

    def normalized(self, *, ignore_case: bool) -> NormalizedText:
        """The comparison form of the text (computed once per case mode)."""
        if ignore_case not in self._normalized:
            self._normalized[ignore_case] = normalize(self.text, ignore_case=ignore_case)
        return self._normalized[ignore_case]

    def word_indices_on_page(self, page: int) -> range:
        """Indices (into ``words``) of the words on ``page``, in reading order."""
        if not 0 <= page < self.page_count:
            raise ValueError(f"page {page} does not exist (the document has {self.page_count})")
        return range(self._first_word_of_page[page], self._first_word_of_page[page + 1])

    def words_on_page(self, page: int) -> Sequence[WordBox]:
        indices = self.word_indices_on_page(page)
        return self.words[indices.start : indices.stop]

    def page_of_offset(self, offset: int) -> int:
        return max(0, bisect_right(self.page_starts, offset) - 1)

    def word_indices(self, start: int, end: int) -> range:
        """Indices of the words overlapping characters ``[start, end)``."""
        first = bisect_right(self._word_starts, start) - 1
        if first < 0 or self.words[first].end <= start:
            first += 1
        last = bisect_left(self._word_starts, end) - 1
        return range(first, max(first, last + 1))

    def span(self, start: int, end: int) -> TextSpan:
        """The span of characters ``[start, end)``: its quote and one quad per line touched."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span {start}..{end} is outside the text (0..{len(self.text)})")
        words = [self.words[i] for i in self.word_indices(start, end)]
        anchors = []
        for page, on_page in groupby(words, key=lambda word: word.page):
            quads = tuple(
                rect_to_quad(union_rect([word.rect for word in on_line]))
                for _, on_line in groupby(on_page, key=lambda word: word.line)
            )
            anchors.append(PageAnchor(page, quads))
        return TextSpan(start, end, self.text[start:end], tuple(anchors))

    def spans(self, ranges: Sequence[tuple[int, int]]) -> list[TextSpan]:
        """``span`` of each range (a layer read from packed arrays makes many at once)."""
        return [self.span(start, end) for start, end in ranges]

    def words_span(self, first_word: int, last_word: int) -> TextSpan:
        """The span from the start of one word to the end of another (inclusive)."""
        return self.span(self.words[first_word].start, self.words[last_word].end)


def document_text_from_pages(
    pages: Sequence[Sequence[RawWord]], failed_pages: Iterable[int] = ()
) -> DocumentText:
    """Build the text layer from each page's ``get_text("words")`` tuples."""
    pieces: list[str] = []
    words: list[WordBox] = []
    page_starts: list[int] = []
    offset = 0
    for page_number, raw_words in enumerate(pages):
        if page_number:
            pieces.append(PAGE_BREAK)
            offset += 1
        page_starts.append(offset)
        previous_line: tuple[int, int] | None = None
        for index, raw in enumerate(raw_words):
            word = raw[4]
            line = (raw[5], raw[6])
            if previous_line is not None:
                pieces.append(WORD_GAP if line == previous_line else LINE_BREAK)
                offset += 1
            previous_line = line
            pieces.append(word)
            end = offset + len(word)
            words.append(WordBox(page_number, index, line, raw[:4], offset, end))
            offset = end
    return DocumentText("".join(pieces), words, page_starts, failed_pages)


def build_document_text(document: pymupdf.Document) -> DocumentText:
    """Read the words of every page (on the thread that opened ``document``)."""
    pages: list[list[RawWord]] = []
    failed: list[int] = []
    for number in range(document.page_count):
        try:
            # loaded inside the try: a page the page tree cannot reach (a cycle) fails here
            pages.append(document.load_page(number).get_text("words"))
        except MUPDF_ERRORS:
            # a damaged content stream: the rest of the document is still worth reading
            failed.append(number)
            pages.append([])
    return document_text_from_pages(pages, failed)
