"""The text layer and quote search on a real typeset manual (R's "An Introduction to R").

The PDFs come from Debian's r-doc-pdf: run ``scripts/fetch-test-pdfs`` once. The tests look
in ``$REVIEWER_TEST_PDF_DIR`` (default: ``.cache/test-pdfs`` in the repository) and skip
when the manual is not there.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reviewer_app.pdf import (
    DocumentText,
    find_all,
    find_quote,
    make_selectors,
    open_pdf,
    reanchor,
    words_between,
)

PDF_DIR = Path(
    os.environ.get("REVIEWER_TEST_PDF_DIR", Path(__file__).parents[1] / ".cache" / "test-pdfs")
)
MANUAL = PDF_DIR / "R-intro.pdf"

# The licence paragraph on page 2 (index 1); the PDF breaks its lines after "manual".
LICENCE = (
    "Permission is granted to make and distribute verbatim copies of this manual "
    "provided the copyright notice and this permission notice are preserved on all copies."
)


@pytest.fixture(scope="module")
def manual() -> DocumentText:
    if not MANUAL.is_file():
        pytest.skip(
            f"{MANUAL} is absent: run scripts/fetch-test-pdfs (or set REVIEWER_TEST_PDF_DIR)"
        )
    with open_pdf(MANUAL) as document:
        assert document.page_count > 100
        return document.text_layer()


def test_every_page_of_the_body_has_words(manual: DocumentText) -> None:
    assert manual.failed_pages == ()
    empty = [page for page in range(manual.page_count) if not manual.words_on_page(page)]
    assert len(empty) <= 3  # a blank verso page or two at most
    assert manual.text.startswith("An Introduction to R")


def test_licence_quote_is_found_across_its_line_breaks(manual: DocumentText) -> None:
    (span,) = find_quote(manual, LICENCE)
    assert span.pages == (1,)
    assert "\n" in span.quote  # the match really crossed a line break
    assert len(span.page_quads[0].quads) >= 2
    for x0, y0, _, _, _, _, x1, y1 in span.page_quads[0].quads:
        assert 0 < x0 < x1 < 612 and 0 < y0 < y1 < 792


def test_selection_of_the_same_words_gives_the_same_span(manual: DocumentText) -> None:
    (span,) = find_quote(manual, LICENCE)
    first = span.page_quads[0].quads[0]
    last = span.page_quads[0].quads[-1]
    selected = words_between(manual, 1, (first[0] + 1, first[1] + 2), 1, (last[6] - 1, last[7] - 2))
    assert selected == span


def test_find_all_and_reanchoring_on_a_long_document(manual: DocumentText) -> None:
    hits = find_all(manual, "data frame", whole_words=True)
    assert len(hits) > 20
    assert len({hit.pages for hit in hits}) > 10
    selectors = make_selectors(manual, hits[len(hits) // 2])
    anchoring = reanchor(selectors, manual)
    assert anchoring.status == "exact"
    assert anchoring.span == hits[len(hits) // 2]
