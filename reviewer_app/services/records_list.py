"""A record as the records list shows it, and the list read quickly for ``reviewer-app list``.

Kept apart from ``workspace.py``, which loads SQLAlchemy: on a local workspace whose schema is
current the CLI's list is read without it (``storage/record_listing.py`` says why and when).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Protocol

from reviewer_app.domain.records import RecordKind
from reviewer_app.storage.record_listing import read_sqlite_latest_revisions

if TYPE_CHECKING:
    from reviewer_app.domain.level_summary import GroundingBadge


@dataclass(frozen=True)
class RecordSummary:
    local_id: str
    kind: RecordKind
    title: str
    date: date | None
    review_score: float | None
    tier: str | None
    claims_extracted: int | None
    revision_count: int
    grounding: GroundingBadge | None = None
    """The stored computed grounding level (of the current rule set); None: not known yet."""


class ListedRevision(Protocol):
    """A newest revision as the list queries return it (``LatestRevision`` or a SQL row)."""

    @property
    def record_id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def published_on(self) -> date | None: ...
    @property
    def review_score(self) -> float | None: ...
    @property
    def automated_tier(self) -> str | None: ...
    @property
    def claims_extracted(self) -> int | None: ...
    @property
    def revision_count(self) -> int: ...


def summary_of(row: ListedRevision, grounding: GroundingBadge | None = None) -> RecordSummary:
    return RecordSummary(
        local_id=row.record_id,
        kind=RecordKind(row.kind),
        title=row.title,
        date=row.published_on,
        review_score=row.review_score,
        tier=row.automated_tier,
        claims_extracted=row.claims_extracted,
        revision_count=row.revision_count,
        grounding=grounding,
    )


def quick_record_summaries(db: str) -> list[RecordSummary] | None:
    """What ``Workspace.list_records`` answers, read from the SQLite file ``db`` names without
    opening the workspace; None when the workspace has to be opened for it (a URL, no file
    yet, an older schema, an error: see ``read_sqlite_latest_revisions``)."""
    rows = read_sqlite_latest_revisions(db)
    return None if rows is None else [summary_of(row) for row in rows]
