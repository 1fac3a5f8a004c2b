"""Stored computed grounding levels (issue 13, item 5): the records list sorts and filters on
them in SQL over every record, stale ones (an older rule set) are "not known yet", and in a
team workspace each role stores and reads only the levels it computed from what it may see."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy.exc import DBAPIError

from reviewer_app.domain.grounding_rules import DEFAULT_GROUNDING_RULES
from reviewer_app.pdf import PdfStore
from reviewer_app.services.grounding import GroundingService
from reviewer_app.services.grounding_levels import refresh_levels
from reviewer_app.services.review import pdf_store_dir
from reviewer_app.services.workspace import RecordView, Workspace
from reviewer_app.storage.database import MIGRATIONS_DIR, Database
from tests.level_support import fill
from tests.team_support import Team

pytest_plugins = ("tests.team_support",)


def test_the_list_sorts_and_filters_on_stored_levels_over_every_record(db_url: str) -> None:
    with Workspace.open(db_url) as workspace:
        over_stating = fill(workspace, reports=130, record_pages=3)
        by_level = RecordView(sort="level", descending=True)
        only_over = RecordView(over_states_only=True)
        # nothing computed yet: no level known, nothing known to over-state
        assert workspace.records_window(by_level, 0, 5)[0].grounding is None
        assert workspace.count_records(only_over) == 0

        refresh = refresh_levels(workspace.database)
        assert len(refresh.changed) == 133
        top = workspace.records_window(by_level, 0, 3)
        assert {s.local_id for s in top} == set(over_stating)
        assert all(s.grounding and s.grounding.text == "L1 ≠ L2" for s in top)
        assert workspace.count_records(only_over) == 3
        assert {s.local_id for s in workspace.records_window(only_over, 0, 100)} == set(
            over_stating
        )
        assert workspace.records_window(RecordView(sort="level"), 0, 1)[0].grounding.level == "L1"
        # the filter text and the level filter combine; positions follow the level order
        assert workspace.count_records(RecordView("no. 1", over_states_only=True)) == 1
        assert workspace.record_position(over_stating[0], by_level) in (0, 1, 2)

        # a second pass over unchanged inputs writes nothing
        assert refresh_levels(workspace.database).changed == ()

        # a new rule set makes every stored level stale: not known until computed again
        service = GroundingService(workspace.database, PdfStore(pdf_store_dir()))
        service.set_rules(DEFAULT_GROUNDING_RULES)
        assert workspace.count_records(only_over) == 0
        assert workspace.records_window(by_level, 0, 1)[0].grounding is None
        assert len(refresh_levels(workspace.database).changed) == 133
        assert workspace.count_records(only_over) == 3


def test_levels_of_some_records_are_stored_for_those_only(db_url: str) -> None:
    with Workspace.open(db_url) as workspace:
        over_stating = fill(workspace, reports=4, record_pages=2)
        refresh = refresh_levels(workspace.database, [over_stating[0], "NO-SUCH-RECORD"])
        assert set(refresh.badges) == {over_stating[0]} and refresh.changed == (over_stating[0],)
        assert workspace.count_records(RecordView(over_states_only=True)) == 1


@pytest.mark.postgres
def test_each_team_role_stores_and_reads_only_its_own_levels(team: Team) -> None:
    """A computed level follows the verdicts its viewer may see; a shared row would tell a
    blind reviewer how colleagues judged, so alice's levels are hers alone."""
    with Workspace.open(team.urls["alice"]) as workspace:
        refresh = refresh_levels(workspace.database)
        assert set(refresh.changed) == set(team.records)
        assert workspace.records_window(RecordView(sort="level"), 0, 1)[0].grounding is not None
    count = "SELECT count(*) FROM grounding_levels"
    assert team.sql("alice", count) == [(len(team.records),)]
    assert team.sql("bob", count) == [(0,)]
    with Workspace.open(team.urls["bob"]) as workspace:
        assert workspace.records_window(RecordView(sort="level"), 0, 1)[0].grounding is None
        refresh_levels(workspace.database)
    assert team.sql("bob", count) == [(len(team.records),)]
    with pytest.raises(DBAPIError, match="row-level security"):
        team.sql(
            "bob",
            "INSERT INTO grounding_levels (record_id, viewer, level, sort_key, over_states, "
            "rules_version, fingerprint, computed_at) VALUES (:r, :alice, 'L3', 3, false, 1, "
            "'x', now()) ON CONFLICT (record_id, viewer) DO UPDATE SET level = 'L3'",
            r=team.records[0],
            alice=team.roles["alice"],
        )
    assert team.sql("bob", "UPDATE grounding_levels SET level = 'L3' WHERE viewer = :a "
                    "RETURNING 1", a=team.roles["alice"]) == []  # fmt: skip
    assert team.sql("owner", count) == [(2 * len(team.records),)]




@pytest.mark.postgres
def test_migration_puts_the_table_under_an_existing_teams_row_level_security(team: Team) -> None:
    """A team workspace made before 0010_levels: upgrading creates the table with its policies,
    forced row level security and the members' grants, without re-running ``team init``."""
    database = Database.open(team.owner_url, upgrade=False)
    try:
        _alembic(database, "downgrade", "0008_team")
        assert team.sql("owner", "SELECT to_regclass('grounding_levels')") == [(None,)]
        _alembic(database, "upgrade", "head")
    finally:
        database.close()
    forced = "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = :t"
    assert team.sql("owner", forced, t="grounding_levels") == [(True, True)]
    with Workspace.open(team.urls["alice"]) as workspace:
        assert set(refresh_levels(workspace.database).changed) == set(team.records)
    count = "SELECT count(*) FROM grounding_levels"
    assert team.sql("alice", count) == [(len(team.records),)]
    assert team.sql("bob", count) == [(0,)]


def _alembic(database: Database, action: str, revision: str) -> None:
    with database.engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.attributes["connection"] = connection
        getattr(command, action)(config, revision)
