"""Text normalisation for matching quotes the way a person pasting them expects.

``normalize`` turns text into a comparison form and keeps, for every character of that
form, the range of original characters it came from, so a match found in the normalised
text maps back to exact offsets in the original. The rules, applied to both sides:

- Unicode NFKC: ligatures (ﬁ ﬂ ﬀ ﬃ ﬄ) become letters, full-width forms become ASCII,
  combining accents fuse with their letter.
- Curly and other typographic quotes become ``'`` and ``"``.
- Every run of whitespace becomes one space; zero-width characters vanish.
- Every dash or hyphen (- ‐ – — − and the soft hyphen) is dropped together with the
  whitespace around it. That makes "conti-\\nnuous" (a hyphenated line end), "continuous",
  "state-of-the-art" and "state-of-the-\\nart" compare as a person expects, and makes
  "1990–2022", "1990 - 2022" and "1990-2022" equal. The price is that "10-20" also equals
  "1020", which is harmless for quotes of a few words.
- TeX's T1 ligature codes (``\\x1b``..``\\x1f`` for ff, fi, fl, ffi, ffl), which R vignettes
  emit in fonts without a ToUnicode map, become their letters like the Unicode ligatures.
- Optionally case: ``str.casefold``.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

_DASHES = "\\-\u00ad\u058a\u2010-\u2015\u2043\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d"
_ZERO_WIDTH = "\u200b-\u200d\u2060\ufeff"
_COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# ASCII that maps to itself: handled a run at a time (single spaces included), which keeps
# normalising a 2,000-page manual fast. Quotes, backtick and hyphen are left out on purpose,
# and a letter that carries a combining accent is left to "other" to fuse with it.
_PLAIN = r"A-Za-z0-9!#$%&()*+,./:;<=>?@\[\\\]^_{|}~"

_TOKEN = re.compile(
    rf"(?P<plain>[{_PLAIN}]+(?: [{_PLAIN}]+)*(?![{_COMBINING}]))"
    r"|(?P<ligature>[\x1b-\x1f])"  # before "space": str's \s counts \x1c-\x1f as spaces
    rf"|(?P<dash>\s*[{_DASHES}]+\s*)"
    r"|(?P<space>[^\S\x1c-\x1f]+)"
    rf"|(?P<ignore>[{_ZERO_WIDTH}]+)"
    rf"|(?P<other>.[{_COMBINING}]*)",
    re.DOTALL,
)

T1_LIGATURES = {"\x1b": "ff", "\x1c": "fi", "\x1d": "fl", "\x1e": "ffi", "\x1f": "ffl"}
"""TeX T1 (Cork) encoding's ligature slots, seen raw where a font has no ToUnicode map."""

_DASH = re.compile(f"[{_DASHES}]")
_QUOTES = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′‹›`´ʹʼ", "'"),
        **dict.fromkeys("“”„‟″«»ʺ〝〞", '"'),
    }
)


@dataclass(frozen=True, eq=False)
class NormalizedText:
    """``text`` in comparison form; character ``i`` came from ``original[starts[i]:ends[i]]``."""

    text: str
    starts: array[int]
    ends: array[int]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The original range covered by the non-empty normalised range ``[start, end)``."""
        return self.starts[start], self.ends[end - 1]

    def to_original_many(self, ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
        """``to_original`` of each range (a layer read from packed arrays maps them at once)."""
        return [self.to_original(start, end) for start, end in ranges]

    def index_at_or_after(self, original_offset: int) -> int:
        """The first normalised index whose source starts at or after ``original_offset``."""
        return bisect_left(self.starts, original_offset)


def normalize(text: str, *, ignore_case: bool = False) -> NormalizedText:
    """Normalise ``text`` (rules in the module docstring), keeping the offset map."""
    pieces: list[str] = []
    starts = array("q")
    ends = array("q")
    for begin, finish, piece, plain in normalized_tokens(text, ignore_case=ignore_case):
        pieces.append(piece)
        if plain:
            starts.extend(range(begin, finish))
            ends.extend(range(begin + 1, finish + 1))
        else:
            starts.extend([begin] * len(piece))
            ends.extend([finish] * len(piece))
    return NormalizedText("".join(pieces), starts, ends)


def normalized_tokens(
    text: str, *, ignore_case: bool = False
) -> Iterator[tuple[int, int, str, bool]]:
    """``(begin, finish, piece, plain)`` for each token of ``text`` that leaves characters in
    the comparison form: a ``plain`` piece maps character for character onto
    ``text[begin:finish]``, any other piece as a whole onto that range."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        begin, finish = match.span()
        if kind == "plain":
            run = match.group()
            yield begin, finish, run.lower() if ignore_case else run, True
        elif kind == "space":
            yield begin, finish, " ", False
        elif kind == "ligature":
            yield begin, finish, T1_LIGATURES[match.group()], False
        elif kind == "other":
            converted = _convert(match.group(), ignore_case)
            if converted:
                yield begin, finish, converted, False
        # "dash" and "ignore" contribute nothing


def normalize_query(text: str, *, ignore_case: bool = False) -> str:
    """The comparison form of a pasted quote or search term, without outer spaces."""
    return normalize(text, ignore_case=ignore_case).text.strip(" ")


def _convert(cluster: str, ignore_case: bool) -> str:
    converted = unicodedata.normalize("NFKC", cluster).translate(_QUOTES)
    # NFKC can produce dashes (from small or full-width forms) or spaces (from spacing
    # accents): treat them as the rules above treat the real ones
    converted = " ".join(_DASH.sub("", converted).split())
    return converted.casefold() if ignore_case else converted
