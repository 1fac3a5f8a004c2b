"""What the records list asks the database for, apart from the SQL that answers it
(``record_summaries``): the service and the UI name a view without loading that SQL and the
grounding tables it joins, which ``reviewer-app list`` never needs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ListQuery:
    """What the records list asks for: filter text, only over-stating records, and order."""

    contains: str = ""
    sort: str = "date"
    """title, kind, date, score or level"""
    descending: bool = True
    over_states_only: bool = False
