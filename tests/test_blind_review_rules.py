"""Blindness and "no self-adjudication" are rules of the services, so the CLI obeys them as the
window does (issue 10 defect 3); each test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reviewer_app.cli import cli
from reviewer_app.services.scoring import RoleRefused, ScoringService
from reviewer_app.services.workspace import Workspace

RECORD = "SRCH:8F12A054"
FULL = {
    "evidence_strength": "HIGH",
    "citation_grounding": "HIGH",
    "uncertainty_disclosure": "MEDIUM",
    "reproducibility_status": "MEDIUM",
}


@pytest.fixture
def workspace(db_url: str, samples: Path) -> Workspace:
    ws = Workspace.open(db_url)
    ws.import_files(sorted(samples.glob("*.txt")))
    yield ws
    ws.close()


@pytest.fixture
def scoring(workspace: Workspace) -> ScoringService:
    scoring = ScoringService(workspace.database)
    scoring.sheets.save(RECORD, "ann", dimensions=FULL, review_score=8.0, submit=True)
    low = {**FULL, "evidence_strength": "LOW"}
    scoring.sheets.save(RECORD, "bob", dimensions=low, review_score=5.0, submit=True)
    scoring.sheets.save(RECORD, "cyd", dimensions=FULL, review_score=7.0)  # a draft
    return scoring


def run(db: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_a_reviewer_with_a_draft_cannot_take_the_adjudicator_role(scoring: ScoringService) -> None:
    with pytest.raises(RoleRefused, match="cyd has a score sheet"):
        scoring.blind.anonymised_sheets(RECORD, "cyd")
    assert not scoring.blind.can_adjudicate(RECORD, "cyd")
    assert [s.reviewer for s in scoring.blind.visible_sheets(RECORD, "cyd")] == ["cyd"]


def test_a_verdict_or_an_evidence_span_makes_a_party_too(
    workspace: Workspace, scoring: ScoringService, tmp_path: Path
) -> None:
    """As the team server counts it: any work on the record, not only a sheet."""
    from reviewer_app.services.review import ReviewService
    from tests.grounding_support import QUOTE, make_arxiv_pdf

    review = ReviewService.for_workspace(workspace)
    report = next(r.local_id for r in workspace.list_records() if r.local_id.startswith("RPT")
                  and r.kind == "report" and "sparse" in r.title.lower())  # fmt: skip
    review.set_verdict(report, 1, reviewer="dan", verdict="not-enough-evidence")
    with pytest.raises(RoleRefused, match="dan has a verdict on"):
        scoring.blind.anonymised_sheets(report, "dan")
    with pytest.raises(RoleRefused, match=r"dan has a verdict on .* another reviewer must"):
        scoring.adjudication.adjudicate(
            report, field="review_score", value=7.0, rationale="settled", adjudicator="dan"
        )
    pdf = make_arxiv_pdf(tmp_path / "paper.pdf", "2407.17856", 4)
    review.attach_pdf(report, pdf, reviewer="fay")
    assert scoring.blind.can_adjudicate(report, "fay")  # attaching a source is not reviewing
    review.annotate_quote(report, 3, pdf=pdf, quote=QUOTE, stance="supports", reviewer="fay")
    assert not scoring.blind.can_adjudicate(report, "fay")
    with pytest.raises(RoleRefused, match="fay has an evidence span on"):
        scoring.blind.anonymised_sheets(report, "fay")


def test_someone_with_no_sheet_adjudicates_anonymously(scoring: ScoringService) -> None:
    assert scoring.blind.can_adjudicate(RECORD, "eve")
    labelled = scoring.blind.anonymised_sheets(RECORD, "eve")
    assert [label for label, _ in labelled] == ["Reviewer A", "Reviewer B"]  # submitted only


def test_a_party_to_a_conflict_cannot_adjudicate_it(scoring: ScoringService) -> None:
    for party in ("ann", "bob", "cyd"):
        with pytest.raises(RoleRefused, match="party"):
            scoring.adjudication.adjudicate(
                RECORD, field="evidence_strength", value="HIGH", rationale="Mine", adjudicator=party
            )
    assert scoring.adjudication.adjudications(RECORD) == {}
    scoring.adjudication.adjudicate(
        RECORD, field="evidence_strength", value="MEDIUM", rationale="Both", adjudicator="eve"
    )
    with pytest.raises(RoleRefused, match="eve adjudicated"):
        scoring.sheets.save(RECORD, "eve", dimensions=FULL, review_score=6.0)
    assert scoring.sheets.own(RECORD, "eve") is None


def test_the_cli_keeps_blind_review_and_the_adjudicator_rule(
    db_url: str, scoring: ScoringService
) -> None:
    code, out, _ = run(db_url, "sheets", RECORD, "--viewer", "cyd")
    assert code == 0
    assert [row["reviewer"] for row in json.loads(out)] == ["cyd"]  # blind until submitted

    code, out, err = run(db_url, "sheets", RECORD, "--viewer", "cyd", "--adjudicator")
    assert code == 2 and out == ""
    assert "cyd has a score sheet" in err

    code, out, _ = run(db_url, "sheets", RECORD, "--viewer", "eve", "--adjudicator")
    rows = json.loads(out)
    assert code == 0
    assert [(r["label"], r["reviewer"]) for r in rows] == [
        ("Reviewer A", None),
        ("Reviewer B", None),
    ]
    assert not any(name in out for name in ("ann", "bob"))

    code, out, _ = run(db_url, "sheets", RECORD, "--viewer", "ann")
    assert [row["reviewer"] for row in json.loads(out)] == ["ann", "bob"]  # after submitting

    args = ["--field", "evidence_strength", "--value", "HIGH", "--rationale", "Mine"]
    code, _, err = run(db_url, "adjudicate", RECORD, *args, "--adjudicator", "bob")
    assert code == 2 and "party" in err
    assert scoring.adjudication.adjudications(RECORD) == {}
