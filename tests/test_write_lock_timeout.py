"""A save that waits behind another writer gives up with a clear message instead of hanging the
window (PostgreSQL's write lock is an advisory lock, which waits forever unless told not to)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from reviewer_app.errors import WriteFailed
from reviewer_app.services.reviewers import ReviewerService
from reviewer_app.storage import database as database_module
from reviewer_app.storage.database import WRITE_LOCK_KEY, Database

pytestmark = pytest.mark.postgres


def test_a_save_behind_a_stuck_writer_fails_with_a_message(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = Database.open(postgres_url)
    monkeypatch.setattr(database_module, "WRITE_LOCK_TIMEOUT_S", 0.3)
    other = create_engine(postgres_url)
    try:
        with other.connect() as holder:
            holder.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
            with pytest.raises(WriteFailed, match="another save held the workspace"):
                ReviewerService(database).ensure("ada")
            holder.rollback()
        # the lock is free again: the same save goes through and nothing half-made is left
        ReviewerService(database).ensure("ada")
        assert [r.name for r in ReviewerService(database).list()] == ["ada"]
    finally:
        other.dispose()
        database.close()
