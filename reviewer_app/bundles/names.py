"""Reviewer names compared as people read them: a signer called ``Ana``, ``ana `` or ``ana`` with
a zero-width space, or spelt with a Cyrillic ``а``, is not someone new but someone posing as ana.

``name_key`` is the Unicode TR39 skeleton (zero-width and invisible characters removed, NFKC,
confusable letters folded to one prototype, case folded, white space collapsed) from the
``disarm`` package; two names with the same key look alike to a reader.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from disarm import skeleton_key


@functools.lru_cache(maxsize=4096)
def name_key(name: str) -> str:
    """The key under which names that look alike meet (never empty for a non-empty name)."""
    return skeleton_key(name, on_empty="\ufffd") or "\ufffd"


def lookalike_of(name: str, known: Iterable[str]) -> str | None:
    """A known name that looks like ``name`` without being exactly it, or None."""
    key = name_key(name)
    for other in sorted(set(known)):
        if other != name and name_key(other) == key:
            return other
    return None


def same_person(name: str, known: Iterable[str]) -> str | None:
    """The known name that ``name`` is, or looks like (exactly equal first), or None."""
    known = set(known)
    if name in known:
        return name
    return lookalike_of(name, known)
