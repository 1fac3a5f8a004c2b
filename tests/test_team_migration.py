"""Migration 0008_team: a no-op on SQLite, inert on PostgreSQL until ``team init``, reversible."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from reviewer_app.services.scoring import ScoringService
from reviewer_app.services.team import TeamService
from reviewer_app.services.workspace import Workspace
from reviewer_app.storage.database import MIGRATIONS_DIR, Database
from reviewer_app.storage.team_sql import TEAM_TABLES
from tests.conftest import SAMPLES
from tests.team_support import REPORT


def _alembic(database: Database, action: str, revision: str) -> None:
    with database.engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.attributes["connection"] = connection
        getattr(command, action)(config, revision)


def _policy_count(database: Database) -> int:
    if database.engine.dialect.name != "postgresql":
        return 0
    with database.engine.connect() as connection:
        return int(
            connection.scalar(
                text("SELECT count(*) FROM pg_policies WHERE policyname LIKE 'reviewer_app_%'")
            )
        )


def test_upgrade_from_0003_and_back(db_url: str) -> None:
    database = Database.open(db_url, upgrade=False)
    try:
        _alembic(database, "upgrade", "0003")
        _alembic(database, "upgrade", "0008_team")
        postgres = database.engine.dialect.name == "postgresql"
        assert (_policy_count(database) > len(TEAM_TABLES)) is postgres
        _alembic(database, "downgrade", "0003")
        assert _policy_count(database) == 0
        _alembic(database, "upgrade", "head")
        assert database.schema_revision() == Database.head_revision()
    finally:
        database.close()


def test_without_team_init_nothing_is_enforced(postgres_url: str) -> None:
    with Workspace.open(postgres_url) as workspace:
        record = workspace.import_files([SAMPLES / REPORT]).imported[0].local_id
        scoring = ScoringService(workspace.database)
        # Any reviewer name is accepted, as before: the database is not a team workspace.
        scoring.sheets.save(record, "alice", dimensions={}, review_score=4.0, submit=True)
        scoring.sheets.save(record, "bob", dimensions={}, review_score=6.0, submit=False)
        assert TeamService(workspace.database).connected_reviewer() is None
    engine = create_engine(postgres_url)
    with engine.connect() as connection:
        forced = connection.scalar(
            text("SELECT bool_or(relrowsecurity) FROM pg_class WHERE relname = 'score_sheets'")
        )
        ledger = connection.execute(text("SELECT kind FROM reviewer_app_work ORDER BY kind"))
        assert (forced, [k for (k,) in ledger]) == (False, ["sheet", "sheet", "submitted"])
    engine.dispose()
