"""Paper pages: title, About paragraph, author line, and the related-benchmarks table.

Layout (blank lines between blocks, chrome around it)::

    SEA: Supervised Embedding Alignment for ...
    About
    <abstract paragraph>
    Yuanyang Yin, Yaqi Zhao, ..., Feng Zhao• 2024
    Related benchmarks
    TaskDatasetResultRank
    ...rows...
    Showing 8 of 8 rows

The title is the line right above the About heading, so that a banner above it (a changed
"Our new X account" line) is kept as unrecognised content rather than taken for the title.
"""

from __future__ import annotations

from reviewer_app.domain.records import Benchmark, RecordKind, SynthesisRecord, Unrecognised
from reviewer_app.importers.benchmarks import parse_benchmark_table
from reviewer_app.importers.chrome import clean_abstract, without_chrome
from reviewer_app.importers.headings import alias_table, heading_key, without_heading_marks
from reviewer_app.importers.paper_vocabulary import (
    ABOUT_HEADING,
    AUTHOR_YEAR_SEPARATORS,
    BENCHMARKS_HEADING,
    PAPER_HEADINGS,
    PUBLICATION_YEARS,
)
from reviewer_app.importers.values import MalformedExport, join_paragraphs

__all__ = ["ABOUT_HEADING", "BENCHMARKS_HEADING", "parse_paper_page", "split_author_line"]

MAX_AUTHOR_LINE = 5000
BEFORE_TITLE = "before the title"
_HEADINGS = alias_table(PAPER_HEADINGS)


def paper_heading(line: str) -> str | None:
    """The canonical heading ``line`` is (About, Related benchmarks), or None."""
    key = heading_key(line)
    return _HEADINGS.get(key) if key else None


def split_author_line(line: str) -> tuple[list[str], int] | None:
    """``Yuanyang Yin, ..., Feng Zhao• 2024`` -> (names, 2024); None for any other line.

    Plain string operations, no pattern: this runs on every line of every file during format
    detection, and must stay linear however long a line is.
    """
    line = line.strip()
    if len(line) > MAX_AUTHOR_LINE:
        return None
    cut = max(line.rfind(separator) for separator in AUTHOR_YEAR_SEPARATORS)
    if cut <= 0:
        return None
    year = line[cut + 1 :].strip()
    names = [name.strip() for name in line[:cut].split(",") if name.strip()]
    if len(year) != 4 or not year.isascii() or not year.isdigit() or not names:
        return None
    if int(year) not in PUBLICATION_YEARS:
        return None
    return names, int(year)


def parse_paper_page(lines: list[str], source_sha256: str) -> SynthesisRecord:
    content = without_chrome(lines)
    stripped = [line.strip() for line in content]
    kept: list[Unrecognised] = []
    authors_at = next(
        (index for index, line in enumerate(stripped) if split_author_line(line)), None
    )
    if authors_at is None:
        raise MalformedExport(
            "paper page is incomplete: no author line (names followed by '• YEAR')"
        )
    about_at = next(
        (i for i in range(authors_at) if paper_heading(stripped[i]) == ABOUT_HEADING),
        None,
    )
    above = [i for i in range(about_at if about_at is not None else authors_at) if stripped[i]]
    if not above:
        raise MalformedExport("paper page has no title above its About section")
    # With an About heading the title is right above it; without one, the first line.
    title_at = above[-1] if about_at is not None else above[0]
    kept += [Unrecognised(BEFORE_TITLE, stripped[i]) for i in above if i < title_at]
    abstract_start = about_at + 1 if about_at is not None else title_at + 1
    authors_line = split_author_line(stripped[authors_at])
    assert authors_line is not None  # found by the same function above
    names, year = authors_line
    return SynthesisRecord(
        kind=RecordKind.PAPER,
        title=without_heading_marks(stripped[title_at]),
        source_sha256=source_sha256,
        abstract=clean_abstract(join_paragraphs(content[abstract_start:authors_at])) or None,
        authors=tuple(names),
        year=year,
        benchmarks=_benchmarks(stripped[authors_at + 1 :], kept),
        unrecognised=tuple(kept),
    )


def _benchmarks(lines: list[str], kept: list[Unrecognised]) -> tuple[Benchmark, ...]:
    """Rows of the benchmark table after the author line; a page may have no table."""
    content = [line for line in lines if line]
    heading_at = next(
        (i for i, line in enumerate(content) if paper_heading(line) == BENCHMARKS_HEADING),
        None,
    )
    if heading_at is None:
        kept += [Unrecognised("after the author line", line) for line in content]
        return ()
    kept += [Unrecognised("after the author line", line) for line in content[:heading_at]]
    return parse_benchmark_table(content[heading_at + 1 :], kept)
