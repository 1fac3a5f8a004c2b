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
"""

from __future__ import annotations

import re

from reviewer_app.domain.records import Benchmark, RecordKind, SynthesisRecord
from reviewer_app.importers.benchmarks import parse_benchmark_table
from reviewer_app.importers.chrome import clean_abstract, without_chrome
from reviewer_app.importers.values import MalformedExport, join_paragraphs

ABOUT_HEADING = "About"
BENCHMARKS_HEADING = "Related benchmarks"
AUTHORS_LINE = re.compile(r"(?P<names>[^•]+?)\s*•\s*(?P<year>\d{4})")
"""``Yuanyang Yin, Yaqi Zhao, ..., Feng Zhao• 2024``: names, a bullet, the year."""


def parse_paper_page(lines: list[str], source_sha256: str) -> SynthesisRecord:
    content = without_chrome(lines)
    stripped = [line.strip() for line in content]
    nonblank = [index for index, line in enumerate(stripped) if line]
    title = stripped[nonblank[0]] if nonblank else ""
    if not title or title in (ABOUT_HEADING, BENCHMARKS_HEADING) or AUTHORS_LINE.fullmatch(title):
        raise MalformedExport("paper page has no title above its About section")
    authors_at = next(
        (index for index, line in enumerate(stripped) if AUTHORS_LINE.fullmatch(line)), None
    )
    if authors_at is None:
        raise MalformedExport(
            "paper page is incomplete: no author line (names followed by '• YEAR')"
        )
    authors_line = AUTHORS_LINE.fullmatch(stripped[authors_at])
    assert authors_line is not None  # found by the same pattern above
    return SynthesisRecord(
        kind=RecordKind.PAPER,
        title=title,
        source_sha256=source_sha256,
        abstract=_abstract(content[nonblank[0] + 1 : authors_at]),
        authors=tuple(
            name.strip() for name in authors_line.group("names").split(",") if name.strip()
        ),
        year=int(authors_line.group("year")),
        benchmarks=_benchmarks(content[authors_at + 1 :]),
    )


def _abstract(lines: list[str]) -> str | None:
    content = [line for line in lines if line.strip()]
    if content and content[0].strip() == ABOUT_HEADING:
        lines = lines[lines.index(content[0]) + 1 :]
    return clean_abstract(join_paragraphs(lines)) or None


def _benchmarks(lines: list[str]) -> tuple[Benchmark, ...]:
    """Rows of the benchmark table after the author line; a page may have no table."""
    content = [line.strip() for line in lines if line.strip()]
    if not content:
        return ()
    if content[0] != BENCHMARKS_HEADING:
        raise MalformedExport(
            f"paper page has an unrecognised line after its author line: {content[0][:60]!r}"
        )
    return parse_benchmark_table(content[1:])
