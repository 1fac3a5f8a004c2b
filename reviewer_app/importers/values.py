"""Small value parsers shared by the importers, and the error they raise.

Parsers raise :class:`MalformedExport` with a reason only; ``parse_synthesis`` adds the file
name by turning it into :class:`reviewer_app.errors.ImportRefused`.
"""

from __future__ import annotations

import re
from datetime import date

# Month names are matched from our own table, not with strptime("%B"): Qt calls
# setlocale(LC_ALL, "") on start-up, after which strptime expects the user's month names.
_MONTHS = {
    name: number
    for number, name in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
}
MONTH_ALIASES = {"sept": 9}
"""Abbreviations beyond the first three letters of a month's name."""

# Dates seen on the publishers' pages, one pattern per form; every quantifier is bounded so that
# matching stays linear whatever the line holds.
_ORDINAL = r"(?:st|nd|rd|th)?"
DATE_FORMS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern)
    for pattern in (
        # May 29, 2026 / May 29th, 2026 / Sept. 29, 2026
        rf"(?P<month>[A-Za-z]{{3,9}})\.?\s{{1,3}}(?P<day>\d{{1,2}}){_ORDINAL},?\s{{1,3}}(?P<year>\d{{4}})",
        # 27 May 2026 / 27th May, 2026
        rf"(?P<day>\d{{1,2}}){_ORDINAL}\s{{1,3}}(?P<month>[A-Za-z]{{3,9}})\.?,?\s{{1,3}}(?P<year>\d{{4}})",
        # 2026-05-29 (ISO 8601)
        r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})",
    )
)
_SCORE_OUT_OF_10 = re.compile(r"(?P<score>\d{1,3}(?:\.\d{1,6})?)\s{0,3}/\s{0,3}10")
_NUMBER = re.compile(r"[-+]?\d{1,20}(?:\.\d{1,20})?")


class MalformedExport(ValueError):
    """The text is not a complete export of a known format; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_long_date(text: str) -> date | None:
    """A date in one of :data:`DATE_FORMS` (month names in English, full or abbreviated)."""
    text = text.strip()
    if len(text) > 40:
        return None
    for form in DATE_FORMS:
        match = form.fullmatch(text)
        if match is None:
            continue
        month_text = match.group("month")
        month = int(month_text) if month_text.isdigit() else _month_number(month_text)
        if month is None:
            return None
        try:
            return date(int(match.group("year")), month, int(match.group("day")))
        except ValueError:  # 31 February and the like
            return None
    return None


def _month_number(name: str) -> int | None:
    name = name.casefold()
    if name in _MONTHS:
        return _MONTHS[name]
    if name in MONTH_ALIASES:
        return MONTH_ALIASES[name]
    by_abbreviation = {full[:3]: number for full, number in _MONTHS.items()}
    return by_abbreviation.get(name)


def require_date(text: str, what: str) -> date:
    parsed = parse_long_date(text)
    if parsed is None:
        raise MalformedExport(
            f"{what} {text.strip()[:40]!r} is not a date such as 'May 29, 2026' or '2026-05-29'"
        )
    return parsed


def require_score(text: str, what: str) -> float:
    """A score written ``7.33/10``."""
    match = _SCORE_OUT_OF_10.fullmatch(text.strip()[:40])
    if match is None:
        raise MalformedExport(f"{what} {text.strip()[:40]!r} is not a score such as '7.33/10'")
    score = float(match.group("score"))
    if score > 10:
        raise MalformedExport(f"{what} {text.strip()!r} is more than 10 out of 10")
    return score


def require_int(text: str, what: str) -> int:
    stripped = text.strip()
    if not stripped.isascii() or not stripped.isdigit():
        raise MalformedExport(f"{what} {stripped[:40]!r} is not a whole number")
    return int(stripped)


def require_number(text: str, what: str) -> float:
    stripped = text.strip()
    if len(stripped) > 40 or _NUMBER.fullmatch(stripped) is None:
        raise MalformedExport(f"{what} {stripped[:40]!r} is not a number")
    return float(stripped)


_FRACTION = re.compile(r"(?P<number>[-+]?\d{1,6}(?:[.,]\d{1,12})?)\s{0,2}(?P<percent>%?)")


def parse_fraction(text: str) -> float | None:
    """``0.07``, ``0,07`` (decimal comma) or ``7%`` -> 0.07; None when it is none of these."""
    match = _FRACTION.fullmatch(text.strip())
    if match is None:
        return None
    value = float(match.group("number").replace(",", "."))
    return value / 100 if match.group("percent") else value


def join_paragraphs(lines: list[str]) -> str:
    """Prose from lines: lines of a paragraph joined by spaces, paragraphs by a blank line."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paragraphs[-1].append(line.strip())
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n\n".join(" ".join(paragraph) for paragraph in paragraphs if paragraph)


def join_or(names: list[str]) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
