"""Heading lines as the formats' pages and copies of them write them.

The same heading arrives as ``Quality Tier``, ``Quality tier``, ``## Quality Tier``,
``Quality Tier:`` or ``5 Extracted Claims (machine-extracted)``; :func:`heading_key` turns each
into one key, so that the per-format tables list a heading once, with its aliases.
"""

from __future__ import annotations

import re

MAX_HEADING_LENGTH = 120
"""Longer lines are never headings; checked before any pattern runs (linear time)."""

_MARKDOWN_PREFIX = re.compile(r"#{1,6}[ \t]{1,4}")
_PARENTHETICAL = re.compile(r"[ \t]{0,4}\([^()]{0,80}\)$")
_SPACES = re.compile(r"\s{1,20}")


def heading_text(line: str) -> str | None:
    """``## Quality Tier:`` -> ``Quality Tier``; None for a line too long to be a heading."""
    text = line.strip()
    if not text or len(text) > MAX_HEADING_LENGTH:
        return None
    markdown = _MARKDOWN_PREFIX.match(text)
    if markdown:
        text = text[markdown.end() :]
    text = _PARENTHETICAL.sub("", text).rstrip(" \t:")
    return _SPACES.sub(" ", text) or None


def heading_key(line: str) -> str | None:
    """``## Quality Tier:`` -> ``quality tier``: the text of :func:`heading_text`, casefolded."""
    text = heading_text(line)
    return text.casefold() if text else None


def alias_table(headings: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Canonical heading by key, from ``{canonical: (aliases...)}``."""
    table: dict[str, str] = {}
    for canonical, aliases in headings.items():
        for name in (canonical, *aliases):
            key = heading_key(name)
            assert key is not None and key not in table, name
            table[key] = canonical
    return table


def is_separator_row(line: str) -> bool:
    """``| --- | --- |``: a markdown table's rule under its header, no content."""
    return "---" in line and set(line.strip()) <= set("|-: \t")


def without_heading_marks(line: str) -> str:
    """``## Title`` -> ``Title``: a title copied from a markdown export keeps no ``#``."""
    text = line.strip()
    markdown = _MARKDOWN_PREFIX.match(text)
    return text[markdown.end() :] if markdown else text
