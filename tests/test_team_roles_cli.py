"""The team roles through the ``reviewer-app`` CLI (issue 14): adjudicators, drafts, the policy
editor, shared sources, and agreement figures read while colleagues write."""

from __future__ import annotations

import itertools
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy.exc import DBAPIError

from reviewer_app.cli import cli
from reviewer_app.domain.records import QUALITY_DIMENSIONS, Level
from reviewer_app.domain.review_sheets import ReviewerSheet, record_agreement
from reviewer_app.services.review import ReviewService
from reviewer_app.services.scoring import ScoringService
from reviewer_app.services.workspace import Workspace
from reviewer_app.storage import scoring_repository
from tests.review_support import REF_OTHER, REF_PROBING, make_source
from tests.team_support import Team, member_url

pytest_plugins = ("tests.team_support",)

pytestmark = pytest.mark.postgres
ERROR_PREFIX = "reviewer-app: error: "


def run(db: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def ok(db: str, *args: str) -> str:
    code, out, err = run(db, *args)
    assert code == 0, err
    return out


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(ERROR_PREFIX), err
    return lines[0]


def score(team: Team, who: str, record: str, value: str, *extra: str) -> str:
    return ok(team.urls[who], "score", record, "--reviewer", team.roles[who],
              "--review-score", value, *extra)  # fmt: skip


def sheets(team: Team, who: str, record: str, *extra: str) -> tuple[int, list[dict[str, Any]], str]:
    code, out, err = run(team.urls[who], "sheets", record, "--viewer", team.roles[who], *extra)
    return code, (json.loads(out) if code == 0 else []), err


ADJUDICATE = ("--field", "review_score", "--value", "5", "--rationale", "split the difference")


def adjudications(team: Team) -> int:
    return int(team.sql("owner", "SELECT count(*) FROM adjudications")[0][0])


# -- adjudicators ---------------------------------------------------------------------------


def test_an_adjudicator_is_refused_on_a_record_she_reviewed_herself(team: Team) -> None:
    with_claims, without_claims = team.records
    carol = team.urls["carol"]
    for who, value in (("alice", "8"), ("bob", "3"), ("carol", "6")):
        score(team, who, without_claims, value, "--submit")
    # carol scored this record: neither the adjudicator's view nor adjudicating is hers
    code, seen, err = sheets(team, "carol", without_claims, "--adjudicator")
    assert code == 2 and "cannot act as its adjudicator" in one_error_line(err)
    code, _out, err = run(carol, "adjudicate", without_claims, *ADJUDICATE,
                          "--adjudicator", team.roles["carol"])  # fmt: skip
    assert code == 2
    line = one_error_line(err)
    assert "has a score sheet" in line and "another reviewer must adjudicate" in line
    assert adjudications(team) == 0

    # A verdict is reviewing too, though it leaves no sheet: the app refuses her as the server
    # would (its row-level security counts any work on the record).
    score(team, "alice", with_claims, "7", "--submit")
    score(team, "bob", with_claims, "2", "--submit")
    ok(carol, "verdict", with_claims, "--claim", "1", "--verdict", "not-enough-evidence")
    code, _out, err = run(carol, "adjudicate", with_claims, *ADJUDICATE,
                          "--adjudicator", team.roles["carol"])  # fmt: skip
    assert code == 2
    line = one_error_line(err)
    assert "has a verdict on" in line and "another reviewer must adjudicate" in line
    assert adjudications(team) == 0
    # and the reviewers' sheets stay hidden from her there: she is a party, not a judge. The
    # app counts a verdict as the server does, so it refuses her with the same clear line.
    code, seen, err = sheets(team, "carol", with_claims, "--adjudicator")
    assert code == 2 and seen == []
    assert "has a verdict on" in one_error_line(err)
    assert "cannot act as its adjudicator" in one_error_line(err)
    assert team.roles["alice"] not in ok(carol, "agreement", with_claims, "--json")


def test_an_adjudicator_reads_the_submitted_sheets_of_a_record_she_did_not_review(
    team: Team,
) -> None:
    record = team.records[0]
    score(team, "alice", record, "8", "--evidence-strength", "HIGH", "--submit")
    score(team, "bob", record, "3", "--evidence-strength", "LOW")  # a draft, for now
    code, seen, err = sheets(team, "carol", record, "--adjudicator")
    assert code == 0, err
    assert [(s["label"], s["reviewer"], s["review_score"], s["submitted"]) for s in seen] == [
        ("Reviewer A", None, 8.0, True)
    ]  # anonymised, and bob's draft is not among them
    score(team, "bob", record, "3", "--submit")
    code, seen, err = sheets(team, "carol", record, "--adjudicator")
    assert code == 0, err
    assert [(s["label"], s["review_score"], s["evidence_strength"]) for s in seen] == [
        ("Reviewer A", 8.0, "HIGH"),
        ("Reviewer B", 3.0, "LOW"),
    ]
    assert all(s["reviewer"] is None for s in seen)
    agreement = json.loads(ok(team.urls["carol"], "agreement", record, "--json"))
    assert agreement["reviewers"] == sorted([team.roles["alice"], team.roles["bob"]])
    conflicts = json.loads(ok(team.urls["carol"], "conflicts", record))
    assert {c["field"] for c in conflicts} >= {"review_score", "evidence_strength"}
    ok(team.urls["carol"], "adjudicate", record, *ADJUDICATE, "--adjudicator", team.roles["carol"])
    assert adjudications(team) == 1


def test_a_colleagues_draft_is_invisible(team: Team) -> None:
    record = team.records[0]
    score(team, "bob", record, "2", "--recommendation", "reject", "--comments", "bob-draft")
    assert [s["review_score"] for s in sheets(team, "bob", record)[1]] == [2.0]  # his own
    for submitted in (False, True):  # before and after alice submits her own sheet
        score(team, "alice", record, "9", *(("--submit",) if submitted else ()))
        code, seen, err = sheets(team, "alice", record)
        assert code == 0, err
        assert [(s["reviewer"], s["review_score"]) for s in seen] == [(team.roles["alice"], 9.0)]
        out = ok(team.urls["alice"], "agreement", record, "--json")
        assert team.roles["bob"] not in out
        assert json.loads(ok(team.urls["alice"], "conflicts", record)) == []
    # naming bob as the viewer does not open his draft to her either
    code, out, err = run(team.urls["alice"], "sheets", record, "--viewer", team.roles["bob"])
    assert code == 0, err
    assert "reject" not in out and "2.0" not in out
    assert json.loads(out) == []


# -- the policy editor ----------------------------------------------------------------------


def test_a_policy_editor_sets_the_tier_policy_a_reviewer_may_not(
    team: Team, tmp_path: Path
) -> None:
    erin = team.roles["alice"].replace("alice", "erin")
    one_time = ok(team.owner_url, "team", "add", erin, "--policy-editor").strip()
    listed = ok(team.owner_url, "team", "list").splitlines()
    assert f"{erin}\tmember,policy_editor\tlogin" in listed
    policy = json.loads(ok(one_time, "policy"))
    assert policy["version"] == 1
    policy["tiers"][0]["rules"][0]["threshold"] = 8.5
    changed = tmp_path / "policy.json"
    changed.write_text(json.dumps(policy))
    versions = "SELECT version FROM tier_policies ORDER BY version"
    before = team.sql("owner", "SELECT version, definition::text FROM tier_policies")

    code, out, err = run(team.urls["alice"], "policy", "--set", str(changed))
    assert code == 2 and out == ""
    line = one_error_line(err)
    assert "refused" in line and "tier_policies" in line and "policy-editor" in line
    assert team.sql("owner", "SELECT version, definition::text FROM tier_policies") == before

    stored = json.loads(ok(one_time, "policy", "--set", str(changed)))
    assert stored["version"] == 2
    assert stored["tiers"][0]["rules"][0]["threshold"] == 8.5
    assert team.sql("alice", versions) == [(1,), (2,)]
    assert json.loads(ok(team.urls["bob"], "policy")) == stored  # every member reads it
    # the role is about the rules of the workspace, not about judging records
    ok(one_time, "setting", "hide_machine_marks", "off")
    code, _out, err = run(one_time, "adjudicate", team.records[0], *ADJUDICATE,
                          "--adjudicator", erin)  # fmt: skip
    assert code == 2 and "adjudications" in one_error_line(err)
    assert adjudications(team) == 0


# -- sources are shared input -----------------------------------------------------------------


def source_rows(team: Team) -> list[tuple[object, ...]]:
    return team.sql(
        "owner",
        "SELECT s.sha256, s.reference_url, r.name, s.attached_at FROM source_files s "
        "JOIN reviewers r ON r.id = s.attached_by ORDER BY s.id",
    )


def test_a_colleague_re_attaching_a_source_takes_over_its_row(team: Team, tmp_path: Path) -> None:
    """Documents the ``source_files`` policy, UPDATE USING (true) WITH CHECK (attached_by = me):
    a re-attach by a colleague moves the one row to the new reference and signs it as them;
    nobody can forge or remove a row, and the spans marked on the file are untouched."""
    record = team.records[0]
    alice, bob = team.urls["alice"], team.urls["bob"]
    pdf = make_source(tmp_path / "probing.pdf")
    sha = ok(alice, "attach", record, str(pdf)).split("\t")[0]
    ((_, url, by, alice_at),) = source_rows(team)
    assert (url, by) == (REF_PROBING, team.roles["alice"])
    span = ok(alice, "annotate", record, "--claim", "1", "--pdf", sha, "--quote",
              "the pooled alignment score rises", "--stance", "supports").strip()  # fmt: skip

    # raw SQL as bob: he may not change alice's row while leaving it signed as hers, add one
    # in her name, or delete one
    refuse = "row-level security|permission denied"
    with pytest.raises(DBAPIError, match=refuse):
        team.sql("bob", "UPDATE source_files SET reference_url = NULL")
    with pytest.raises(DBAPIError, match=refuse):
        team.sql("bob", "UPDATE source_files SET attached_by = :a", a=team.reviewer_id("alice"))
    with pytest.raises(DBAPIError, match=refuse):
        team.sql("bob", "DELETE FROM source_files")
    with pytest.raises(DBAPIError, match=refuse):
        team.sql(
            "bob",
            "INSERT INTO source_files (record_id, sha256, file_name, size, page_count,"
            " attached_at, attached_by) VALUES (:r, :s, 'x.pdf', 1, 1, now(), :a)",
            r=record, s="1" * 64, a=team.reviewer_id("alice"),
        )  # fmt: skip
    assert source_rows(team) == [(sha, REF_PROBING, team.roles["alice"], alice_at)]

    # Re-attaching the same file for the reference it already has changes nothing...
    ok(bob, "attach", record, str(pdf), "--reference", REF_PROBING)
    assert source_rows(team) == [(sha, REF_PROBING, team.roles["alice"], alice_at)]
    # ...but for another reference it moves alice's row and signs it as bob's, now: no second
    # row, and nothing left in source_files says alice attached it.
    out = ok(bob, "attach", record, str(pdf), "--reference", REF_OTHER)
    assert out.split("\t")[:2] == [sha, REF_OTHER]
    ((row_sha, url, by, bob_at),) = source_rows(team)
    assert (row_sha, url, by) == (sha, REF_OTHER, team.roles["bob"])
    assert bob_at > alice_at  # type: ignore[operator]  # both datetimes
    # alice's span on the file is still hers and still on the same file
    assert team.sql("owner", "SELECT r.name, s.source_sha256, s.removed_at FROM evidence_spans s "
                    "JOIN reviewers r ON r.id = s.reviewer_id WHERE s.id = :i",
                    i=span) == [(team.roles["alice"], sha, None)]  # fmt: skip
    # and she can take the row back the same way: the last re-attacher holds it
    ok(alice, "attach", record, str(pdf), "--reference", REF_PROBING)
    ((_, url, by, _),) = source_rows(team)
    assert (url, by) == (REF_PROBING, team.roles["alice"])
    # Raw SQL allows the same to any member, for any column, as long as the row is signed
    # as the one who changes it.
    team.sql("bob", "UPDATE source_files SET file_name = 'renamed.pdf', "
             "attached_by = reviewer_app_me()")  # fmt: skip
    assert team.sql("owner", "SELECT s.file_name, r.name FROM source_files s JOIN reviewers r "
                    "ON r.id = s.attached_by") == [("renamed.pdf", team.roles["bob"])]  # fmt: skip


# -- agreement under concurrent writers -------------------------------------------------------

LEVELS = ("LOW", "MEDIUM", "HIGH")
VERDICT_VALUES = ("supports", "contradicts", "not-enough-evidence", "special-case", "conflicting")
QUOTE = "the pooled alignment score rises"


@dataclass(frozen=True)
class Op:
    kind: str  # "verdict", "sheet" (always submitted) or "span" (no part of agreement)
    claim: int = 0
    value: str = ""
    score: float = 0.0


def reviewer_ops(index: int) -> list[Op]:
    """One reviewer's writes, in order: verdicts before and after their first submission and
    new versions of the submitted sheet, so a mixed-up read shows in the figures."""
    ops: list[Op] = []
    for n in range(14):
        if n in (1, 8):
            ops.append(Op("span", claim=4))
        if n % 3 == 2:
            ops.append(Op("sheet", value=LEVELS[(index + n) % 3], score=(index * 3 + n) % 11))
        else:
            claim = 1 + (n * 7 + index) % 5
            ops.append(Op("verdict", claim=claim, value=VERDICT_VALUES[(n + index) % 5]))
    return ops


def expected_agreement(record: str, done: dict[str, list[Op]]) -> str:
    """The agreement of the state in which each reviewer's first ``len(ops)`` writes are
    committed, as canonical JSON."""
    sheets = []
    for reviewer in sorted(done):
        verdicts: dict[int, str | None] = {}
        sheet: Op | None = None
        for op in done[reviewer]:
            if op.kind == "verdict":
                verdicts[op.claim] = op.value
            elif op.kind == "sheet":
                sheet = op
        if sheet is None:
            continue  # no submitted sheet: not part of the agreement yet
        dimensions: dict[str, Level | None] = dict.fromkeys(QUALITY_DIMENSIONS)
        dimensions["evidence_strength"] = Level(sheet.value)
        sheets.append(
            ReviewerSheet.stored(
                reviewer=reviewer, dimensions=dimensions, review_score=float(sheet.score),
                claim_verdicts=verdicts, recommendation=None,
            )
        )  # fmt: skip
    return canonical(record_agreement(record, sheets).to_json())


def canonical(value: object) -> str:
    return json.dumps(json.loads(json.dumps(value)), sort_keys=True)


def test_agreement_read_during_concurrent_writes_is_always_a_committed_state(
    team: Team, tmp_path: Path
) -> None:
    """Three reviewers write verdicts, spans and sheets at once while ``agreement --json`` is
    computed again and again, as the owner and as an adjudicator with no work on the record.
    Each result must be the agreement of a state the writers actually passed through: every
    write finished before the read began is in it, none not yet begun is, and each reviewer's
    writes appear as a prefix of their order. Halfway, all writers wait for one read, whose
    state is then known exactly."""
    record = team.records[0]
    pdf = make_source(tmp_path / "probing.pdf")
    sha = ok(team.urls["alice"], "attach", record, str(pdf)).split("\t")[0]
    erin = team.roles["alice"].replace("alice", "erin")
    ok(team.owner_url, "team", "add", erin, "--adjudicator")
    readers = [team.owner_url, member_url(team.owner_url, erin)]
    writers = ["alice", "bob", "carol"]
    ops = {team.roles[w]: reviewer_ops(i) for i, w in enumerate(writers)}
    halfway = {role: len(sequence) // 2 for role, sequence in ops.items()}
    # opened one after the other: Alembic's upgrade check is not thread-safe
    workspaces = {role: Workspace.open(team.urls[w]) for w, role in zip(writers, ops, strict=True)}

    lock = threading.Lock()
    started = dict.fromkeys(ops, 0)
    finished = dict.fromkeys(ops, 0)
    writers_done = threading.Event()
    all_halfway = threading.Event()
    halfway_read = threading.Event()
    at_halfway = threading.Barrier(len(ops), action=all_halfway.set)
    go = threading.Barrier(len(ops) + 1)

    def write(role: str) -> None:
        review = ReviewService.for_workspace(workspaces[role])
        scoring = ScoringService(workspaces[role].database)
        go.wait()
        for n, op in enumerate(ops[role]):
            if n == halfway[role]:
                at_halfway.wait()
                assert halfway_read.wait(timeout=15), "no read came at the halfway point"
            with lock:
                started[role] += 1
            if op.kind == "verdict":
                review.set_verdict(record, op.claim, reviewer=role, verdict=op.value,
                                   reason="checked against the source")  # fmt: skip
            elif op.kind == "span":
                review.annotate_quote(record, op.claim, pdf=sha, quote=QUOTE,
                                      stance="supports", reviewer=role)  # fmt: skip
            else:
                scoring.sheets.save(record, role, dimensions={"evidence_strength": op.value},
                                   review_score=op.score, submit=True)  # fmt: skip
            with lock:
                finished[role] += 1

    reads: list[tuple[dict[str, int], dict[str, int], str, str]] = []
    problems: list[str] = []

    def read_repeatedly() -> None:
        go.wait()
        while True:
            last = writers_done.is_set()
            halfway_now = all_halfway.is_set()
            with lock:
                before = dict(finished)
            code, out, err = run(readers[len(reads) % 2], "agreement", record, "--json")
            with lock:
                after = dict(started)
            if code != 0 or err:
                problems.append(f"agreement failed ({code}): {err}")
                return
            reads.append((before, after, canonical(json.loads(out)), readers[len(reads) % 2]))
            if halfway_now:
                halfway_read.set()
            if last:
                return

    with ThreadPoolExecutor(max_workers=len(ops) + 1) as pool:
        reader = pool.submit(read_repeatedly)
        try:
            for future in [pool.submit(write, role) for role in ops]:
                future.result()  # a writer's error (none expected) fails the test here
        finally:
            writers_done.set()
            halfway_read.set()  # a failed writer leaves none waiting
            for workspace in workspaces.values():
                workspace.close()
        reader.result()
    assert problems == []

    cache: dict[tuple[int, ...], str] = {}

    def state(counts: tuple[int, ...]) -> str:
        if counts not in cache:
            done = {role: ops[role][:k] for role, k in zip(ops, counts, strict=True)}
            cache[counts] = expected_agreement(record, done)
        return cache[counts]

    saw_halfway = False
    for before, after, observed, reader_url in reads:
        ranges = [range(before[role], after[role] + 1) for role in ops]
        possible = {state(counts) for counts in itertools.product(*ranges)}
        submitted_at_least = {r for r in ops if any(o.kind == "sheet" for o in ops[r][: before[r]])}
        submitted_at_most = {r for r in ops if any(o.kind == "sheet" for o in ops[r][: after[r]])}
        shown = set(json.loads(observed)["reviewers"])
        assert submitted_at_least <= shown <= submitted_at_most, (reader_url, before, after)
        assert observed in possible, (reader_url, before, after, observed)
        saw_halfway |= before == after == halfway
    assert saw_halfway  # the read all writers waited for saw exactly their halfway state
    assert len(reads) >= 3

    full = tuple(len(sequence) for sequence in ops.values())
    final = canonical(json.loads(ok(team.owner_url, "agreement", record, "--json")))
    assert reads[-1][2] == final == state(full)
    with Workspace.open(team.owner_url) as owner:
        fresh = ScoringService(owner.database).ratings.agreement(record).to_json()
    assert canonical(fresh) == final
    assert json.loads(final)["fields"]["claim_verdicts"]["n_reviewers"] == 3
    spans = team.sql("owner", "SELECT count(*) FROM evidence_spans WHERE removed_at IS NULL")
    assert spans == [(sum(o.kind == "span" for sequence in ops.values() for o in sequence),)]


def test_one_agreement_reads_sheets_and_verdicts_from_the_same_snapshot(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race above made certain: between the agreement's read of the submitted sheets and
    its read of the verdicts, bob commits a new sheet version and then a verdict. The figures
    must be those of the state before (or after) both, never bob's old score with his new
    verdict, a state that never existed."""
    record = team.records[0]
    alice, bob = team.roles["alice"], team.roles["bob"]
    for who in ("alice", "bob"):
        score(team, who, record, "5", "--evidence-strength", "HIGH", "--submit")
    read_verdicts = scoring_repository.current_verdicts
    committed: list[str] = []

    def bob_writes_in_between(*args: object, **kwargs: object) -> object:
        if not committed:
            with Workspace.open(team.urls["bob"]) as workspace:
                ScoringService(workspace.database).sheets.save(
                    record, bob, review_score=9, submit=True
                )
                ReviewService.for_workspace(workspace).set_verdict(
                    record, 1, reviewer=bob, verdict="not-enough-evidence"
                )
            committed.append("sheet, then verdict")
        return read_verdicts(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(scoring_repository, "current_verdicts", bob_writes_in_between)
    observed = canonical(json.loads(ok(team.owner_url, "agreement", record, "--json")))
    assert committed
    high = Op("sheet", value="HIGH", score=5)
    before = expected_agreement(record, {alice: [high], bob: [high]})
    after = expected_agreement(
        record,
        {alice: [high], bob: [high, Op("sheet", value="HIGH", score=9),
                              Op("verdict", claim=1, value="not-enough-evidence")]},
    )  # fmt: skip
    assert observed in (before, after)
    monkeypatch.undo()
    assert canonical(json.loads(ok(team.owner_url, "agreement", record, "--json"))) == after
