"""Row level security of a team workspace, exercised through raw SQL as the wrong role: each
rule refuses the statement or shows zero rows (issue 14). The same rules hold for psql."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.exc import DBAPIError

from reviewer_app.cli import cli
from tests.conftest import SAMPLES
from tests.team_support import REPORT, Team

pytest_plugins = ("tests.team_support",)

pytestmark = pytest.mark.postgres

REFUSED = "row-level security|permission denied"


def add_verdict(team: Team, who: str, record: str, *, as_id: int | None = None) -> None:
    team.sql(
        who,
        "INSERT INTO claim_verdicts (record_id, claim_position, reviewer_id, verdict, created_at)"
        " VALUES (:r, 1, :me, 'supported', now())",
        r=record,
        me=team.reviewer_id(who) if as_id is None else as_id,
    )


def add_sheet(team: Team, who: str, record: str, *, submitted: bool) -> None:
    team.sql(
        who,
        "INSERT INTO score_sheets (record_id, reviewer_id, review_score, submitted,"
        " first_impression, created_at) VALUES (:r, :me, 7.0, :s, :s, now())",
        r=record,
        me=team.reviewer_id(who),
        s=submitted,
    )


def visible_reviewers(team: Team, who: str, table: str, record: str) -> set[str]:
    rows = team.sql(
        who,
        f"SELECT DISTINCT r.name FROM {table} t JOIN reviewers r ON r.id = t.reviewer_id "
        "WHERE t.record_id = :r",
        r=record,
    )
    short = {role: name for name, role in team.roles.items()}
    return {short[name] for (name,) in rows}


def test_nobody_inserts_as_someone_else(team: Team) -> None:
    record = team.records[0]
    bob = team.reviewer_id("bob")
    with pytest.raises(DBAPIError, match=REFUSED):
        add_verdict(team, "alice", record, as_id=bob)
    with pytest.raises(DBAPIError, match=REFUSED):
        team.sql(
            "alice",
            "INSERT INTO score_sheets (record_id, reviewer_id, submitted, first_impression,"
            " created_at) VALUES (:r, :b, true, true, now())",
            r=record,
            b=bob,
        )
    with pytest.raises(DBAPIError, match=REFUSED):
        team.sql(
            "alice",
            "INSERT INTO corrections (id, record_id, reviewer_id, what, why, created_at)"
            " VALUES ('c1', :r, :b, 'x', 'y', now())",
            r=record,
            b=bob,
        )
    with pytest.raises(DBAPIError, match=REFUSED):
        team.sql("alice", "INSERT INTO reviewers (name, created_at) VALUES ('mallory', now())")
    assert team.sql("owner", "SELECT count(*) FROM claim_verdicts") == [(0,)]
    add_verdict(team, "alice", record)  # as herself it goes in
    assert visible_reviewers(team, "owner", "claim_verdicts", record) == {"alice"}


def test_nobody_updates_or_deletes_anothers_rows(team: Team) -> None:
    record = team.records[0]
    add_verdict(team, "bob", record)
    add_sheet(team, "bob", record, submitted=True)
    add_sheet(team, "alice", record, submitted=True)  # alice may now read bob's rows...
    assert visible_reviewers(team, "alice", "claim_verdicts", record) == {"bob"}
    # ...but not change or remove them: no UPDATE or DELETE privilege on judgements at all.
    for statement in (
        "UPDATE claim_verdicts SET verdict = 'refuted'",
        "DELETE FROM claim_verdicts",
        "UPDATE score_sheets SET review_score = 1",
        "DELETE FROM score_sheets",
    ):
        with pytest.raises(DBAPIError, match=REFUSED):
            team.sql("alice", statement)
    # Spans may be updated (the removal mark), but only one's own: bob's stay untouched.
    team.sql(
        "bob",
        "INSERT INTO evidence_spans (id, record_id, claim_position, reviewer_id, source_sha256,"
        ' stance, page, quads, exact, prefix, suffix, start, "end", created_at) VALUES'
        " ('s1', :r, 1, :b, :sha, 'supports', 0, '[]', 'x', '', '', 0, 1, now())",
        r=record,
        b=team.reviewer_id("bob"),
        sha="0" * 64,
    )
    team.sql("alice", "UPDATE evidence_spans SET removed_at = now()")
    assert team.sql("owner", "SELECT removed_at FROM evidence_spans") == [(None,)]
    assert team.sql("owner", "SELECT verdict FROM claim_verdicts") == [("supported",)]


def test_blind_mode_others_work_only_after_submitting_ones_own(team: Team) -> None:
    record = team.records[0]
    add_verdict(team, "bob", record)
    add_sheet(team, "bob", record, submitted=True)
    add_verdict(team, "alice", record)
    add_sheet(team, "alice", record, submitted=False)  # a draft is not a submission
    assert visible_reviewers(team, "alice", "claim_verdicts", record) == {"alice"}
    assert visible_reviewers(team, "alice", "score_sheets", record) == {"alice"}
    assert visible_reviewers(team, "bob", "score_sheets", record) == {"bob"}  # alice's draft

    add_sheet(team, "alice", record, submitted=True)
    assert visible_reviewers(team, "alice", "claim_verdicts", record) == {"alice", "bob"}
    assert visible_reviewers(team, "alice", "score_sheets", record) == {"alice", "bob"}
    # bob sees alice's submitted sheet, never her draft version of it
    rows = team.sql(
        "bob",
        "SELECT submitted FROM score_sheets WHERE reviewer_id = :a",
        a=team.reviewer_id("alice"),
    )
    assert rows == [(True,)]


def test_drafts_are_readable_by_their_author_only(team: Team) -> None:
    first, second = team.records
    add_sheet(team, "bob", second, submitted=False)
    add_sheet(team, "alice", second, submitted=True)
    add_sheet(team, "alice", first, submitted=True)
    assert visible_reviewers(team, "alice", "score_sheets", second) == {"alice"}
    assert visible_reviewers(team, "carol", "score_sheets", second) == {"alice"}  # adjudicator


def test_the_ledger_cannot_be_forged(team: Team) -> None:
    with pytest.raises(DBAPIError, match=REFUSED):
        team.sql(
            "alice",
            "INSERT INTO reviewer_app_work VALUES (:r, :a, 'submitted')",
            r=team.records[0],
            a=team.reviewer_id("alice"),
        )


def test_adjudicator_reads_submitted_sheets_where_she_has_no_work(team: Team) -> None:
    first, second = team.records
    for who in ("alice", "bob"):
        add_verdict(team, who, first)
        add_sheet(team, who, first, submitted=True)
    assert visible_reviewers(team, "carol", "score_sheets", first) == {"alice", "bob"}
    assert visible_reviewers(team, "carol", "claim_verdicts", first) == {"alice", "bob"}
    adjudicate = (
        "INSERT INTO adjudications (record_id, field, value, rationale, adjudicator_id,"
        " created_at) VALUES (:r, 'review_score', '7', 'middle', :me, now())"
    )
    team.sql("carol", adjudicate, r=first, me=team.reviewer_id("carol"))
    with pytest.raises(DBAPIError, match=REFUSED):  # alice is no adjudicator
        team.sql("alice", adjudicate, r=first, me=team.reviewer_id("alice"))
    with pytest.raises(DBAPIError, match=REFUSED):  # nor may anyone sign as carol
        team.sql("alice", adjudicate, r=first, me=team.reviewer_id("carol"))

    add_verdict(team, "carol", second)  # carol reviews the second record herself...
    add_sheet(team, "alice", second, submitted=True)
    assert visible_reviewers(team, "carol", "score_sheets", second) == set()
    with pytest.raises(DBAPIError, match=REFUSED):  # ...so she cannot adjudicate it
        team.sql("carol", adjudicate, r=second, me=team.reviewer_id("carol"))


def test_records_and_sources_readable_by_all_policy_changes_by_adjudicators(team: Team) -> None:
    for who in ("alice", "bob", "carol"):
        assert team.sql(who, "SELECT count(*) FROM records") == [(2,)]
        assert team.sql(who, "SELECT count(*) FROM claims")[0][0] > 0
    new_policy = (
        "INSERT INTO tier_policies (version, definition, created_at) VALUES (:v, '{}', now())"
    )
    with pytest.raises(DBAPIError, match=REFUSED):
        team.sql("alice", new_policy, v=90)
    with pytest.raises(DBAPIError, match=REFUSED):
        team.sql("alice", "INSERT INTO workspace_settings VALUES ('blind_mode', 'false')")
    team.sql("carol", new_policy, v=91)
    assert team.sql("alice", "SELECT version FROM tier_policies ORDER BY version") == [(1,), (91,)]


def test_blind_mode_off_is_an_adjudicators_setting_and_lifts_blindness(team: Team) -> None:
    record = team.records[0]
    add_verdict(team, "bob", record)
    assert visible_reviewers(team, "alice", "claim_verdicts", record) == set()
    team.sql("carol", "INSERT INTO workspace_settings VALUES ('blind_mode', 'false')")
    assert visible_reviewers(team, "alice", "claim_verdicts", record) == {"bob"}


def test_members_import_records_but_cannot_change_an_imported_one(
    team: Team, tmp_path: Path
) -> None:
    changed = tmp_path / REPORT  # a new version of a record, with its ten claims
    changed.write_text(
        (SAMPLES / REPORT).read_text(encoding="utf-8").replace("captivating", "striking"),
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["--db", team.urls["alice"], "import", str(changed)])
    assert result.exit_code == 0, result.stderr
    assert team.sql("bob", "SELECT count(*) FROM record_revisions") == [(3,)]
    assert team.sql("bob", "SELECT count(*) FROM claims") == [(20,)]
    revision = team.sql("owner", "SELECT min(id) FROM record_revisions")[0][0]
    with pytest.raises(DBAPIError, match=REFUSED):
        team.sql(
            "alice",
            "INSERT INTO claims (revision_id, position, text, verified, confidence)"
            " VALUES (:rev, 99, 'a claim the generator never made', true, 0.99)",
            rev=revision,
        )
    with pytest.raises(DBAPIError, match=REFUSED):
        team.sql("alice", "UPDATE claims SET text = 'rewritten'")
    assert team.sql("owner", "SELECT count(*) FROM claims WHERE position = 99") == [(0,)]
