"""A public record page, either rendering, read into sections of (label, value) rows.

The page comes rendered two ways, and both become the same :class:`RecordPage`:

* label/value, labels glued to their values: ``TierWatchlist``, ``Source-grounded claims3``;
* pipe tables: ``| Tier | Watchlist | |``.

Rows are matched against the labels known for their section, longest label first, so that a
glued ``Correction count0`` is never read as label ``Correction`` plus value ``count0``.
Lines that fit no known label are refused rather than guessed at: on these pages an unknown
line almost always means the export was cut off mid-line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reviewer_app.importers.chrome import without_chrome
from reviewer_app.importers.values import MalformedExport

HEADER = "header"
"""Pseudo-section: the ``Submitted: 27 May 2026`` rows under the title."""

SECTION_LABELS: dict[str, tuple[str, ...]] = {
    HEADER: ("Submitted", "Review score", "Verification", "Quality tier", "Verified claims"),
    "Abstract": (),
    "Research Question": (),
    "Verification Level": ("Paper level", "Source-grounded claims", "Claim record source"),
    "Truth-Engine Gate Verdict": ("Status", "Gate", "Reason", "Evaluated"),
    "Quality Tier": ("Tier", "Basis"),
    "Quality Dimensions": (
        "Evidence strength",
        "Citation grounding",
        "Uncertainty disclosure",
        "Reproducibility status",
    ),
    "Correction Record": ("Status", "Correction count", "Manifest contract", "Correction contract"),
    "Provenance": (
        "Publisher",
        "Public provenance",
        "Report artifact",
        "External record",
        "Claim lineage",
        "Review method",
        "Quality guide",
        "Provenance contract",
        "Note",
    ),
}
"""Known labels by section heading. Sections with no labels hold prose."""

RECORD_ID = re.compile(r"[A-Z]{2,10}:[0-9A-F]{6,16}")
"""``SRCH:8F12A054``: the publisher's id, on the line above the title when present."""

_HEADINGS = frozenset(SECTION_LABELS) - {HEADER}


@dataclass
class PageSection:
    heading: str
    rows: dict[str, str] = field(default_factory=dict)
    """Value by label, for sections of label/value rows."""
    prose: list[str] = field(default_factory=list)
    """Lines, blank ones included, for prose sections."""


@dataclass
class RecordPage:
    title: str
    record_id: str | None
    sections: dict[str, PageSection]
    """By heading; the rows under the title are the :data:`HEADER` section."""


def read_record_page(lines: list[str]) -> RecordPage:
    content = without_chrome(lines)
    first_heading = next(
        (index for index, line in enumerate(content) if line.strip() in _HEADINGS), len(content)
    )
    record_id, title, header_lines = _split_preamble(content[:first_heading])
    sections = {HEADER: _read_section(HEADER, header_lines)}
    section_lines: list[str] = []
    heading = None
    for line in [*content[first_heading:], None]:
        if line is None or line.strip() in _HEADINGS:
            if heading is not None:
                if heading in sections:
                    raise MalformedExport(f"record page has two {heading} sections")
                sections[heading] = _read_section(heading, section_lines)
            heading, section_lines = (line.strip() if line else None), []
        else:
            section_lines.append(line)
    return RecordPage(title=title, record_id=record_id, sections=sections)


def _split_preamble(preamble: list[str]) -> tuple[str | None, str, list[str]]:
    """Record id (when present), title, and the header rows that follow them."""
    content = [line.strip() for line in preamble if line.strip()]
    record_id = None
    if content and RECORD_ID.fullmatch(content[0]):
        record_id, content = content[0], content[1:]
    if not content:
        raise MalformedExport("record page has no title above its first section")
    return record_id, content[0], content[1:]


def _read_section(heading: str, lines: list[str]) -> PageSection:
    labels = SECTION_LABELS[heading]
    section = PageSection(heading)
    if not labels:
        section.prose = lines
        return section
    for line in (line.strip() for line in lines):
        if not line:
            continue
        row = split_row(line, labels)
        if row is None:
            where = "under the title" if heading == HEADER else f"in the {heading} section"
            raise MalformedExport(f"record page has an unrecognised line {where}: {line[:60]!r}")
        label, value = row
        if label in section.rows:
            raise MalformedExport(f"record page has two {label!r} rows in the {heading} section")
        section.rows[label] = value
    return section


def split_row(line: str, labels: tuple[str, ...]) -> tuple[str, str] | None:
    """(label, value) of one row in either rendering, or None when no known label fits."""
    if line.startswith("|"):
        return _split_pipe_row(line, labels)
    for label in sorted(labels, key=len, reverse=True):
        if line.startswith(label):
            # The header rows put a colon between label and value: "Submitted: 27 May 2026".
            return label, line[len(label) :].removeprefix(":").strip()
    return None


def _split_pipe_row(line: str, labels: tuple[str, ...]) -> tuple[str, str] | None:
    # A row cut short loses its closing pipe: refuse it rather than keep a truncated value.
    if not line.endswith("|") or len(line) < 2:
        return None
    cells = [cell.strip() for cell in line[1:-1].split("|")]
    while cells and not cells[-1]:
        cells.pop()
    if not cells or cells[0] not in labels:
        return None
    return cells[0], " | ".join(cells[1:])
