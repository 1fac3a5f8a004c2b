"""Which of the three formats a text is, decided from its structure (never the file name).

Each format has structural markers - whole lines that only that format has, such as a numbered
section heading or a ``Related benchmarks`` heading. The format with the most markers wins;
words inside prose never count, so an abstract that mentions "Provenance" changes nothing.
"""

from __future__ import annotations

import re

from reviewer_app.domain.records import RecordKind
from reviewer_app.importers.benchmarks import BENCHMARK_TABLE_HEADER
from reviewer_app.importers.chrome import ROWS_SHOWN, without_chrome
from reviewer_app.importers.decoding import text_lines
from reviewer_app.importers.paper import (
    ABOUT_HEADING,
    BENCHMARKS_HEADING,
    paper_heading,
    split_author_line,
)
from reviewer_app.importers.record_sections import RECORD_ID, SECTION_LABELS, section_heading
from reviewer_app.importers.report import report_heading
from reviewer_app.importers.values import parse_long_date

_RECORD_HEADINGS = frozenset(SECTION_LABELS) - {"Abstract"}
_RECORD_HEADER_ROW = re.compile(r"(Submitted|Review score|Verified claims):\s{0,8}\S.*")
_PIPE_ROW = re.compile(r"\|[ \t]{0,8}(?P<label>[^|]{1,60}?)[ \t]{0,8}\|")
# A pipe row counts only when its first cell is a record page label: a markdown claims table in
# a report ("| Claim | Verified | Confidence |") is made of pipe rows too.
_ROW_LABELS = frozenset(label.casefold() for labels in SECTION_LABELS.values() for label in labels)


def detect_format(text: str) -> RecordKind | None:
    """The kind of synthesis export ``text`` is, or None when it is none of them."""
    content = [line.strip() for line in without_chrome(text_lines(text)) if line.strip()]
    scores = {
        RecordKind.REPORT: _report_markers(content),
        RecordKind.RECORD: _record_markers(content),
        RecordKind.PAPER: _paper_markers(content),
    }
    best = max(scores.values())
    winners = [kind for kind, score in scores.items() if score == best]
    return winners[0] if best > 0 and len(winners) == 1 else None


def _report_markers(content: list[str]) -> int:
    # Preamble: title, publisher, date, then the Abstract heading.
    headings = [report_heading(line) for line in content]
    abstract_at = next((i for i, name in enumerate(headings) if name == "abstract"), None)
    preamble = int(
        abstract_at is not None
        and abstract_at >= 3
        and parse_long_date(content[abstract_at - 1]) is not None
    )
    return preamble + sum(1 for name in headings if name and name != "abstract")


def _record_markers(content: list[str]) -> int:
    record_id = int(any(RECORD_ID.fullmatch(line) for line in content[:20]))
    headings = sum(1 for line in content if section_heading(line) in _RECORD_HEADINGS)
    rows = sum(1 for line in content if _RECORD_HEADER_ROW.fullmatch(line) or _is_label_row(line))
    return record_id + headings + rows


def _paper_markers(content: list[str]) -> int:
    about = int(any(paper_heading(line) == ABOUT_HEADING for line in content[:8]))
    return (
        about
        + sum(1 for line in content if split_author_line(line))
        + sum(1 for line in content if paper_heading(line) == BENCHMARKS_HEADING)
        + sum(1 for line in content if BENCHMARK_TABLE_HEADER.fullmatch(line))
        + sum(1 for line in content if ROWS_SHOWN.fullmatch(line))
    )


def _is_label_row(line: str) -> bool:
    row = _PIPE_ROW.match(line)
    return row is not None and row.group("label").casefold() in _ROW_LABELS
