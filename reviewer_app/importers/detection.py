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
from reviewer_app.importers.paper import AUTHORS_LINE, BENCHMARKS_HEADING
from reviewer_app.importers.record_sections import RECORD_ID, SECTION_LABELS
from reviewer_app.importers.report import NUMBERED_HEADING, REFERENCES_HEADING
from reviewer_app.importers.values import parse_long_date

_RECORD_HEADINGS = frozenset(SECTION_LABELS) - {"Abstract"}
_RECORD_HEADER_ROW = re.compile(r"(Submitted|Review score|Verified claims):\s*\S.*")
_PIPE_ROW = re.compile(r"\|[^|]+\|.*\|")


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
    preamble = int(
        len(content) > 3 and parse_long_date(content[2]) is not None and content[3] == "Abstract"
    )
    headings = sum(1 for line in content if NUMBERED_HEADING.fullmatch(line))
    return preamble + headings + content.count(REFERENCES_HEADING)


def _record_markers(content: list[str]) -> int:
    record_id = int(bool(content) and RECORD_ID.fullmatch(content[0]) is not None)
    headings = sum(1 for line in content if line in _RECORD_HEADINGS)
    rows = sum(1 for line in content if _RECORD_HEADER_ROW.fullmatch(line) or _PIPE_ROW.match(line))
    return record_id + headings + rows


def _paper_markers(content: list[str]) -> int:
    about = int(len(content) > 1 and content[1] == "About")
    return (
        about
        + sum(1 for line in content if AUTHORS_LINE.fullmatch(line))
        + content.count(BENCHMARKS_HEADING)
        + sum(1 for line in content if BENCHMARK_TABLE_HEADER.fullmatch(line))
        + sum(1 for line in content if ROWS_SHOWN.fullmatch(line))
    )
