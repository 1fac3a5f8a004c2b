"""Issue 5 services: sheets, blind mode, first impressions, adjudication, tiers and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reviewer_app.cli import cli
from reviewer_app.domain.records import Level
from reviewer_app.domain.tier_policy import RuleKind, Tier, TierPolicy, TierRule
from reviewer_app.errors import NotFound
from reviewer_app.services.scoring import BLIND_MODE, InvalidSheet, ScoringService
from reviewer_app.services.workspace import Workspace
from reviewer_app.storage.review_models import ClaimVerdictRow
from reviewer_app.storage.reviewers_repository import ensure_reviewer

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
    return ScoringService(workspace.database)


def test_blind_mode_hides_other_sheets_until_submission(scoring: ScoringService) -> None:
    scoring.sheets.save(RECORD, "ann", dimensions=FULL, review_score=8.0, submit=True)
    scoring.sheets.save(RECORD, "bob", dimensions=FULL, review_score=6.0)
    assert scoring.settings.blind_mode() is True
    assert [s.reviewer for s in scoring.blind.visible_sheets(RECORD, "bob")] == ["bob"]
    assert scoring.blind.visible_sheets(RECORD, "carol") == []
    scoring.sheets.save(RECORD, "bob", submit=True)
    assert [s.reviewer for s in scoring.blind.visible_sheets(RECORD, "bob")] == ["ann", "bob"]
    scoring.settings.set(BLIND_MODE, False)
    assert [s.reviewer for s in scoring.blind.visible_sheets(RECORD, "carol")] == ["ann", "bob"]


def test_first_impression_is_kept_beside_later_revisions(scoring: ScoringService) -> None:
    scoring.sheets.save(RECORD, "ann", dimensions=FULL, review_score=8.0)
    scoring.sheets.save(RECORD, "ann", submit=True)
    scoring.sheets.save(RECORD, "ann", review_score=6.5)
    versions = scoring.sheets.versions(RECORD, "ann")
    assert [v.review_score for v in versions] == [8.0, 8.0, 6.5]
    assert [v.first_impression for v in versions] == [False, True, False]
    assert versions[-1].submitted and versions[-1].dimensions["evidence_strength"] is Level.HIGH


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"review_score": 11.0}, "outside 0-10"),
        ({"review_score": 7.25}, "more than one decimal"),
        ({"dimensions": {"evidence_strength": "SUPERB"}}, "LOW, MEDIUM or HIGH"),
        ({"dimensions": {"beauty": "LOW"}}, "not a quality dimension"),
        ({"submit": True}, "needs a review score"),
    ],
)
def test_invalid_sheets_are_refused_and_nothing_is_stored(
    scoring: ScoringService, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidSheet, match=message):
        scoring.sheets.save(RECORD, "ann", **kwargs)  # type: ignore[arg-type]
    assert scoring.sheets.versions(RECORD, "ann") == []


def test_unknown_record_is_not_found(scoring: ScoringService) -> None:
    with pytest.raises(NotFound):
        scoring.sheets.save("SRCH:NOPE", "ann", review_score=5.0)


def test_adjudication_settles_a_conflict_without_editing_sheets(scoring: ScoringService) -> None:
    scoring.sheets.save(RECORD, "ann", dimensions=FULL, review_score=8.0, submit=True)
    other = {**FULL, "evidence_strength": "LOW"}
    scoring.sheets.save(RECORD, "bob", dimensions=other, review_score=5.0, submit=True)
    found = {c.field: c for c in scoring.ratings.conflicts(RECORD)}
    assert set(found) == {"evidence_strength", "review_score"}
    assert not found["evidence_strength"].adjudicated
    scoring.adjudication.adjudicate(
        RECORD,
        field="evidence_strength",
        value="MEDIUM",
        rationale="Both halves",
        adjudicator="eve",
    )
    after = {c.field: c for c in scoring.ratings.conflicts(RECORD)}
    assert after["evidence_strength"].adjudicated
    assert scoring.ratings.consensus(RECORD).dimensions["evidence_strength"].value is Level.MEDIUM
    # The reviewers' own sheets are untouched.
    assert scoring.sheets.own(RECORD, "bob").dimensions["evidence_strength"] is Level.LOW  # type: ignore[union-attr]
    labels = [label for label, _ in scoring.blind.anonymised_sheets(RECORD, "eve")]
    assert labels == ["Reviewer A", "Reviewer B"]


def _verify_claims(workspace: Workspace, record_id: str, reviewers: list[str], n: int) -> None:
    from datetime import UTC, datetime

    with workspace.database.transaction() as session:
        for name in reviewers:
            person = ensure_reviewer(session, name)
            for position in range(1, n + 1):
                session.add(
                    ClaimVerdictRow(
                        record_id=record_id,
                        claim_position=position,
                        reviewer_id=person.id,
                        verdict="supports",
                        created_at=datetime.now(UTC),
                        origin="local",
                    )
                )


def test_tier_follows_policy_and_old_results_stay_with_old_policy(
    workspace: Workspace, scoring: ScoringService
) -> None:
    report_id = next(s.local_id for s in workspace.list_records() if s.claims_extracted == 10)
    for name in ("ann", "bob"):
        scoring.sheets.save(report_id, name, dimensions=FULL, review_score=7.5, submit=True)
    _verify_claims(workspace, report_id, ["ann", "bob"], 3)
    first = scoring.tiers.tier(report_id)
    assert (first.tier, first.policy_version) == ("DOI-grade", 1)
    # Reports carry no automated tier, so there is nothing to differ from.
    assert first.automated_tier is None and first.differs is False
    stricter = TierPolicy(
        version=1,
        tiers=(
            Tier("DOI-grade", (TierRule(RuleKind.MIN_CONSENSUS_SCORE, 8.0),)),
            Tier("Watchlist"),
        ),
    )
    stored = scoring.tiers.set_policy(stricter)
    assert stored.version == 2
    second = scoring.tiers.tier(report_id)
    assert (second.tier, second.policy_version) == ("Watchlist", 2)
    assert "7.5 is below 8.0" in second.basis
    history = scoring.tiers.history(report_id)
    assert [(v, t) for v, t, _ in history] == [(1, "DOI-grade"), (2, "Watchlist")]


def test_agreement_and_tier_cli_json_shapes(tmp_path: Path, samples: Path) -> None:
    db = str(tmp_path / "w.sqlite3")
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(cli, ["--db", db, *args], catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        return result.stdout

    run("import", str(samples / "record-page-label-value.txt"))
    for name, score, level in (("ann", "7.5", "LOW"), ("bob", "6.0", "MEDIUM")):
        run(
            "score", RECORD, "--reviewer", name, "--evidence-strength", level,
            "--citation-grounding", "MEDIUM", "--uncertainty-disclosure", "HIGH",
            "--reproducibility-status", "MEDIUM", "--review-score", score, "--submit",
        )  # fmt: skip
    agreement = json.loads(run("agreement", RECORD, "--json"))
    assert agreement["record"] == RECORD
    assert agreement["reviewers"] == ["ann", "bob"]
    expected_fields = {
        "evidence_strength", "citation_grounding", "uncertainty_disclosure",
        "reproducibility_status", "review_score", "claim_verdicts",
    }  # fmt: skip
    assert set(agreement["fields"]) == expected_fields
    keys = {"n_reviewers", "percent_agreement", "cohen_kappa", "weighted_kappa", "fleiss_kappa",
            "krippendorff_alpha", "level"}  # fmt: skip
    assert all(set(v) == keys for v in agreement["fields"].values())
    assert agreement["fields"]["citation_grounding"]["percent_agreement"] == 1.0
    assert agreement["fields"]["evidence_strength"]["percent_agreement"] == 0.0
    assert agreement["fields"]["review_score"]["level"] == "interval"
    workspace_wide = json.loads(run("agreement", "--json"))
    assert workspace_wide["fields"]["evidence_strength"]["n_reviewers"] == 2
    tier = json.loads(run("tier", RECORD, "--json"))
    assert set(tier) == {"tier", "basis", "policy_version", "automated_tier", "differs"}
    assert tier["automated_tier"] == "Watchlist"
    assert tier["tier"] == "Watchlist" and tier["differs"] is False
    bad = runner.invoke(
        cli, ["--db", db, "score", RECORD, "--reviewer", "x", "--review-score", "12"]
    )
    assert bad.exit_code == 2 and "outside 0-10" in bad.stderr
