"""Reviewers recommending different outcomes (accept / revise / reject) is a conflict (issue 10).

Seen in the real window: the comparison marked the disagreement but the Conflicts tab and
``reviewer-app conflicts`` did not list it. It is a new conflict kind, ``"field":
"recommendation"`` with ``"claim": null``; every entry keeps the keys it had.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reviewer_app.cli import cli
from reviewer_app.domain.agreement import InvalidRatings
from reviewer_app.domain.consensus import (
    Adjudication,
    InvalidAdjudication,
    conflicts,
    workspace_consensus,
)
from reviewer_app.domain.records import Level
from reviewer_app.domain.review_sheets import ReviewerSheet

CONTRACT_KEYS = {"field", "claim", "ratings", "detail", "adjudicated"}


def sheet(name: str, recommendation: str | None, score: float = 7.0) -> ReviewerSheet:
    return ReviewerSheet(
        name,
        {"evidence_strength": Level.MEDIUM},
        score,
        {1: "supports"},
        recommendation=recommendation,
    )


def test_different_recommendations_conflict_after_the_score_and_before_the_claims() -> None:
    sheets = {
        "R1": [
            ReviewerSheet("ann", {}, 3.0, {1: "supports"}, recommendation="accept"),
            ReviewerSheet("bob", {}, 8.0, {1: "contradicts"}, recommendation="major-revision"),
        ],
        "R2": [sheet("ann", "reject"), sheet("bob", "reject"), sheet("cy", None)],
        "R3": [sheet("ann", "accept"), sheet("bob", None)],
    }
    found = conflicts(sheets)
    assert [(c.record, c.field, c.claim_position) for c in found] == [
        ("R1", "review_score", None),
        ("R1", "recommendation", None),
        ("R1", "claim_verdicts", 1),
    ]
    recommendation = found[1]
    assert recommendation.ratings == {"ann": "accept", "bob": "major-revision"}
    assert recommendation.detail == "recommendations differ (accept, major revision)"
    assert not recommendation.adjudicated


def test_an_adjudicated_recommendation_is_marked_and_leaves_the_consensus_alone() -> None:
    sheets = {"R1": [sheet("ann", "accept"), sheet("bob", "reject")]}
    settled = {"R1": [Adjudication("recommendation", None, "reject", "Fig. 2 is wrong", "eve")]}
    (found,) = conflicts(sheets, adjudications=settled)
    assert found.field == "recommendation" and found.adjudicated
    consensus = workspace_consensus(sheets, settled)["R1"]
    assert set(consensus.dimensions) == {
        "evidence_strength", "citation_grounding", "uncertainty_disclosure",
        "reproducibility_status",
    }  # fmt: skip
    assert consensus.review_score.value == 7.0


def test_an_unknown_recommendation_is_refused() -> None:
    with pytest.raises(InvalidRatings, match="recommendation 'maybe' is not one of"):
        sheet("ann", "maybe")
    with pytest.raises(InvalidAdjudication, match="recommendation 'maybe' is not one of"):
        Adjudication("recommendation", None, "maybe", "why", "eve")


def run(db: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)
    return result.exit_code, result.stdout


def test_the_conflicts_command_lists_the_recommendation_and_keeps_its_contract(
    db_url: str, samples: Path
) -> None:
    assert run(db_url, "import", str(samples / "record-page-label-value.txt"))[0] == 0
    record = run(db_url, "list")[1].split("\t")[0]
    for reviewer, score, recommendation in (("ann", "7.0", "accept"), ("bob", "7.5", "reject")):
        code, _ = run(
            db_url, "score", record, "--reviewer", reviewer, "--review-score", score,
            "--recommendation", recommendation, "--submit",
        )  # fmt: skip
        assert code == 0
    code, out = run(db_url, "conflicts", record)
    assert code == 0
    entries = json.loads(out)
    assert all(set(entry) == CONTRACT_KEYS for entry in entries)
    assert entries == [
        {
            "field": "recommendation",
            "claim": None,
            "ratings": {"ann": "accept", "bob": "reject"},
            "detail": "recommendations differ (accept, reject)",
            "adjudicated": False,
        }
    ]
    code, _ = run(
        db_url, "adjudicate", record, "--field", "recommendation", "--value", "reject",
        "--rationale", "The method section does not hold", "--adjudicator", "eve",
    )  # fmt: skip
    assert code == 0
    assert json.loads(run(db_url, "conflicts", record)[1])[0]["adjudicated"] is True
    assert run(db_url, "agreement", record)[0] == 0  # the statistics still read the sheets
