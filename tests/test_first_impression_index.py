"""Migration 0005: one first impression per reviewer and record, enforced by the database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from reviewer_app.storage.database import MIGRATIONS_DIR, Database, database_url

CREATED = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
SHEETS = sa.table(
    "score_sheets",
    *map(sa.column, ("id", "record_id", "reviewer_id", "review_score", "submitted")),
    sa.column("first_impression"),
    sa.column("created_at"),
)


def _migrate(db_url: str, revision: str, *, down: bool = False) -> None:
    engine = sa.create_engine(database_url(db_url))
    try:
        with engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS_DIR))
            config.attributes["connection"] = connection
            (command.downgrade if down else command.upgrade)(config, revision)
    finally:
        engine.dispose()


def _sheet(sheet_id: int, reviewer_id: int, first: bool) -> dict[str, object]:
    return {
        "id": sheet_id,
        "record_id": "RPT-1",
        "reviewer_id": reviewer_id,
        "review_score": 5.0 + sheet_id,
        "submitted": True,
        "first_impression": first,
        "created_at": CREATED,
    }


def _seed_0003_with_duplicates(db_url: str) -> None:
    """Sheets as the race left them: ana has two first impressions, bob one."""
    _migrate(db_url, "0003")
    engine = sa.create_engine(database_url(db_url))
    with engine.begin() as connection:
        connection.execute(
            sa.table(
                "records", *map(sa.column, ("id", "kind", "identity_key", "created_at"))
            ).insert(),
            {"id": "RPT-1", "kind": "report", "identity_key": "k", "created_at": CREATED},
        )
        connection.execute(
            sa.table("reviewers", *map(sa.column, ("id", "name", "created_at"))).insert(),
            [
                {"id": 1, "name": "ana", "created_at": CREATED},
                {"id": 2, "name": "bob", "created_at": CREATED},
            ],
        )
        connection.execute(
            SHEETS.insert(),
            [_sheet(1, 1, True), _sheet(2, 1, True), _sheet(3, 2, True), _sheet(4, 1, False)],
        )
    engine.dispose()


def test_upgrade_keeps_the_earliest_first_impression_and_every_sheet(db_url: str) -> None:
    _seed_0003_with_duplicates(db_url)
    database = Database.open(db_url)
    try:
        assert database.schema_revision() == Database.head_revision()
        with database.engine.connect() as connection:
            rows = connection.execute(
                sa.select(SHEETS.c.id, SHEETS.c.first_impression).order_by(SHEETS.c.id)
            ).all()
        assert [(row.id, bool(row.first_impression)) for row in rows] == [
            (1, True),
            (2, False),
            (3, True),
            (4, False),
        ]
        with pytest.raises(sa.exc.IntegrityError), database.engine.begin() as connection:
            connection.execute(SHEETS.insert(), _sheet(5, 2, True))
    finally:
        database.close()


def test_downgrade_to_0003_drops_only_the_index(db_url: str) -> None:
    _seed_0003_with_duplicates(db_url)
    Database.open(db_url).close()
    _migrate(db_url, "0003", down=True)
    engine = sa.create_engine(database_url(db_url))
    try:
        with engine.begin() as connection:
            connection.execute(SHEETS.insert(), _sheet(5, 2, True))  # allowed again
            assert connection.scalar(sa.select(sa.func.count()).select_from(SHEETS)) == 5
    finally:
        engine.dispose()
