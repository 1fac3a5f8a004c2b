"""The "Extracted Claims" table of a report: claim, verified mark, confidence.

Tab-separated as exported; also read when a copy/paste turned tabs into runs of spaces, when it
is a markdown pipe table, and with extra columns (whose cells are kept as unrecognised).
"""

from __future__ import annotations

import re

from reviewer_app.domain.records import Claim, Unrecognised
from reviewer_app.importers.headings import is_separator_row
from reviewer_app.importers.report_vocabulary import (
    CLAIM_COLUMNS,
    CLAIMS_HEADING,
    MARKS,
)
from reviewer_app.importers.values import MalformedExport, parse_fraction

SECTION = CLAIMS_HEADING
MAX_ROW = 20000
_SPACE_RUN = re.compile(r" {2,}|\t")


def split_cells(row: str) -> list[str]:
    """The cells of one row: tabs, a markdown pipe row, runs of spaces, or ``text × 0.02``."""
    row = row.strip()[:MAX_ROW]
    if "\t" in row:
        return [cell.strip() for cell in row.split("\t")]
    if row.startswith("|"):
        return [cell.strip() for cell in row.strip("|").split("|")]
    cells = [cell.strip() for cell in _SPACE_RUN.split(row)]
    if len(cells) >= 3:
        return cells
    words = row.rsplit(None, 2)
    if len(words) == 3 and words[1].casefold() in MARKS:
        return words
    return [row]


def parse_claims_table(body: list[str], kept: list[Unrecognised]) -> tuple[Claim, ...]:
    """The claims of the table in ``body``; refuses a row cut short."""
    rows = [line for line in body if line.strip() and not is_separator_row(line)]
    header = [cell.casefold() for cell in split_cells(rows[0])] if rows else []
    if len(header) < 3 or any(
        header[i] not in aliases for i, aliases in enumerate(CLAIM_COLUMNS.values())
    ):
        raise MalformedExport("claims table has no header row 'Claim<TAB>Verified<TAB>Confidence'")
    extra_columns = split_cells(rows[0])[3:]
    claims: list[Claim] = []
    for row in rows[1:]:
        cells = split_cells(row)
        position = len(claims) + 1
        if len(cells) < 3:
            if "\t" in row or "|" in row:  # a table row with fields missing: cut or broken
                raise MalformedExport(
                    f"claims table row {position} has {len(cells)} tab-separated fields "
                    "instead of 3 (claim, verified, confidence)"
                )
            kept.append(Unrecognised(SECTION, row.strip()))
            continue
        claims.append(_claim(cells[:3], position))
        if len(cells) > 3:
            names = [*extra_columns, *[f"column {i}" for i in range(4, len(cells) + 1)]]
            extra = "; ".join(
                f"{name}: {cell}" for name, cell in zip(names, cells[3:], strict=False) if cell
            )
            if extra:
                kept.append(Unrecognised(SECTION, extra, f"extra columns of claim {position}"))
    return tuple(claims)


def _claim(cells: list[str], position: int) -> Claim:
    text, mark, confidence_text = cells
    if not text:
        raise MalformedExport(f"claims table row {position} has no claim text")
    verified = MARKS.get(mark.casefold())
    if verified is None:
        raise MalformedExport(
            f"claims table row {position} has verified mark {mark[:20]!r}; expected ✓ or ×"
        )
    confidence = parse_fraction(confidence_text)
    if confidence is None:
        raise MalformedExport(
            f"claims table row {position}: confidence {confidence_text[:40]!r} is not a number"
        )
    if not 0.0 <= confidence <= 1.0:
        raise MalformedExport(
            f"claims table row {position}: confidence {confidence_text[:40]} is not between 0 and 1"
        )
    return Claim(position=position, text=text, verified=verified, confidence=confidence)
