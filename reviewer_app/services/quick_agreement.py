"""The workspace's agreement read quickly for ``reviewer-app agreement``: on a local workspace
whose schema is current the ratings are read with ``sqlite3`` (``storage/rating_reads.py`` says
why and when), so SQLAlchemy is never imported."""

from __future__ import annotations

from reviewer_app.domain.review_sheets import WorkspaceAgreement, workspace_agreement
from reviewer_app.storage.rating_reads import read_sqlite_ratings


def quick_workspace_agreement(db: str) -> WorkspaceAgreement | None:
    """What ``ScoringService.workspace_agreement`` answers, or None when the workspace has to
    be opened for it (a URL, no file yet, an older schema, an error)."""
    table = read_sqlite_ratings(db, every_record=False)
    return None if table is None else workspace_agreement(table)
