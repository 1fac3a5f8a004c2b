"""Row level security of the evidence finder's and the grounding checks' tables in a team
workspace (issues 12, 13 on top of 14): the wrong role through raw SQL is refused or sees zero
rows, the right role works through the CLI, and no table of the schema is left unclassified."""

from __future__ import annotations

import importlib
import json
import pkgutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.exc import DBAPIError

import reviewer_app.storage
from reviewer_app.cli import cli
from reviewer_app.pdf import PdfStore
from reviewer_app.services.review import pdf_store_dir
from reviewer_app.services.suggestions import SuggestionService
from reviewer_app.services.workspace import Workspace
from reviewer_app.storage import team_sql
from reviewer_app.storage.models import Base
from tests.evidence_support import make_evidence_source
from tests.team_support import Team, member_url

pytest_plugins = ("tests.team_support",)

REFUSED = "row-level security|permission denied"
NEW_TABLES = (
    "passage_layers", "passages", "suggestion_rankings", "suggestion_dismissals",
    "grounding_rules", "gate_artifacts", "gate_attestations",
)  # fmt: skip
SHA = "a" * 64


def run(db: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def refused(team: Team, who: str, statement: str, **params: object) -> None:
    with pytest.raises(DBAPIError, match=REFUSED):
        team.sql(who, statement, **params)


def changed(team: Team, who: str, statement: str, **params: object) -> int:
    """Rows an UPDATE/DELETE ... RETURNING 1 touched (0 when the policies hide them all)."""
    return len(team.sql(who, statement + " RETURNING 1", **params))


def submit_sheet(team: Team, who: str, record: str) -> None:
    team.sql(
        who,
        "INSERT INTO score_sheets (record_id, reviewer_id, review_score, submitted,"
        " first_impression, created_at) VALUES (:r, :me, 7.0, true, true, now())",
        r=record,
        me=team.reviewer_id(who),
    )


def test_every_table_of_the_schema_is_classified() -> None:
    for module in pkgutil.iter_modules(reviewer_app.storage.__path__):
        importlib.import_module(f"reviewer_app.storage.{module.name}")
    tables = set(Base.metadata.tables)
    unclassified = tables - set(team_sql.TABLE_CLASSES)
    assert not unclassified, f"classify these tables in team_sql.TABLE_CLASSES: {unclassified}"
    assert set(team_sql.TABLE_CLASSES) == set(team_sql.TEAM_TABLES) == tables | {LEDGER}
    with_select = {table for table, command, *_ in team_sql.POLICIES if command == "SELECT"}
    assert with_select == set(team_sql.TEAM_TABLES)
    writable = set(team_sql.MEMBER_UPDATES) | set(team_sql.MEMBER_DELETES)
    for table in writable:
        assert team_sql.TABLE_CLASSES[table] != team_sql.REVIEWER_WORK or table in (
            "evidence_spans",  # a span's removal mark: by its author only (policy)
            "span_anchors",  # re-anchored as its span's visibility allows
        ), table


LEDGER = "reviewer_app_work"


@pytest.mark.postgres
def test_every_table_of_the_database_is_under_forced_row_level_security(team: Team) -> None:
    rows = team.sql(
        "owner",
        "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') "
        "AND c.relname <> 'alembic_version'",
    )
    assert {name for name, *_ in rows} == set(team_sql.TEAM_TABLES)
    assert all(enabled and forced for _name, enabled, forced in rows)


@pytest.mark.postgres
def test_shared_derived_tables_are_for_members_only(team: Team) -> None:
    """Any member builds the passage index and ranking cache; a role outside the team (or one
    removed from it) reads nothing of them."""
    record = team.records[0]
    layer = (
        "INSERT INTO passage_layers (sha256, page_count, passage_count, index_version, "
        "lexical_at) VALUES (:s, 1, 1, 1, now())"
    )
    team.sql("alice", layer, s=SHA)
    team.sql(
        "bob",
        'INSERT INTO passages (sha256, ordinal, page, start, "end", text) '
        "VALUES (:s, 0, 1, 0, 9, 'negation is ignored')",
        s=SHA,
    )
    assert team.sql("carol", "SELECT count(*) FROM passages WHERE tsv @@ "
                    "to_tsquery('english', 'negation')") == [(1,)]  # fmt: skip
    assert changed(team, "carol", "UPDATE passages SET dense = NULL WHERE sha256 = :s", s=SHA)
    team.sql(
        "alice",
        "INSERT INTO suggestion_rankings (record_id, claim_position, candidates, created_at) "
        "VALUES (:r, 1, '[]', now())",
        r=record,
    )
    assert changed(team, "bob", "UPDATE suggestion_rankings SET created_at = now()") == 1

    outsider = team.roles["alice"].replace("alice", "eve")
    team.sql("owner", f'CREATE ROLE "{outsider}" LOGIN')
    team.urls["eve"] = member_url(team.owner_url, outsider)
    for table in ("passage_layers", "passages", "suggestion_rankings"):
        refused(team, "eve", f"SELECT count(*) FROM {table}")
    refused(team, "eve", layer, s="b" * 64)
    assert changed(team, "bob", "DELETE FROM passage_layers WHERE sha256 = :s", s=SHA) == 1
    assert team.sql("owner", "SELECT count(*) FROM passages") == [(0,)]
    refused(team, "alice", "DELETE FROM suggestion_rankings")


@pytest.mark.postgres
@pytest.mark.parametrize("table", ["suggestion_dismissals", "gate_attestations"])
def test_reviewer_work_is_own_additive_and_blind(team: Team, table: str) -> None:
    record = team.records[0]
    insert = {
        "suggestion_dismissals": (
            "INSERT INTO suggestion_dismissals (record_id, claim_position, reviewer_id, "
            'source_sha256, start, "end", created_at) VALUES (:r, 1, :me, :s, 0, 9, now())'
        ),
        "gate_attestations": (
            "INSERT INTO gate_attestations (id, record_id, artifact_sha256, reviewer_id, "
            "reproduced, created_at) VALUES (gen_random_uuid()::text, :r, :s, :me, true, now())"
        ),
    }[table]
    refused(team, "alice", insert, r=record, s=SHA, me=team.reviewer_id("bob"))
    team.sql("alice", insert, r=record, s=SHA, me=team.reviewer_id("alice"))
    count = f"SELECT count(*) FROM {table}"
    assert team.sql("alice", count) == [(1,)]
    assert team.sql("bob", count) == [(0,)]  # blind: bob has not submitted on the record
    refused(team, "alice", f"UPDATE {table} SET created_at = now()")
    refused(team, "bob", f"DELETE FROM {table}")
    submit_sheet(team, "bob", record)
    assert team.sql("bob", count) == [(1,)]
    # carol (adjudicator) has done no work on the record: she reads it, like submitted sheets
    assert team.sql("carol", count) == [(1,)]
    if table == "gate_attestations":
        # attesting is work on the record: it counts for blindness and adjudication
        kinds = team.sql("owner", "SELECT kind FROM reviewer_app_work WHERE reviewer_id = :a",
                         a=team.reviewer_id("alice"))  # fmt: skip
        assert ("attestation",) in kinds


@pytest.mark.postgres
def test_artifacts_are_attached_as_oneself_and_never_changed(team: Team) -> None:
    record = team.records[0]
    insert = (
        "INSERT INTO gate_artifacts (record_id, sha256, kind, file_name, size, attached_by, "
        "attached_at) VALUES (:r, :s, 'proof', 'proof.txt', 3, :by, now())"
    )
    refused(team, "alice", insert, r=record, s=SHA, by=team.reviewer_id("bob"))
    team.sql("alice", insert, r=record, s=SHA, by=team.reviewer_id("alice"))
    assert team.sql("bob", "SELECT count(*) FROM gate_artifacts") == [(1,)]  # an input
    refused(team, "bob", "UPDATE gate_artifacts SET kind = 'other'")
    refused(team, "alice", "DELETE FROM gate_artifacts")


@pytest.mark.postgres
def test_grounding_rules_are_changed_by_adjudicators_only(team: Team) -> None:
    assert team.sql("alice", "SELECT version FROM grounding_rules") == [(1,)]  # by team init
    insert = (
        "INSERT INTO grounding_rules (version, definition, created_at) "
        "SELECT max(version) + 1, '{}', now() FROM grounding_rules"
    )
    refused(team, "alice", insert)
    team.sql("carol", insert)
    for who in ("alice", "carol"):
        refused(team, who, "UPDATE grounding_rules SET created_at = now()")
        refused(team, who, "DELETE FROM grounding_rules")


@pytest.mark.postgres
def test_a_member_suggests_annotates_grounds_attests_through_the_cli(
    team: Team, tmp_path: Path
) -> None:
    record = team.records[0]
    alice, bob = team.urls["alice"], team.urls["bob"]
    pdf = make_evidence_source(tmp_path / "probing.pdf")
    code, out, err = run(alice, "attach", record, str(pdf))
    assert code == 0, err
    code, out, err = run(bob, "suggest", record, "--claim", "4", "--json")  # bob builds the index
    assert code == 0, err
    assert json.loads(out)
    assert team.sql("owner", "SELECT count(*) > 0 FROM passages") == [(True,)]
    code, out, err = run(bob, "annotate", record, "--claim", "4", "--suggestion", "1",
               "--stance", "supports")  # fmt: skip
    assert code == 0, err
    assert team.sql("owner", "SELECT r.name FROM evidence_spans s JOIN reviewers r "
                    "ON r.id = s.reviewer_id") == [(team.roles["bob"],)]  # fmt: skip
    code, out, err = run(bob, "grounding", record, "--json")
    assert code == 0, err
    assert json.loads(out)["computed"]

    script = tmp_path / "repro.sh"
    script.write_text("#!/bin/sh\necho 42\n")
    code, out, err = run(alice, "artifact", record, str(script), "--kind", "repro-script")
    assert code == 0, err
    sha = out.strip()
    code, out, err = run(bob, "attest", record, "--artifact", sha, "--reproduced", "yes",
                         "--reviewer", team.roles["bob"])  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["reviewer"] == team.roles["bob"]
    code, _out, err = run(
        bob, "attest", record, "--artifact", sha, "--reproduced", "yes",
        "--reviewer", team.roles["alice"],
    )  # fmt: skip
    assert code == 2 and "is not you" in err

    code, out, err = run(alice, "gate", record, "--json")
    assert code == 0, err
    assert json.loads(out)["computed"]["attestations"] == []  # blind: alice has not submitted
    code, out, err = run(bob, "gate", record, "--json")
    assert code == 0, err
    assert [a["reviewer"] for a in json.loads(out)["computed"]["attestations"]] == [
        team.roles["bob"]
    ]
    rules = tmp_path / "rules.json"
    rules.write_text(run(alice, "grounding-rules")[1])
    code, _out, err = run(alice, "grounding-rules", "--set", str(rules))
    assert code == 2 and "refused" in err and "grounding_rules" in err
    code, _out, err = run(team.urls["carol"], "grounding-rules", "--set", str(rules))
    assert code == 0, err

    with Workspace.open(alice) as workspace:
        service = SuggestionService(workspace.database, PdfStore(pdf_store_dir()))
        service.dismiss(record, 4, reviewer=team.roles["alice"], source_sha256=SHA, start=0, end=9)
    assert team.sql("alice", "SELECT count(*) FROM suggestion_dismissals") == [(1,)]
    assert team.sql("bob", "SELECT count(*) FROM suggestion_dismissals") == [(0,)]


@pytest.mark.postgres
def test_team_init_again_upgrades_a_team_database_made_before_these_tables(
    team: Team, tmp_path: Path
) -> None:
    """Put the database back into the state an older ``team init`` left (no policies, grants or
    triggers for the new tables), see a member refused, re-run ``team init``, see it work."""
    member = team.sql("owner", "SELECT current_database() || '_member'")[0][0]
    for table in NEW_TABLES:
        team.sql("owner", f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        team.sql("owner", f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        team.sql("owner", f'REVOKE INSERT, UPDATE, DELETE ON {table} FROM "{member}"')
        team.sql("owner", f"DROP TRIGGER IF EXISTS reviewer_app_notify ON {table}")
    team.sql("owner", "DROP TRIGGER reviewer_app_work_attestation ON gate_attestations")
    team.sql(
        "owner",
        "DO $$ DECLARE p record; BEGIN FOR p IN SELECT tablename, policyname FROM pg_policies "
        "WHERE tablename = ANY(:t) LOOP EXECUTE format('DROP POLICY %I ON %I', p.policyname, "
        "p.tablename); END LOOP; END $$".replace(":t", "ARRAY[" + ", ".join(
            f"'{t}'" for t in NEW_TABLES) + "]"),
    )  # fmt: skip
    record = team.records[0]
    pdf = make_evidence_source(tmp_path / "probing.pdf")
    assert run(team.urls["alice"], "attach", record, str(pdf))[0] == 0
    code, _out, err = run(team.urls["alice"], "suggest", record, "--claim", "4")
    assert code != 0 and "passage" in err

    code, _out, err = run(team.owner_url, "team", "init")
    assert code == 0, err
    code, _out, err = run(team.urls["alice"], "suggest", record, "--claim", "4", "--json")
    assert code == 0, err
    triggers = team.sql(
        "owner",
        "SELECT count(*) FROM pg_trigger WHERE tgname = 'reviewer_app_notify' "
        "AND tgrelid::regclass::text = ANY(ARRAY['gate_attestations', 'grounding_rules'])",
    )
    assert triggers == [(2,)]
    policies = team.sql("owner", "SELECT count(*) FROM pg_policies WHERE policyname LIKE "
                        "'reviewer_app_%'")  # fmt: skip
    assert policies == [(len(team_sql.TEAM_TABLES) + len(team_sql.POLICIES),)]


@pytest.mark.postgres
def test_a_colleagues_dismissals_never_change_what_ones_rank_means(
    team: Team, tmp_path: Path
) -> None:
    """The stored ranking is the CLI's, without anyone's dismissals: bob dismissing the best
    passage and ranking in his window leaves alice's 'annotate --suggestion 1' on it."""
    record = team.records[0]
    alice = team.urls["alice"]
    pdf = make_evidence_source(tmp_path / "probing.pdf")
    assert run(alice, "attach", record, str(pdf))[0] == 0
    code, out, err = run(alice, "suggest", record, "--claim", "4", "--json")
    assert code == 0, err
    best = json.loads(out)[0]
    with Workspace.open(team.urls["bob"]) as workspace:
        service = SuggestionService(workspace.database, PdfStore(pdf_store_dir()))
        service.dismiss(record, 4, reviewer=team.roles["bob"], source_sha256=best["source_sha256"],
                        start=best["start"], end=best["end"])  # fmt: skip
        shown = service.suggest(record, 4, top=20, reviewer=team.roles["bob"])  # as his window
        assert (shown.candidates[0].start, shown.candidates[0].end) != (best["start"], best["end"])
    code, out, err = run(alice, "annotate", record, "--claim", "4", "--suggestion", "1",
                         "--stance", "supports")  # fmt: skip
    assert code == 0, err
    spans = team.sql("alice", 'SELECT start, "end" FROM evidence_spans')
    assert spans and spans[0] == (best["start"], best["end"])
