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
- Optionally case: ``str.casefold``.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left
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
    rf"|(?P<dash>\s*[{_DASHES}]+\s*)"
    rf"|(?P<space>\s+)"
    rf"|(?P<ignore>[{_ZERO_WIDTH}]+)"
    rf"|(?P<other>.[{_COMBINING}]*)",
    re.DOTALL,
)

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

    def index_at_or_after(self, original_offset: int) -> int:
        """The first normalised index whose source starts at or after ``original_offset``."""
        return bisect_left(self.starts, original_offset)


def normalize(text: str, *, ignore_case: bool = False) -> NormalizedText:
    """Normalise ``text`` (rules in the module docstring), keeping the offset map."""
    pieces: list[str] = []
    starts = array("q")
    ends = array("q")
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        begin, finish = match.span()
        if kind == "plain":
            run = match.group()
            pieces.append(run.lower() if ignore_case else run)
            starts.extend(range(begin, finish))
            ends.extend(range(begin + 1, finish + 1))
        elif kind == "space":
            pieces.append(" ")
            starts.append(begin)
            ends.append(finish)
        elif kind == "other":
            converted = _convert(match.group(), ignore_case)
            pieces.append(converted)
            starts.extend([begin] * len(converted))
            ends.extend([finish] * len(converted))
        # "dash" and "ignore" contribute nothing
    return NormalizedText("".join(pieces), starts, ends)


def normalize_query(text: str, *, ignore_case: bool = False) -> str:
    """The comparison form of a pasted quote or search term, without outer spaces."""
    return normalize(text, ignore_case=ignore_case).text.strip(" ")


def _convert(cluster: str, ignore_case: bool) -> str:
    converted = unicodedata.normalize("NFKC", cluster).translate(_QUOTES)
    # NFKC can produce dashes (from small or full-width forms) or spaces (from spacing
    # accents): treat them as the rules above treat the real ones
    converted = " ".join(_DASH.sub("", converted).split())
    return converted.casefold() if ignore_case else converted
