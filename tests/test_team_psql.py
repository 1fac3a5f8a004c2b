"""Blind mode in a team workspace holds for the plain ``psql`` client too (issue 14): the rules
are the server's row level security, so a reviewer who opens a terminal instead of the app
still sees only their own judgements until they submit, and cannot change a colleague's."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from click.testing import CliRunner
from sqlalchemy.engine import make_url

from reviewer_app.cli import cli
from tests.team_support import Team

pytest_plugins = ("tests.team_support",)

pytestmark = pytest.mark.postgres

PSQL = shutil.which("psql") or ("/usr/bin/psql" if os.path.exists("/usr/bin/psql") else None)
needs_psql = pytest.mark.skipif(
    PSQL is None, reason="the psql client is not installed (apt-get install postgresql-client)"
)


def psql(team: Team, who: str, sql: str, *, quiet: bool = True) -> subprocess.CompletedProcess[str]:
    """Run ``sql`` with the real psql client, connected as ``who`` by a libpq connection string
    (the test server trusts loopback, so no password is needed; none is in the environment)."""
    assert PSQL is not None
    url = team.owner_url if who == "owner" else team.urls[who]
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["PGCONNECT_TIMEOUT"] = "10"
    args = [PSQL, "-X", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1"]
    if quiet:
        args.append("-q")
    return subprocess.run(
        [*args, "-d", conninfo, "-c", sql],
        capture_output=True, text=True, env=env, timeout=30, check=False,
    )  # fmt: skip


def rows(team: Team, who: str, sql: str) -> list[list[str]]:
    done = psql(team, who, sql)
    assert done.returncode == 0, done.stderr
    return [line.split("\t") for line in done.stdout.splitlines() if line]


def refused(team: Team, who: str, sql: str, reason: str) -> None:
    done = psql(team, who, sql)
    assert done.returncode != 0, f"psql as {who} was allowed: {sql}\n{done.stdout}"
    assert reason in done.stderr, done.stderr


def run(db: str, *args: str) -> None:
    result = CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr


def bob_submits_alice_drafts(team: Team, record: str) -> None:
    """bob: a verdict, a submitted sheet and an evidence span; alice: a verdict and a draft."""
    bob, alice = team.urls["bob"], team.urls["alice"]
    run(bob, "verdict", record, "--claim", "1", "--verdict", "supports", "--note", "bob-note",
        "--reason", "quoted in the text")  # fmt: skip
    run(bob, "score", record, "--reviewer", team.roles["bob"], "--review-score", "8",
        "--comments", "bob-comment", "--submit")  # fmt: skip
    team.sql(
        "bob",
        "INSERT INTO evidence_spans (id, record_id, claim_position, reviewer_id, source_sha256,"
        ' stance, page, quads, exact, prefix, suffix, start, "end", created_at) VALUES'
        " ('bob-span', :r, 1, reviewer_app_me(), :sha, 'supports', 0, '[]', 'x', '', '', 0, 1,"
        " now())",
        r=record,
        sha="0" * 64,
    )
    run(alice, "verdict", record, "--claim", "1", "--verdict", "contradicts",
        "--reason", "the table says otherwise")  # fmt: skip
    run(alice, "score", record, "--reviewer", team.roles["alice"], "--review-score", "3")


WHOSE = (
    "SELECT r.name, t.{col} FROM {table} t JOIN reviewers r ON r.id = t.reviewer_id "
    "WHERE t.record_id = '{record}' ORDER BY t.id"
)


@needs_psql
def test_psql_shows_a_reviewer_who_has_not_submitted_only_their_own_rows(team: Team) -> None:
    record = team.records[0]
    bob_submits_alice_drafts(team, record)
    alice, bob = team.roles["alice"], team.roles["bob"]
    bob_id = team.reviewer_id("bob")
    verdicts = WHOSE.format(col="verdict", table="claim_verdicts", record=record)
    sheets = WHOSE.format(col="review_score", table="score_sheets", record=record)
    spans = WHOSE.format(col="id", table="evidence_spans", record=record)
    # bob's rows are there (the owner sees them)...
    assert rows(team, "owner", verdicts) == [[bob, "supports"], [alice, "contradicts"]]
    assert rows(team, "owner", sheets) == [[bob, "8"], [alice, "3"]]
    assert rows(team, "owner", spans) == [[bob, "bob-span"]]
    # ...but alice, who has not submitted, sees her own only, whatever she asks psql for
    assert rows(team, "alice", verdicts) == [[alice, "contradicts"]]
    assert rows(team, "alice", sheets) == [[alice, "3"]]
    assert rows(team, "alice", spans) == []
    for table in ("claim_verdicts", "score_sheets", "evidence_spans"):
        bobs = f"SELECT count(*) FROM {table} WHERE reviewer_id = {bob_id}"
        assert rows(team, "alice", bobs) == [["0"]]
    bob_note = "SELECT count(*) FROM claim_verdicts WHERE note = 'bob-note'"
    assert rows(team, "alice", bob_note) == [["0"]]
    # nor can she switch the filter off or borrow bob's role
    refused(team, "alice", f"SET row_security = off; {verdicts}",
            "query would be affected by row-level security policy")  # fmt: skip
    refused(team, "alice", f'SET ROLE "{bob}"', "permission denied to set role")

    # a colleague's judgement rows cannot be changed or removed
    for statement in (
        f"UPDATE claim_verdicts SET verdict = 'contradicts' WHERE reviewer_id = {bob_id}",
        f"DELETE FROM claim_verdicts WHERE reviewer_id = {bob_id}",
        f"UPDATE score_sheets SET review_score = 0 WHERE reviewer_id = {bob_id}",
        f"DELETE FROM score_sheets WHERE reviewer_id = {bob_id}",
        f"DELETE FROM evidence_spans WHERE reviewer_id = {bob_id}",
    ):
        refused(team, "alice", statement, "permission denied for table")
    refused(
        team, "alice",
        "INSERT INTO claim_verdicts (record_id, claim_position, reviewer_id, verdict, created_at)"
        f" VALUES ('{record}', 2, {bob_id}, 'supports', now())",
        "new row violates row-level security policy",
    )  # fmt: skip
    # spans carry a removal mark members may set, on their own spans only: bob's is not hit
    done = psql(team, "alice", "UPDATE evidence_spans SET removed_at = now()", quiet=False)
    assert done.returncode == 0 and done.stdout.strip() == "UPDATE 0", done
    assert rows(team, "owner", verdicts) == [[bob, "supports"], [alice, "contradicts"]]
    assert rows(team, "owner", sheets) == [[bob, "8"], [alice, "3"]]
    assert rows(team, "owner", "SELECT id, removed_at IS NULL FROM evidence_spans") == [
        ["bob-span", "t"]
    ]

    # Once she submits her own sheet (here from psql too), bob's work on the record shows.
    assert rows(
        team, "alice",
        "INSERT INTO score_sheets (record_id, reviewer_id, review_score, submitted,"
        f" first_impression, created_at) VALUES ('{record}', reviewer_app_me(), 3, true, true,"
        " now()) RETURNING submitted",
    ) == [["t"]]  # fmt: skip
    assert rows(team, "alice", verdicts) == [[bob, "supports"], [alice, "contradicts"]]
    assert [name for name, _score in rows(team, "alice", sheets)] == [bob, alice, alice]
    assert rows(team, "alice", spans) == [[bob, "bob-span"]]
    # and seeing them still gives no right to change them
    refused(team, "alice", f"UPDATE claim_verdicts SET verdict = 'contradicts' "
            f"WHERE reviewer_id = {bob_id}", "permission denied for table")  # fmt: skip


@needs_psql
def test_psql_never_shows_a_draft_to_anyone_but_its_author(team: Team) -> None:
    record = team.records[1]
    run(team.urls["bob"], "score", record, "--reviewer", team.roles["bob"],
        "--review-score", "2", "--comments", "bob-draft")  # fmt: skip
    run(team.urls["alice"], "score", record, "--reviewer", team.roles["alice"],
        "--review-score", "9", "--submit")  # fmt: skip
    drafts = "SELECT count(*) FROM score_sheets WHERE comments = 'bob-draft'"
    assert rows(team, "owner", drafts) == [["1"]]
    assert rows(team, "bob", drafts) == [["1"]]
    assert rows(team, "alice", drafts) == [["0"]]  # she has submitted, yet a draft stays private
    assert rows(team, "carol", drafts) == [["0"]]  # the adjudicator sees submitted sheets only
    assert rows(team, "carol", "SELECT review_score, submitted FROM score_sheets") == [["9", "t"]]
