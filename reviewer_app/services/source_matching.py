"""Which reference of a record a PDF belongs to, by the arXiv id in its name or first page.

Matching is driven by the record's own references: each arXiv id is looked for as a whole
token (so 2407.1785 never matches 2407.17856), with old-style ids (``hep-th/9901001``) also
found as ``hep-th9901001`` or ``hep-th_9901001``, the forms they take in file names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reviewer_app.domain.records import Reference

_STAMP = re.compile(r"arxiv:\s?$", re.IGNORECASE)


@dataclass(frozen=True)
class SourceMatch:
    reference: Reference
    version: int | None
    """The version named next to the id (``2407.17856v4``), if any."""
    found_in: str
    """``file name`` or ``first page``."""


def match_file_name(references: Sequence[Reference], file_name: str) -> SourceMatch | None:
    found = _matches(references, file_name)
    return _pick(references, found, "file name") if len(found) == 1 else None


def match_first_page(references: Sequence[Reference], text: str) -> SourceMatch | None:
    """A single reference named on the first page; with several, the one stamped ``arXiv:``."""
    found = _matches(references, text)
    if len(found) > 1:
        # arXiv stamps its own id as "arXiv:ID" in the margin; other ids are citations
        found = {
            arxiv_id: hits
            for arxiv_id, hits in found.items()
            if any(stamped for _, stamped in hits)
        }
    return _pick(references, found, "first page") if len(found) == 1 else None


def _matches(
    references: Sequence[Reference], text: str
) -> dict[str, list[tuple[int | None, bool]]]:
    """arXiv id -> (version, stamped as ``arXiv:``) for each place the id occurs in ``text``."""
    found: dict[str, list[tuple[int | None, bool]]] = {}
    for arxiv_id in dict.fromkeys(r.arxiv_id for r in references if r.arxiv_id):
        for hit in _id_pattern(arxiv_id).finditer(text):
            version = int(hit.group("version")) if hit.group("version") else None
            stamped = _STAMP.search(text[max(0, hit.start() - 8) : hit.start()]) is not None
            found.setdefault(arxiv_id, []).append((version, stamped))
    return found


def _pick(
    references: Sequence[Reference], found: dict[str, list[tuple[int | None, bool]]], where: str
) -> SourceMatch:
    ((arxiv_id, hits),) = found.items()
    # the stamped id carries the file's own version; a citation of it may name another
    versions = [v for v, stamped in sorted(hits, key=lambda h: not h[1]) if v is not None]
    version = versions[0] if versions else None
    candidates = [r for r in references if r.arxiv_id == arxiv_id]
    same_version = [r for r in candidates if r.arxiv_version == version]
    return SourceMatch((same_version or candidates)[0], version, where)


def _id_pattern(arxiv_id: str) -> re.Pattern[str]:
    escaped = re.escape(arxiv_id).replace("/", "[/_]?")
    # new-style ids are digits, old-style ones start with letters: only a neighbour of the
    # same kind could make the hit part of a longer id
    before = r"(?<!\d)" if arxiv_id[0].isdigit() else r"(?<![A-Za-z-])"
    return re.compile(rf"{before}{escaped}(?:v(?P<version>\d+))?(?!\d)", re.IGNORECASE)
