"""What the records list knows of a record's grounding: its computed level beside the imported
one, whether the synthesis over-states it, and why they differ (issue 13).

It is what ``GroundingService`` computes and what is stored per record (and per viewer, see
``storage/grounding_levels.py``) so that the list can sort and filter on it in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass

from reviewer_app.domain.grounding_rules import LEVELS


@dataclass(frozen=True)
class GroundingBadge:
    """What the records list shows of a record's grounding."""

    level: str
    imported_level: str | None
    over_states: bool
    difference: str | None

    @property
    def text(self) -> str:
        if self.difference and self.imported_level:
            return f"{self.level} ≠ {self.imported_level}"
        return self.level

    @property
    def rank(self) -> int:
        return LEVELS.index(self.level)


def level_sort_key(rank: int, over_states: bool) -> int:
    """The Level column's order: over-stating records above all others (first when sorted
    descending), then by computed level. The SQL order of the records list uses the same key."""
    return (10 if over_states else 0) + rank
