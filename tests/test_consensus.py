"""Consensus rules, adjudications and conflicts on reviewers' sheets."""

from __future__ import annotations

import statistics
from collections import Counter

import numpy as np
import pytest

from reviewer_app.domain.consensus import (
    Adjudication,
    ConsensusRule,
    InvalidAdjudication,
    conflicts,
    record_consensus,
    workspace_consensus,
)
from reviewer_app.domain.records import QUALITY_DIMENSIONS, Level
from reviewer_app.domain.review_sheets import VERDICTS, ReviewerSheet

LOW, MEDIUM, HIGH = Level.LOW, Level.MEDIUM, Level.HIGH


def _sheet(
    name: str,
    evidence: Level | None = None,
    score: float | None = None,
    verdicts: dict[int, str] | None = None,
) -> ReviewerSheet:
    return ReviewerSheet(name, {"evidence_strength": evidence}, score, verdicts or {})


def test_majority_verdict_and_tie_without_a_value() -> None:
    sheets = [
        _sheet("ann", verdicts={1: "supports", 2: "supports"}),
        _sheet("bob", verdicts={1: "supports", 2: "contradicts"}),
        _sheet("cy", verdicts={1: "contradicts"}),
    ]
    claims = record_consensus("R1", sheets).claim_verdicts
    assert claims[1].value == "supports" and claims[1].rule is ConsensusRule.MAJORITY
    assert claims[1].n_ratings == 3 and not claims[1].tied
    assert claims[2].value is None and claims[2].tied


def test_dimensions_take_the_lower_median() -> None:
    cases = {
        (LOW, HIGH): LOW,
        (MEDIUM, HIGH): MEDIUM,
        (LOW, HIGH, HIGH): HIGH,
        (HIGH, LOW, MEDIUM, HIGH): MEDIUM,
    }
    for ratings, expected in cases.items():
        sheets = [_sheet(f"r{i}", evidence=level) for i, level in enumerate(ratings)]
        consensus = record_consensus("R1", sheets).dimensions["evidence_strength"]
        assert consensus.value is expected, ratings
        assert consensus.rule is ConsensusRule.LOWER_MEDIAN


def test_scores_take_the_median() -> None:
    odd = record_consensus("R1", [_sheet(f"r{s}", score=s) for s in (9.0, 6.1, 7.0)])
    assert odd.review_score.value == 7.0
    even = [_sheet("a", score=6.1), _sheet("b", score=6.3), _sheet("c")]
    assert record_consensus("R1", even).review_score.value == 6.2
    assert record_consensus("R1", [_sheet("a")]).review_score.value is None


def test_adjudications_override_the_rule_and_the_last_one_wins() -> None:
    sheets = [
        _sheet("ann", LOW, 5.0, {1: "supports"}),
        _sheet("bob", HIGH, 9.0, {1: "contradicts"}),
    ]
    decisions = [
        Adjudication("claim_verdicts", 1, "contradicts", "Table 2 says otherwise", "dee"),
        Adjudication("claim_verdicts", 1, "special-case", "Only for small models", "dee"),
        Adjudication("claim_verdicts", 4, "supports", "Claim nobody rated", "dee"),
        Adjudication("evidence_strength", None, "MEDIUM", "Two strong sources", "dee"),
        Adjudication("review_score", None, "7.5", "Split the difference", "dee"),
    ]
    result = record_consensus("R1", sheets, decisions)
    first = result.claim_verdicts[1]
    assert first.value == "special-case" and first.rule is ConsensusRule.ADJUDICATED
    assert first.adjudication is decisions[1] and first.n_ratings == 2
    assert result.claim_verdicts[4].value == "supports"
    assert result.dimensions["evidence_strength"].value is MEDIUM
    assert result.review_score.value == 7.5
    assert result.verified_claims == 2
    assert result.verdicts() == {1: "special-case", 4: "supports"}


