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
_MONTH_DAY_YEAR = re.compile(r"(?P<month>[A-Za-z]+)\.?\s+(?P<day>\d{1,2}),\s*(?P<year>\d{4})")
_DAY_MONTH_YEAR = re.compile(r"(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]+)\.?,?\s+(?P<year>\d{4})")
_SCORE_OUT_OF_10 = re.compile(r"(?P<score>\d+(?:\.\d+)?)\s*/\s*10")
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")


class MalformedExport(ValueError):
    """The text is not a complete export of a known format; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_long_date(text: str) -> date | None:
    """``May 29, 2026`` or ``27 May 2026`` (month names in English, full or 3-letter)."""
    text = text.strip()
    match = _MONTH_DAY_YEAR.fullmatch(text) or _DAY_MONTH_YEAR.fullmatch(text)
    if match is None:
        return None
    month = _month_number(match.group("month"))
    if month is None:
        return None
    try:
        return date(int(match.group("year")), month, int(match.group("day")))
    except ValueError:  # 31 February and the like
        return None


def _month_number(name: str) -> int | None:
    name = name.casefold()
    if name in _MONTHS:
        return _MONTHS[name]
    by_abbreviation = {full[:3]: number for full, number in _MONTHS.items()}
    return by_abbreviation.get(name)


def require_date(text: str, what: str) -> date:
    parsed = parse_long_date(text)
    if parsed is None:
        raise MalformedExport(f"{what} {text.strip()!r} is not a date such as 'May 29, 2026'")
    return parsed


def require_score(text: str, what: str) -> float:
    """A score written ``7.33/10``."""
    match = _SCORE_OUT_OF_10.fullmatch(text.strip())
    if match is None:
        raise MalformedExport(f"{what} {text.strip()!r} is not a score such as '7.33/10'")
    score = float(match.group("score"))
    if score > 10:
        raise MalformedExport(f"{what} {text.strip()!r} is more than 10 out of 10")
    return score


def require_int(text: str, what: str) -> int:
    stripped = text.strip()
    if not stripped.isascii() or not stripped.isdigit():
        raise MalformedExport(f"{what} {stripped!r} is not a whole number")
    return int(stripped)


def require_number(text: str, what: str) -> float:
    stripped = text.strip()
    if _NUMBER.fullmatch(stripped) is None:
        raise MalformedExport(f"{what} {stripped!r} is not a number")
    return float(stripped)


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
