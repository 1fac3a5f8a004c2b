"""Mouse selection on rendered pages turned into text spans (word-accurate)."""

from __future__ import annotations

from reviewer_app.pdf.spans import Point, Rect, TextSpan
from reviewer_app.pdf.text_layer import DocumentText, WordBox


def words_between(
    doc_text: DocumentText, page_a: int, point_a: Point, page_b: int, point_b: Point
) -> TextSpan | None:
    """The words a drag from ``point_a`` on ``page_a`` to ``point_b`` on ``page_b`` selects.

    Each end snaps to the nearest word on its page (a word on the same line wins over one
    nearer in a straight line), and everything between the two words in reading order is
    selected, across lines and pages; dragging backwards gives the same span. An end on a
    page without words moves to the nearest word beyond it, towards the other end.
    ``None`` when there are no words between the two points.
    """
    forwards = (page_a, point_a[1], point_a[0]) <= (page_b, point_b[1], point_b[0])
    first = _snap(doc_text, page_a, point_a, towards_end=forwards)
    last = _snap(doc_text, page_b, point_b, towards_end=not forwards)
    if first is None or last is None:
        return None
    if page_a == page_b and _block_at(doc_text, page_b, point_b) is None:
        # The drag ended between blocks (the gutter of a two-column page): it follows the
        # block it started in, rather than jumping to a word of the other column that
        # happens to share the line, which would take in everything between.
        block = doc_text.words[first].line[0]
        in_block = [
            i for i in doc_text.word_indices_on_page(page_b) if _block(doc_text, i) == block
        ]
        last = min(in_block, key=lambda i: _distance(doc_text.words[i], point_b))
    if first > last:
        first, last = last, first
    return doc_text.words_span(first, last)


def words_in_rect(doc_text: DocumentText, page: int, rect: Rect) -> TextSpan | None:
    """The words whose centres lie inside ``rect`` on ``page`` (a rubber-band selection).

    The span runs from the first to the last such word in reading order, so on a two-column
    page a rectangle across both columns also takes the text in between.
    """
    x0, y0, x1, y1 = rect
    inside = [
        i
        for i in doc_text.word_indices_on_page(page)
        if x0 <= _centre(doc_text.words[i])[0] <= x1 and y0 <= _centre(doc_text.words[i])[1] <= y1
    ]
    if not inside:
        return None
    return doc_text.words_span(inside[0], inside[-1])


def nearest_word(doc_text: DocumentText, page: int, point: Point) -> int | None:
    """Index (into ``doc_text.words``) of the word on ``page`` nearest to ``point``."""
    candidates = doc_text.word_indices_on_page(page)
    if not candidates:
        return None
    return min(candidates, key=lambda i: _distance(doc_text.words[i], point))


def _snap(doc_text: DocumentText, page: int, point: Point, *, towards_end: bool) -> int | None:
    found = nearest_word(doc_text, page, point)
    if found is not None:
        return found
    pages = range(page + 1, doc_text.page_count) if towards_end else range(page - 1, -1, -1)
    for other in pages:
        indices = doc_text.word_indices_on_page(other)
        if indices:
            return indices[0] if towards_end else indices[-1]
    return None


def _block(doc_text: DocumentText, index: int) -> int:
    return doc_text.words[index].line[0]


def _block_at(doc_text: DocumentText, page: int, point: Point) -> int | None:
    """MuPDF's number of the text block whose bounding box holds ``point``, if any."""
    boxes: dict[int, list[float]] = {}
    for i in doc_text.word_indices_on_page(page):
        x0, y0, x1, y1 = doc_text.words[i].rect
        box = boxes.setdefault(_block(doc_text, i), [x0, y0, x1, y1])
        box[:] = [min(box[0], x0), min(box[1], y0), max(box[2], x1), max(box[3], y1)]
    x, y = point
    return next(
        (b for b, (x0, y0, x1, y1) in boxes.items() if x0 <= x <= x1 and y0 <= y <= y1), None
    )


def _distance(word: WordBox, point: Point) -> tuple[float, float]:
    x, y = point
    x0, y0, x1, y1 = word.rect
    dx = max(x0 - x, 0.0, x - x1)
    dy = max(y0 - y, 0.0, y - y1)
    return (dy, dx)


def _centre(word: WordBox) -> Point:
    x0, y0, x1, y1 = word.rect
    return ((x0 + x1) / 2, (y0 + y1) / 2)
