"""Concurrent team writers: a deadlock the server resolves is retried, never shown; four
reviewers writing at once lose nothing (issue 14)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, create_engine, text

from reviewer_app.services.review import ReviewService
from reviewer_app.services.scoring import ScoringService
from reviewer_app.services.team import TeamService
from reviewer_app.services.workspace import Workspace
from reviewer_app.storage.retry import retried
from tests.team_support import Team, member_url

pytest_plugins = ("tests.team_support",)
pytestmark = pytest.mark.postgres


def _wait_until_blocked(engine: Engine, application_name: str) -> None:
    with engine.connect() as connection:
        while not connection.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = :a "
                "AND wait_event_type = 'Lock'"
            ),
            {"a": application_name},
        ):
            connection.rollback()  # a fresh snapshot of pg_stat_activity each time


def test_a_deadlock_victim_is_retried_and_succeeds(postgres_url: str) -> None:
    owner = create_engine(postgres_url)
    with owner.begin() as connection:
        connection.execute(text("CREATE TABLE pair (id int PRIMARY KEY, n int)"))
        connection.execute(text("INSERT INTO pair VALUES (1, 0), (2, 0)"))
    victim = create_engine(postgres_url, connect_args={"application_name": "victim"})
    attempts: list[int] = []
    other_holds_row_1 = threading.Event()

    def other_writer() -> None:
        with owner.begin() as connection:
            connection.execute(text("UPDATE pair SET n = n + 10 WHERE id = 1"))
            other_holds_row_1.set()
            _wait_until_blocked(owner, "victim")  # the victim waits on row 1 first...
            connection.execute(text("UPDATE pair SET n = n + 10 WHERE id = 2"))  # ...cycle

    @retried
    def unit_of_work() -> None:
        attempts.append(len(attempts) + 1)
        with victim.begin() as connection:
            connection.execute(text("SET LOCAL deadlock_timeout = '50ms'"))
            connection.execute(text("UPDATE pair SET n = n + 1 WHERE id = 2"))
            connection.execute(text("UPDATE pair SET n = n + 1 WHERE id = 1"))

    thread = threading.Thread(target=other_writer)
    thread.start()
    other_holds_row_1.wait()
    unit_of_work()  # raises nothing although its first attempt was chosen as the victim
    thread.join()
    with owner.connect() as connection:
        totals = connection.execute(text("SELECT n FROM pair ORDER BY id")).all()
    assert attempts == [1, 2]
    assert [n for (n,) in totals] == [11, 11]
    victim.dispose()
    owner.dispose()


def test_four_reviewers_writing_at_once_lose_nothing(team: Team) -> None:
    record = team.records[0]
    with Workspace.open(team.owner_url) as workspace:
        dave = team.roles["alice"].replace("alice", "dave")
        TeamService(workspace.database).add(dave)
    roles = [team.roles["alice"], team.roles["bob"], team.roles["carol"], dave]
    writes_each = 40

    # opened one after the other: Alembic's upgrade check is not thread-safe
    workspaces = {role: Workspace.open(member_url(team.owner_url, role)) for role in roles}

    def reviewer_session(role: str) -> int:
        review = ReviewService.for_workspace(workspaces[role])
        scoring = ScoringService(workspaces[role].database)
        for n in range(writes_each):
            if n % 2:
                scoring.sheets.save(record, role, review_score=n % 10, submit=n % 4 == 1)
            else:
                review.set_verdict(
                    record, 1 + n % 5, reviewer=role,
                    verdict="not-enough-evidence", note=f"write {n}",
                )  # fmt: skip
        return writes_each

    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            written = sum(pool.map(reviewer_session, roles))
    finally:
        for workspace in workspaces.values():
            workspace.close()
    counted = team.sql(
        "owner",
        "SELECT (SELECT count(*) FROM claim_verdicts) + (SELECT count(*) FROM score_sheets)",
    )
    assert written == counted[0][0] == 4 * writes_each
    # every reviewer's own rows, as that reviewer sees them, are all there
    for role in roles:
        rows = team.sql(
            "owner",
            "SELECT count(*) FROM claim_verdicts v JOIN reviewers r ON r.id = v.reviewer_id "
            "WHERE r.name = :n",
            n=role,
        )
        assert rows == [(writes_each // 2,)]
