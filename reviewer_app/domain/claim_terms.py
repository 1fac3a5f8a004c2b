"""Words and numbers of a claim, for ranking passages and for stance hints (pure Python).

Verbal numbers are rewritten so "roughly a third" can meet "34 %" and "twice as fast" can
meet "a factor of 2": ``numbers_in`` reads both digits and words, ``expanded_terms`` adds the
digits a claim's words stand for to its search terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_STOP_WORDS_TEXT = """
    a about above after again all also am an and any are as at be been before being below
    between both but by can could did do does doing down during each few for from further had
    has have having he her here hers him his how i if in into is it its itself just me more
    most my no nor not of off on once only or other our ours out over own same she should so
    some such than that the their theirs them then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would
    you your yours using used use one ones may might must shall per via et al e g i e"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'_-]*|\d+(?:[.,]\d+)*")
_NUMBER = re.compile(
    r"(?<![\w.])(\d+(?:,\d{3})*(?:\.\d+)?)(?![\w.]\d)\s*(%|percent|per cent)?", re.IGNORECASE
)

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
    "million": 1_000_000, "dozen": 12, "single": 1, "double": 2, "triple": 3,
}  # fmt: skip
_PHRASES: list[tuple[re.Pattern[str], float, bool]] = [
    (re.compile(rf"\b{words}\b", re.IGNORECASE), value, percent)
    for words, value, percent in [
        (r"(?:a|one)[- ]third", 33.3, True),
        (r"two[- ]thirds", 66.7, True),
        (r"(?:a|one)[- ]quarter", 25.0, True),
        (r"three[- ]quarters", 75.0, True),
        (r"(?:a|one)[- ]fifth", 20.0, True),
        (r"(?:a|one)?[- ]?half", 50.0, True),
        (r"twice|two[- ]fold|doubled?", 2.0, False),
        (r"thrice|three[- ]fold|tripled?", 3.0, False),
        (r"ten[- ]fold", 10.0, False),
        (r"majority", 50.0, True),
    ]
]
_APPROXIMATE = re.compile(
    r"\b(?:about|around|approximately|roughly|nearly|almost|some|circa|~|≈)\s*$", re.IGNORECASE
)


@dataclass(frozen=True)
class Quantity:
    value: float
    percent: bool
    approximate: bool
    text: str

    def shown(self) -> str:
        number = f"{self.value:g}" if self.value != int(self.value) else f"{int(self.value)}"
        return f"{'≈ ' if self.approximate else ''}{number}{' %' if self.percent else ''}"


def content_words(text: str) -> list[str]:
    """Lower-case words that carry meaning (no stop words), first occurrence order."""
    words = [w.strip("'-_").lower() for w in _WORD.findall(text)]
    return list(dict.fromkeys(w for w in words if len(w) > 1 and w not in STOP_WORDS))


def numbers_in(text: str) -> list[Quantity]:
    """Numbers written as digits or words ("a third" ≈ 33.3 %, "twice" = 2)."""
    found: list[tuple[int, Quantity]] = []
    for match in _NUMBER.finditer(text):
        value = float(match.group(1).replace(",", ""))
        approximate = bool(_APPROXIMATE.search(text[: match.start()]))
        quantity = Quantity(value, bool(match.group(2)), approximate, match.group().strip())
        found.append((match.start(), quantity))
    for pattern, value, percent in _PHRASES:
        for match in pattern.finditer(text):
            approximate = bool(_APPROXIMATE.search(text[: match.start()]))
            found.append((match.start(), Quantity(value, percent, approximate, match.group())))
    for match in re.finditer(r"\b[a-z]+\b", text.lower()):
        word = match.group()
        if word in _UNITS and word not in {"one", "single"}:
            found.append((match.start(), Quantity(float(_UNITS[word]), False, False, word)))
    return [quantity for _, quantity in sorted(found, key=lambda item: item[0])]


def expanded_terms(text: str) -> list[str]:
    """Search terms: the content words plus the digits its verbal numbers stand for."""
    terms = content_words(text)
    for quantity in numbers_in(text):
        if not any(c.isdigit() for c in quantity.text):
            terms.append(f"{round(quantity.value):d}")
    return list(dict.fromkeys(terms))


def same_quantity(a: Quantity, b: Quantity) -> bool:
    """Equal, or within what rounding or an approximate statement allows (5 % relative)."""
    if a.value == b.value:
        return True
    if a.approximate or b.approximate:
        slack = 0.05
    elif not (a.value.is_integer() and b.value.is_integer()):
        slack = 0.02  # rounding: 33.3 and 33
    else:
        slack = 0.0
    return abs(a.value - b.value) <= slack * max(abs(a.value), abs(b.value))
