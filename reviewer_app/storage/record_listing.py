"""The records list's one query (the newest revision of every record, with its count of
revisions), and that query read from a SQLite workspace file without SQLAlchemy.

``reviewer-app list`` is a quick command for scripts; importing SQLAlchemy and its ORM costs
several times what the query does. So on a local workspace whose schema is current the list is
read with the standard ``sqlite3`` module. ``records_repository.latest_revisions`` runs the same
SQL through SQLAlchemy (on any database), so the two readings cannot drift apart; anything out
of the ordinary (a URL, no file yet, an older schema, an error) is left to that usual way,
which creates, upgrades or reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reviewer_app.storage.sqlite_file import read_current_sqlite

LATEST_REVISIONS_SQL = """
SELECT r.record_id, records.kind, r.title, r.published_on, r.review_score, r.automated_tier,
       r.claims_extracted, newest.revision_count
FROM record_revisions AS r
JOIN (SELECT record_id, max(revision) AS latest, count(*) AS revision_count
      FROM record_revisions GROUP BY record_id) AS newest
  ON newest.record_id = r.record_id AND newest.latest = r.revision
JOIN records ON records.id = r.record_id
ORDER BY r.record_id
"""
"""Its columns are LatestRevision's fields, in order. No revision's JSON sections are read."""


@dataclass(frozen=True)
class LatestRevision:
    """What the records list shows of a record's newest revision."""

    record_id: str
    kind: str
    title: str
    published_on: date | None
    review_score: float | None
    automated_tier: str | None
    claims_extracted: int | None
    revision_count: int


def read_sqlite_latest_revisions(db: str) -> list[LatestRevision] | None:
    """The records list of the SQLite workspace file ``db`` names, or None when this cannot
    answer: ``db`` is a URL, the file does not exist yet, its schema is not the newest, or
    SQLite refuses (locked past the busy timeout, not a database, ...)."""
    rows = read_current_sqlite(db, lambda cursor: cursor.execute(LATEST_REVISIONS_SQL).fetchall())
    if rows is None:
        return None
    # SQLAlchemy keeps a SQLite DATE as ISO text
    return [
        LatestRevision(
            record_id=row[0],
            kind=row[1],
            title=row[2],
            published_on=date.fromisoformat(row[3]) if row[3] else None,
            review_score=row[4],
            automated_tier=row[5],
            claims_extracted=row[6],
            revision_count=row[7],
        )
        for row in rows
    ]
