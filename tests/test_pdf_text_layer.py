"""The text layer and mouse selection on PDFs whose every word position is known."""

from __future__ import annotations

import threading
from pathlib import Path

import pymupdf
import pytest

from reviewer_app.pdf import (
    DocumentText,
    WrongThread,
    open_pdf,
    words_between,
    words_in_rect,
)
from tests.pdf_factory import LEFT, line_baseline, line_middle, make_lines_pdf, word_centre_x

PAGES = [
    ["alpha bravo charlie", "delta echo foxtrot", "golf hotel india"],
    ["juliet kilo lima", "mike november oscar"],
]


def _point(page: int, line: int, word: int) -> tuple[int, tuple[float, float]]:
    return page, (word_centre_x(PAGES[page][line], word), line_middle(line))


@pytest.fixture
def layer(tmp_path: Path) -> DocumentText:
    with open_pdf(make_lines_pdf(tmp_path / "lines.pdf", PAGES)) as document:
        return document.text_layer()


def test_text_joins_words_lines_and_pages_with_one_character(layer: DocumentText) -> None:
    assert layer.text == (
        "alpha bravo charlie\ndelta echo foxtrot\ngolf hotel india\fjuliet kilo lima\n"
        "mike november oscar"
    )
    assert layer.page_starts == (0, layer.text.index("juliet"))
    assert [layer.text[w.start : w.end] for w in layer.words_on_page(1)] == (
        ["juliet", "kilo", "lima", "mike", "november", "oscar"]
    )


def test_word_rects_sit_where_the_words_were_drawn(layer: DocumentText) -> None:
    drawn = [
        (page, line, index)
        for page, lines in enumerate(PAGES)
        for line, text in enumerate(lines)
        for index in range(len(text.split()))
    ]
    assert len(layer.words) == len(drawn)
    for word, (page, line, index) in zip(layer.words, drawn, strict=True):
        x0, y0, x1, y1 = word.rect
        assert word.page == page
        assert y0 < line_baseline(line) <= y1
        assert x0 < word_centre_x(PAGES[page][line], index) < x1


def test_span_has_one_quad_per_line_on_each_page(layer: DocumentText) -> None:
    start = layer.text.index("india")
    end = layer.text.index("kilo") + len("kilo")
    span = layer.span(start, end)
    assert span.quote == "india\fjuliet kilo"
    assert span.pages == (0, 1)
    (india,) = span.page_quads[0].quads
    (juliet_kilo,) = span.page_quads[1].quads
    india_left = word_centre_x(PAGES[0][2], 2) - _width("india") / 2
    assert india[0] == pytest.approx(india_left, abs=0.5)
    assert india[1] < line_baseline(2) < india[5]
    assert juliet_kilo[0] == pytest.approx(LEFT, abs=0.5)
    assert juliet_kilo[2] == pytest.approx(LEFT + _width("juliet kilo"), abs=0.5)


def _width(text: str) -> float:
    return pymupdf.Font("helv").text_length(text, fontsize=11)


def test_drag_across_lines_selects_the_words_in_between(layer: DocumentText) -> None:
    span = words_between(layer, *_point(0, 0, 1), *_point(0, 1, 1))
    assert span is not None
    assert span.quote == "bravo charlie\ndelta echo"
    assert len(span.page_quads[0].quads) == 2


def test_drag_across_pages_and_backwards_gives_the_same_span(layer: DocumentText) -> None:
    forwards = words_between(layer, *_point(0, 2, 1), *_point(1, 0, 1))
    backwards = words_between(layer, *_point(1, 0, 1), *_point(0, 2, 1))
    assert forwards is not None
    assert forwards.quote == "hotel india\fjuliet kilo"
    assert forwards.pages == (0, 1)
    assert backwards == forwards


def test_a_point_in_the_margin_snaps_to_its_line(layer: DocumentText) -> None:
    span = words_between(layer, 0, (10.0, line_middle(1)), 0, (580.0, line_middle(1)))
    assert span is not None
    assert span.quote == "delta echo foxtrot"


def test_rubber_band_takes_words_whose_centres_are_inside(layer: DocumentText) -> None:
    top = line_baseline(1) - 11
    bottom = line_baseline(2)
    right = word_centre_x(PAGES[0][2], 1) + 1  # just past the middle of "hotel"
    span = words_in_rect(layer, 0, (0.0, top, right, bottom))
    assert span is not None
    assert span.quote == "delta echo foxtrot\ngolf hotel"
    assert words_in_rect(layer, 0, (0.0, 700.0, 50.0, 800.0)) is None


def test_unknown_page_is_a_clear_error(layer: DocumentText) -> None:
    with pytest.raises(ValueError, match="page 5 does not exist"):
        words_in_rect(layer, 5, (0.0, 0.0, 10.0, 10.0))


def test_documents_refuse_other_threads(tmp_path: Path) -> None:
    document = open_pdf(make_lines_pdf(tmp_path / "lines.pdf", PAGES))
    errors: list[BaseException] = []

    def use_elsewhere() -> None:
        try:
            document.page(0)
        except WrongThread as exc:
            errors.append(exc)

    worker = threading.Thread(target=use_elsewhere)
    worker.start()
    worker.join()
    document.close()
    assert len(errors) == 1
    assert "thread that opened it" in str(errors[0])