def test_impossible_adjudications_are_refused() -> None:
    with pytest.raises(InvalidAdjudication, match="claim position"):
        Adjudication("claim_verdicts", None, "supports", "why", "dee")
    with pytest.raises(InvalidAdjudication, match="claim position"):
        Adjudication("review_score", 2, 7.0, "why", "dee")
    with pytest.raises(InvalidAdjudication, match="0 to 10"):
        Adjudication("review_score", None, "eleven", "why", "dee")
    with pytest.raises(InvalidAdjudication, match="unknown field"):
        Adjudication("novelty", None, "HIGH", "why", "dee")


def test_conflicts_list_disagreements_and_respect_the_margin() -> None:
    sheets = {
        "R1": [
            _sheet("ann", LOW, 7.2, {1: "supports", 2: "supports"}),
            _sheet("bob", HIGH, 8.2, {1: "supports", 2: "contradicts"}),
        ],
        "R2": [_sheet("ann", MEDIUM, 7.1), _sheet("bob", MEDIUM, 8.2), _sheet("cy", None, None)],
    }
    settled = {"R1": [Adjudication("claim_verdicts", 2, "supports", "Fig. 3", "dee")]}
    found = conflicts(sheets, adjudications=settled)
    assert [(c.record, c.field, c.claim_position) for c in found] == [
        ("R1", "evidence_strength", None),
        ("R1", "claim_verdicts", 2),
        ("R2", "review_score", None),  # 8.2 - 7.1 > 1.0, while 8.2 - 7.2 is not
    ]
    assert found[0].ratings == {"ann": LOW, "bob": HIGH}
    assert "no majority" in found[1].detail and found[1].adjudicated
    assert not found[2].adjudicated and found[2].ratings == {"ann": 7.1, "bob": 8.2}
    wider = conflicts(sheets, margin=1.5)
    assert all(c.field != "review_score" for c in wider)


def _reference_consensus(sheets: list[ReviewerSheet]) -> dict[str, object]:
    """The stated rules, written plainly, to check the vectorised implementation."""
    result: dict[str, object] = {}
    for name in QUALITY_DIMENSIONS:
        ranks = [s.dimensions[name].rank for s in sheets if s.dimensions.get(name) is not None]
        result[name] = list(Level)[statistics.median_low(ranks)] if ranks else None
    scores = [s.review_score for s in sheets if s.review_score is not None]
    result["score"] = round(statistics.median(scores), 9) if scores else None
    for position in sorted({p for s in sheets for p in s.claim_verdicts}):
        votes = Counter(s.claim_verdicts[position] for s in sheets if position in s.claim_verdicts)
        (top, n), *rest = votes.most_common()
        result[f"claim {position}"] = None if rest and rest[0][1] == n else top
    return result


def test_workspace_consensus_follows_the_stated_rules_on_random_sheets() -> None:
    rng = np.random.default_rng(7)
    levels = [None, *Level]
    workspace = {}
    for record in range(300):
        sheets = []
        for reviewer in rng.choice(5, size=rng.integers(1, 5), replace=False).tolist():
            dimensions = {name: levels[rng.integers(4)] for name in QUALITY_DIMENSIONS}
            score = None if rng.random() < 0.2 else round(float(rng.uniform(0, 10)), 1)
            verdicts = {
                p: VERDICTS[rng.integers(len(VERDICTS))] for p in range(1, 6) if rng.random() < 0.7
            }
            sheets.append(ReviewerSheet(f"r{reviewer}", dimensions, score, verdicts))
        workspace[f"R{record}"] = sheets
    for record, consensus in workspace_consensus(workspace).items():
        ours: dict[str, object] = {n: c.value for n, c in consensus.dimensions.items()}
        ours["score"] = consensus.review_score.value
        ours.update({f"claim {p}": v for p, v in consensus.verdicts().items()})
        assert ours == _reference_consensus(workspace[record]), record
