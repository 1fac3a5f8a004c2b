"""LISTEN/NOTIFY: a colleague's commit reaches a listener; nothing is sent before the commit."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from reviewer_app.storage.database import Database
from reviewer_app.storage.notifications import ChangeListener, ListenerLost, parse_change
from tests.team_support import Team

pytest_plugins = ("tests.team_support",)
pytestmark = pytest.mark.postgres


def test_a_commit_notifies_once_per_record_table_and_statement(team: Team) -> None:
    record = team.records[0]
    database = Database.open(team.urls["alice"])
    listener = ChangeListener.for_database(database)
    listener.connect()
    try:
        engine = team.engine("bob")
        me = team.reviewer_id("bob")
        with engine.connect() as connection:
            connection.execute(  # three rows in one statement: one notification
                text(
                    "INSERT INTO claim_verdicts (record_id, claim_position, reviewer_id, verdict,"
                    " created_at) SELECT :r, p, :me, 'supports', now() FROM generate_series(1, 3) p"
                ),
                {"r": record, "me": me},
            )
            assert listener.wait(0.2) == []  # not committed yet: nothing is sent
            connection.commit()
        changes = listener.wait(5.0)
        assert [(c.table, c.record_id, c.reviewer_id) for c in changes] == [
            ("claim_verdicts", record, me)
        ]
        assert changes[0].sent_at is not None and changes[0].sent_at <= changes[0].received_at
    finally:
        listener.close()
        database.close()


def test_a_dropped_connection_is_reported(team: Team) -> None:
    database = Database.open(team.urls["alice"])
    listener = ChangeListener.for_database(database, probe_every_s=0.0)
    listener.connect()
    team.sql(
        "owner",
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE application_name = 'reviewer-app live updates'",
    )
    with pytest.raises(ListenerLost):
        for _ in range(50):  # the loss shows at the next read, which is at once
            listener.wait(0.1)  # an idle wait probes the connection every time here
    assert not listener.connected
    listener.connect()  # and it reconnects
    assert listener.connected
    listener.close()
    database.close()


def test_foreign_payloads_are_ignored() -> None:
    assert parse_change("not json", 0.0) is None
    assert parse_change('{"table": "score_sheets", "record": "R", "reviewer": "3"}', 1.0) == (
        parse_change('{"table": "score_sheets", "record": "R", "reviewer": 3}', 1.0)
    )
