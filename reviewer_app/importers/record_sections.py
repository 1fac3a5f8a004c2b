"""A public record page, either rendering, read into sections of (label, value) rows.

The page comes rendered two ways, and both become the same :class:`RecordPage`:

* label/value, labels glued to their values: ``TierWatchlist``, ``Source-grounded claims3``;
* pipe tables: ``| Tier | Watchlist | |``.

Rows are matched against the labels known for their section, longest label first, so that a
glued ``Correction count0`` is never read as label ``Correction`` plus value ``count0``.
Lines that fit no known label (a reworded disclaimer, a new ``DOI`` row, a footer) are kept as
unrecognised content under their section, never guessed at and never dropped. Only a pipe row
cut short at the very end of the file is refused: that is an export cut off mid-line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reviewer_app.domain.records import Unrecognised
from reviewer_app.importers.chrome import without_chrome
from reviewer_app.importers.headings import (
    alias_table,
    heading_key,
    is_separator_row,
    without_heading_marks,
)
from reviewer_app.importers.record_page_vocabulary import (
    HEADER,
    HEADING_ALIASES,
    LABEL_ALIASES,
    RECORD_ID,
    SECTION_LABELS,
)
from reviewer_app.importers.values import MalformedExport

__all__ = ["HEADER", "RECORD_ID", "SECTION_LABELS", "read_record_page", "split_row"]

BEFORE_TITLE = "before the title"

_HEADINGS = alias_table(
    {name: HEADING_ALIASES.get(name, ()) for name in SECTION_LABELS if name != HEADER}
)
# "Views: 120": a short label, a colon and a short value (a title such as "SEA: Supervised
# Embedding Alignment for ..." has a long value and stays a title).
_LABEL_COLON_VALUE = re.compile(r"[A-Za-z][A-Za-z \-]{0,30}:[ \t]{1,4}\S.{0,40}")


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
    unrecognised: list[Unrecognised] = field(default_factory=list)


def section_heading(line: str) -> str | None:
    """The canonical section heading ``line`` is, or None."""
    key = heading_key(line)
    return _HEADINGS.get(key) if key else None


def read_record_page(lines: list[str]) -> RecordPage:
    content = without_chrome(lines)
    headings = [section_heading(line) for line in content]
    first_heading = next((i for i, name in enumerate(headings) if name), len(content))
    kept: list[Unrecognised] = []
    record_id, title, header_lines = _split_preamble(content[:first_heading], kept)
    reader = _SectionReader(
        kept,
        pipe_rendering=any(line.lstrip().startswith("|") for line in content),
        last_line=next((line.strip() for line in reversed(content) if line.strip()), ""),
    )
    sections = {HEADER: reader.read(HEADER, header_lines)}
    section_lines: list[str] = []
    heading = None
    end_of_page = "end of page"  # a sentinel heading that closes the last section
    for line, name in [
        *zip(content[first_heading:], headings[first_heading:], strict=True),
        ("", end_of_page),
    ]:
        if name:
            if heading is not None:
                if heading in sections:
                    raise MalformedExport(f"record page has two {heading} sections")
                sections[heading] = reader.read(heading, section_lines)
            heading, section_lines = name, []
        else:
            section_lines.append(line)
    return RecordPage(title=title, record_id=record_id, sections=sections, unrecognised=kept)


def _split_preamble(
    preamble: list[str], kept: list[Unrecognised]
) -> tuple[str | None, str, list[str]]:
    """Record id (when present), title, and the header rows that follow them.

    The title is the line after the record id; without an id, the last line above the header
    rows. Lines above it (a banner, a changed navigation line) are kept, not made the title.
    """
    content = [line.strip() for line in preamble if line.strip()]
    record_id = None
    id_at = next((i for i, line in enumerate(content[:20]) if RECORD_ID.fullmatch(line)), None)
    if id_at is not None:
        record_id = content[id_at]
        kept += [Unrecognised(BEFORE_TITLE, line) for line in content[:id_at]]
        title_at = id_at + 1
    else:
        title_at = next(
            (
                i
                for i in range(len(content) - 1, -1, -1)
                if split_row(content[i], SECTION_LABELS[HEADER]) is None
                and not _LABEL_COLON_VALUE.fullmatch(content[i])
            ),
            len(content),
        )
        kept += [Unrecognised(BEFORE_TITLE, line) for line in content[:title_at]]
    if title_at >= len(content):
        raise MalformedExport("record page has no title above its first section")
    return record_id, without_heading_marks(content[title_at]), content[title_at + 1 :]


@dataclass
class _SectionReader:
    kept: list[Unrecognised]
    pipe_rendering: bool
    """On a pipe-table page every row is a pipe row: other lines are prose, never rows."""
    last_line: str

    def read(self, heading: str, lines: list[str]) -> PageSection:
        labels = SECTION_LABELS[heading]
        aliases = {alias: label for label in labels for alias in LABEL_ALIASES.get(label, ())}
        section = PageSection(heading)
        if not labels:
            section.prose = lines
            return section
        where = "under the title" if heading == HEADER else heading
        for line in (line.strip() for line in lines):
            if not line or is_separator_row(line):
                continue
            self._refuse_if_cut(line, heading)
            row = None
            # The rows under the title are "Label: value" lines in either rendering.
            if line.startswith("|") or not self.pipe_rendering or heading == HEADER:
                row = split_row(line, (*labels, *aliases))
            if row is not None:
                row = (aliases.get(row[0], row[0]), row[1])
            if row is None:
                self.kept.append(Unrecognised(where, line))
            elif row[0] in section.rows:
                self.kept.append(Unrecognised(where, line, f"a second '{row[0]}' row"))
            else:
                section.rows[row[0]] = row[1]
        return section

    def _refuse_if_cut(self, line: str, heading: str) -> None:
        if line == self.last_line and line.startswith("|") and not line.endswith("|"):
            where = "under the title" if heading == HEADER else f"in the {heading} section"
            raise MalformedExport(
                f"record page has an unrecognised line {where}: {line[:60]!r} "
                "(the file ends inside a table row: it was cut off)"
            )


def split_row(line: str, labels: tuple[str, ...]) -> tuple[str, str] | None:
    """(label, value) of one row in either rendering, or None when no known label fits."""
    if line.startswith("|"):
        return _split_pipe_row(line, labels)
    for label in sorted(labels, key=len, reverse=True):
        if line.startswith(label) and not _is_sentence_after(line, label):
            # The header rows put a colon between label and value: "Submitted: 27 May 2026".
            return label, line[len(label) :].removeprefix(":").strip()
    return None


def _is_sentence_after(line: str, label: str) -> bool:
    """``Tiers are computed automatically ...``: prose starting with a label's letters.

    Glued values may start in lower case (``Claim record sourcenot publicly specified``), so
    only a glued lower-case continuation that reads as a sentence is taken for prose.
    """
    rest = line[len(label) :]
    return bool(rest) and rest[0].islower() and rest.endswith(".") and rest.count(" ") >= 4


def _split_pipe_row(line: str, labels: tuple[str, ...]) -> tuple[str, str] | None:
    # The closing pipe may be missing (a hand-edited row); a row cut off at the end of the file
    # is told apart by the caller, which knows it is the last line.
    cells = [cell.strip() for cell in line[1:].removesuffix("|").split("|")]
    while cells and not cells[-1]:
        cells.pop()
    by_key = {label.casefold(): label for label in labels}
    if len(cells) < 2 or cells[0].casefold() not in by_key:
        return None
    return by_key[cells[0].casefold()], " | ".join(cells[1:])
