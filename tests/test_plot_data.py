"""Plot data: the arrays handed to the plots hold the sheets' values, blind mode included."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import numpy as np
import pytest

from reviewer_app.domain.tier_policy import RuleKind, Tier, TierPolicy, TierRule
from reviewer_app.services.plot_data import CONSENSUS, PlotDataService, score_thresholds
from reviewer_app.services.scoring import ScoringService
from reviewer_app.services.workspace import Workspace
from reviewer_app.storage.review_models import ClaimVerdictRow
from reviewer_app.storage.reviewers_repository import ensure_reviewer

REVIEWED = "RPT-60A47641"
SHEETS = {
    "ann": ({"evidence_strength": "HIGH", "citation_grounding": "HIGH",
             "uncertainty_disclosure": "MEDIUM", "reproducibility_status": "LOW"}, 8.0),
    "bob": ({"evidence_strength": "MEDIUM", "citation_grounding": "HIGH",
             "uncertainty_disclosure": "MEDIUM", "reproducibility_status": "MEDIUM"}, 6.5),
    "cyd": ({"evidence_strength": "HIGH", "citation_grounding": "LOW",
             "uncertainty_disclosure": "HIGH", "reproducibility_status": "MEDIUM"}, 7.4),
}  # fmt: skip


def add_verdicts(workspace: Workspace, record_id: str, reviewer: str, verdicts: dict) -> None:
    with workspace.database.transaction() as session:
        person = ensure_reviewer(session, reviewer)
        for position, verdict in verdicts.items():
            session.add(
                ClaimVerdictRow(
                    record_id=record_id,
                    claim_position=position,
                    reviewer_id=person.id,
                    verdict=verdict,
                    created_at=datetime.now(UTC),
                    origin="local",
                )
            )


def submit_all(workspace: Workspace, record_id: str = REVIEWED) -> ScoringService:
    scoring = ScoringService(workspace.database)
    for name, (dimensions, score) in SHEETS.items():
        scoring.sheets.save(record_id, name, dimensions=dimensions, review_score=score, submit=True)
    return scoring


def test_dimension_arrays_hold_each_sheet_and_the_consensus(demo_workspace: Workspace) -> None:
    submit_all(demo_workspace)
    data = PlotDataService(demo_workspace).dimensions(REVIEWED, "ann")
    assert data.series == ("ann", "bob", "cyd", CONSENSUS)
    ranks = {"LOW": 1.0, "MEDIUM": 2.0, "HIGH": 3.0}
    for row, name in enumerate(["ann", "bob", "cyd"]):
        expected = [ranks[SHEETS[name][0][d]] for d in data.dimensions]
        assert data.values[row].tolist() == expected
    # Lower median of three ordinal ratings = the middle one.
    assert data.values[3].tolist() == [3.0, 3.0, 2.0, 2.0]
    assert len(set(data.colours)) == 4


def test_blind_mode_keeps_other_sheets_and_consensus_out(demo_workspace: Workspace) -> None:
    submit_all(demo_workspace)
    scoring = ScoringService(demo_workspace.database)
    scoring.sheets.save(REVIEWED, "dan", review_score=5.0)
    service = PlotDataService(demo_workspace)
    assert service.dimensions(REVIEWED, "dan").series == ("dan",)
    scores = service.scores(REVIEWED, "dan")
    assert scores.reviewers == ("dan",) and scores.consensus is None
    assert math.isnan(service.dimensions(REVIEWED, "dan").values[0, 0])


def test_scores_and_thresholds_follow_sheets_and_policy(demo_workspace: Workspace) -> None:
    scoring = submit_all(demo_workspace)
    data = PlotDataService(demo_workspace).scores(REVIEWED, "bob")
    assert data.scores.tolist() == [8.0, 6.5, 7.4]
    assert data.consensus == 7.4
    assert [(t.tier, t.value) for t in data.thresholds] == [("DOI-grade", 7.0)]
    scoring.tiers.set_policy(
        TierPolicy(1, (Tier("Gold", (TierRule(RuleKind.MIN_CONSENSUS_SCORE, 8.5),)), Tier("Rest")))
    )
    assert [t.value for t in score_thresholds(scoring.tiers.policy())] == [8.5]


def test_overview_points_are_consensus_score_and_verified_claims(
    demo_workspace: Workspace,
) -> None:
    submit_all(demo_workspace)
    for name in SHEETS:
        add_verdicts(demo_workspace, REVIEWED, name, {1: "supports", 2: "supports", 3: "supports"})
    scoring = ScoringService(demo_workspace.database)
    scoring.sheets.save("SRCH:8F12A054", "ann", review_score=4.0, submit=True)
    data = PlotDataService(demo_workspace).overview()
    rows = zip(data.scores, data.verified, data.tiers, strict=True)
    points = dict(zip(data.record_ids, rows, strict=True))
    assert set(points) == {REVIEWED, "SRCH:8F12A054"}
    assert points[REVIEWED][:2] == (7.4, 3.0)
    # ann rated reproducibility LOW but the consensus is MEDIUM, so DOI-grade is reached.
    assert points[REVIEWED][2] == scoring.tiers.tier(REVIEWED).tier == "DOI-grade"
    assert points["SRCH:8F12A054"] == (4.0, 0.0, "Watchlist")
    assert [(r.tier, r.min_score, r.min_verified) for r in data.regions] == [
        ("DOI-grade", 7.0, 3.0),
        ("Watchlist", 0.0, 0.0),
    ]


def test_calibration_compares_confidences_with_consensus(demo_workspace: Workspace) -> None:
    submit_all(demo_workspace)
    for name in SHEETS:
        add_verdicts(demo_workspace, REVIEWED, name, {1: "supports", 2: "contradicts"})
    claims = demo_workspace.get_record(REVIEWED).record.claims
    result = PlotDataService(demo_workspace).calibration(REVIEWED)
    expected = np.mean([(claims[0].confidence - 1) ** 2, claims[1].confidence ** 2])
    assert result.n_claims == 2
    assert result.brier_score == pytest.approx(expected)


def test_overview_for_a_viewer_respects_blind_mode(demo_workspace: Workspace) -> None:
    scoring = submit_all(demo_workspace)
    scoring.sheets.save("SRCH:8F12A054", "dan", review_score=6.0, submit=True)
    service = PlotDataService(demo_workspace)
    assert set(service.overview().record_ids) == {REVIEWED, "SRCH:8F12A054"}
    for_dan = service.overview("dan")
    assert for_dan.record_ids == ("SRCH:8F12A054",) and for_dan.withheld == 1
    assert for_dan.scores.tolist() == [6.0]
    assert service.overview("ann").record_ids == (REVIEWED,)
    scoring.settings.set("blind_mode", False)
    assert service.overview("dan").withheld == 0
    assert len(service.overview("dan").record_ids) == 2
