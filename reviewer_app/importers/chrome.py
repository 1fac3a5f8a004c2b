"""Site chrome: text the publishers' pages carry around the record that is never stored.

Every chrome pattern lives here, so a new banner is one line in this module.
"""

from __future__ import annotations

import re

CHROME_LINES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern)
    for pattern in (
        # Navigation bar (the separators are non-breaking spaces around '|').
        r"Index\s*\|\s*Benchmarks(\s*\|.*)?",
        r"Our new X account is live!.*",
        r"WorkDL logo mark",
        r"Follow for update",
        r"Other info",
        # Disclaimers under the sections of a record page.
        r"Descriptive public [\w\- ]+ only;.*",
        r"Automated triage signals derived from public fields;.*",
        r"Public corrections are additive records\..*",
        r"This record has not completed Gate \d+ of the verification pipeline.*",
    )
)

ROWS_SHOWN = re.compile(r"Showing (?P<shown>\d{1,6}) of (?P<total>\d{1,6}) rows?")
"""Footer of a benchmark table: chrome, but the paper importer reads it first to check that
every row shown was read."""

_ABSTRACT_PREFIX = re.compile(r"Abstract:\s{0,20}")
GLUED_SUFFIXES: tuple[str, ...] = (
    "Find, read and cite all the research you need on Tech Science Press",
)
"""Banners glued to the end of an abstract after a ``|``; cut with string operations, not a
pattern (``\\s*\\|`` searched over a run of 100,000 spaces is quadratic)."""


# One alternation instead of a loop: every line of every import passes through here.
_ANY_CHROME = re.compile("|".join(f"(?:{p.pattern})" for p in CHROME_LINES))


def is_chrome(line: str) -> bool:
    return _ANY_CHROME.fullmatch(line.strip()) is not None


def without_chrome(lines: list[str]) -> list[str]:
    """``lines`` with chrome lines removed; blank lines are kept (they separate paragraphs)."""
    return [line for line in lines if not is_chrome(line)]


def clean_abstract(text: str) -> str:
    """An abstract without the ``Abstract:`` prefix or a banner glued to its end."""
    text = text.strip()
    prefix = _ABSTRACT_PREFIX.match(text)
    if prefix:
        text = text[prefix.end() :]
    for suffix in GLUED_SUFFIXES:
        body = text.removesuffix(suffix).rstrip()
        if body != text and body.endswith("|"):
            text = body.removesuffix("|")
    return text.strip()
