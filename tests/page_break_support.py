"""A paper whose key sentence runs from the bottom of page 1 to the top of page 2, in two
layouts (A4 Helvetica, Letter Times), for the tests of spans over a page break. No tests here."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pymupdf

from tests.pdf_factory import FontName, PageSize, filler_paragraph, make_lines_pdf

BEFORE_BREAK = "Our second experiment shows that the pooled alignment score rises"
AFTER_BREAK = "steadily with the number of experts on VQAv2, as Table 2 reports."
CROSSING_QUOTE = "the pooled alignment score rises steadily with the number of experts"
ONE_PAGE_QUOTE = "A closing remark ends the paper"
FILLER_LINES = textwrap.wrap(filler_paragraph(7, 3000), 80)[:39]
"""Enough lines to push ``BEFORE_BREAK`` to the bottom of page 1 (A4 and Letter, 11 pt)."""


def make_page_break_lines(extra_lines: int = 0) -> list[list[str]]:
    """The two pages' lines: page 1 ends with ``BEFORE_BREAK``, page 2 starts with
    ``AFTER_BREAK``. ``extra_lines`` other filler lines near the top of page 1 move the
    sentence's character offsets while it still crosses the same page break."""
    extra = textwrap.wrap(filler_paragraph(8, 80 * extra_lines), 80)[:extra_lines]
    first = [
        "Probing Linguistic Knowledge in Vision-Language Pretraining",
        "arXiv:2407.17856v4 [cs.CV] 24 Jul 2024",
        *extra,
        *FILLER_LINES[: len(FILLER_LINES) - extra_lines],
        BEFORE_BREAK,
    ]
    return [first, [AFTER_BREAK, f"{ONE_PAGE_QUOTE}."]]


def make_page_break_paper(
    path: Path,
    *,
    page_size: PageSize = "a4",
    fontname: FontName = "helv",
    extra_lines: int = 0,
) -> Path:
    return make_lines_pdf(
        path, make_page_break_lines(extra_lines), page_size=page_size, fontname=fontname
    )


def page_size_of(path: Path, page: int) -> tuple[float, float]:
    with pymupdf.open(path) as document:
        rect = document[page].rect
        return rect.width, rect.height


def quads_inside(
    quads: list[list[float]] | tuple[tuple[float, ...], ...],
    *,
    width: float,
    top: float,
    bottom: float,
) -> bool:
    """Every quad has 8 numbers, lies within the page's width and between ``top`` and
    ``bottom`` (PDF points, y down)."""
    return all(
        len(quad) == 8
        and all(0 <= x <= width for x in quad[0::2])
        and all(top <= y <= bottom for y in quad[1::2])
        for quad in quads
    )
