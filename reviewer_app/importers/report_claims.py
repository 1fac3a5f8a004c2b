"""The "Extracted Claims" table of a report: tab-separated claim, verified mark, confidence."""

from __future__ import annotations

from reviewer_app.domain.records import Claim
from reviewer_app.importers.values import MalformedExport, require_number

CLAIMS_SECTION = "extracted claims"
"""Casefolded name of the report section holding the table (its heading is numbered)."""

_HEADER = ("claim", "verified", "confidence")
_VERIFIED_MARKS = {"✓": True, "✔": True, "✅": True, "yes": True, "true": True}
_UNVERIFIED_MARKS = {"×": False, "✗": False, "✘": False, "❌": False, "no": False, "false": False}
_MARKS = _VERIFIED_MARKS | _UNVERIFIED_MARKS


def parse_claims_table(body: list[str], claims_extracted: int) -> tuple[Claim, ...]:
    """The claims of the table in ``body``; refuses a table that does not hold them all."""
    rows = [line for line in body if line.strip()]
    if not rows or tuple(cell.strip().casefold() for cell in rows[0].split("\t")) != _HEADER:
        raise MalformedExport("claims table has no header row 'Claim<TAB>Verified<TAB>Confidence'")
    claims = tuple(
        _parse_claim_row(row, position) for position, row in enumerate(rows[1:], start=1)
    )
    if len(claims) != claims_extracted:
        raise MalformedExport(
            f"claims table has {len(claims)} rows but the report says "
            f"{claims_extracted} claims were extracted"
        )
    return claims


def _parse_claim_row(row: str, position: int) -> Claim:
    cells = [cell.strip() for cell in row.split("\t")]
    if len(cells) != 3:
        raise MalformedExport(
            f"claims table row {position} has {len(cells)} tab-separated fields instead of 3 "
            "(claim, verified, confidence)"
        )
    text, mark, confidence_text = cells
    if not text:
        raise MalformedExport(f"claims table row {position} has no claim text")
    verified = _MARKS.get(mark.casefold())
    if verified is None:
        raise MalformedExport(
            f"claims table row {position} has verified mark {mark!r}; expected ✓ or ×"
        )
    confidence = require_number(confidence_text, f"claims table row {position}: confidence")
    if not 0.0 <= confidence <= 1.0:
        raise MalformedExport(
            f"claims table row {position}: confidence {confidence_text} is not between 0 and 1"
        )
    return Claim(position=position, text=text, verified=verified, confidence=confidence)
