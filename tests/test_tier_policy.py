"""Tier policy: evaluation, the basis sentence, JSON round trip and comparison."""

from __future__ import annotations

import json

import pytest

from reviewer_app.domain.consensus import record_consensus
from reviewer_app.domain.records import Level
from reviewer_app.domain.review_sheets import ReviewerSheet
from reviewer_app.domain.tier_policy import (
    DEFAULT_TIER_POLICY,
    InvalidTierPolicy,
    RuleKind,
    Tier,
    TierFacts,
    TierPolicy,
    TierRule,
    differs,
    evaluate,
    evaluate_many,
)


def test_watchlist_basis_names_each_rule() -> None:
    result = evaluate(DEFAULT_TIER_POLICY, TierFacts(6.2, 1, ()))
    assert result.tier == "Watchlist"
    assert result.basis == (
        "Watchlist: consensus score 6.2 is below 7.0; 1 verified claim, 3 required; "
        "no LOW dimension (passed)."
    )
    assert [(r.name, r.passed) for r in result.rules] == [
        ("min_consensus_score", False),
        ("min_verified_claims", False),
        ("no_low_dimension", True),
    ]
    assert result.policy_version == DEFAULT_TIER_POLICY.version


def test_doi_grade_at_the_thresholds() -> None:
    result = evaluate(DEFAULT_TIER_POLICY, TierFacts(7.0, 3, ()))
    assert result.tier == "DOI-grade"
    assert result.basis == (
        "DOI-grade: consensus score 7.0 is at least 7.0; 3 verified claims, 3 required; "
        "no LOW dimension."
    )
    assert all(r.passed for r in result.rules)


@pytest.mark.parametrize(
    ("facts", "failed_detail"),
    [
        (TierFacts(None, 5, ()), "no consensus score (7.0 required)"),
        (TierFacts(9.0, 2, ()), "2 verified claims, 3 required"),
        (TierFacts(9.0, 5, ("citation_grounding",)), "LOW citation_grounding"),
    ],
)
def test_one_failed_rule_is_enough_for_watchlist(facts: TierFacts, failed_detail: str) -> None:
    result = evaluate(DEFAULT_TIER_POLICY, facts)
    assert result.tier == "Watchlist"
    assert [r.detail for r in result.rules if not r.passed] == [failed_detail]
    assert failed_detail in result.basis


def test_facts_come_from_the_consensus() -> None:
    sheets = [
        ReviewerSheet("ann", {"evidence_strength": Level.LOW}, 8.0, {1: "supports", 2: "supports"}),
        ReviewerSheet("bob", {"evidence_strength": Level.LOW}, 9.0, {1: "special-case"}),
        ReviewerSheet("cy", {"evidence_strength": Level.HIGH}, 7.0, {1: "special-case"}),
    ]
    facts = TierFacts.from_consensus(record_consensus("R1", sheets))
    assert facts == TierFacts(8.0, 2, ("evidence_strength",))


def test_policy_round_trips_through_json() -> None:
    text = json.dumps(DEFAULT_TIER_POLICY.to_json())
    assert TierPolicy.from_json(json.loads(text)) == DEFAULT_TIER_POLICY


def test_a_three_tier_policy_explains_with_the_tier_just_missed() -> None:
    policy = TierPolicy(
        version=2,
        tiers=(
            Tier("Gold", (TierRule(RuleKind.MIN_CONSENSUS_SCORE, 9.0),)),
            Tier("Silver", (TierRule(RuleKind.MIN_VERIFIED_CLAIMS, 2),)),
            Tier("Bronze"),
        ),
    )
    assert evaluate(policy, TierFacts(8.0, 2)).tier == "Silver"
    gold = evaluate(policy, TierFacts(9.5, 1))  # Gold is tried first and passes
    assert gold.tier == "Gold"
    fallen = evaluate(policy, TierFacts(8.0, 1))
    assert fallen.basis == "Bronze: 1 verified claim, 2 required."
    assert fallen.policy_version == 2


@pytest.mark.parametrize(
    ("definition", "problem"),
    [
        ({"version": 1, "tiers": []}, "at least one tier"),
        ({"version": 0, "tiers": [{"name": "Any"}]}, "version"),
        (
            {"version": 1, "tiers": [{"name": "A", "rules": [{"kind": "no_low_dimension"}]}]},
            "last tier",
        ),
        (
            {
                "version": 1,
                "tiers": [{"name": "A", "rules": [{"kind": "min_verified_claims"}]}, {"name": "B"}],
            },
            "threshold None",
        ),
        ({"version": 1, "tiers": [{"name": "A", "rules": [{"kind": "vibes"}]}]}, "vibes"),
        ({"tiers": [{"name": "A"}]}, "not a tier policy"),
    ],
)
def test_bad_policies_are_refused_naming_the_source(definition: object, problem: str) -> None:
    with pytest.raises(InvalidTierPolicy, match=problem) as caught:
        TierPolicy.from_json(definition, source="policy.json")
    assert str(caught.value).startswith("policy.json: ")


def test_evaluate_many_matches_evaluate() -> None:
    facts = [TierFacts(s / 2, c, ()) for s in range(21) for c in range(5)]
    facts += [TierFacts(8.0, 4, ("evidence_strength",))] * 3
    assert evaluate_many(DEFAULT_TIER_POLICY, facts) == [
        evaluate(DEFAULT_TIER_POLICY, f) for f in facts
    ]


def test_differs_ignores_case_and_punctuation() -> None:
    result = evaluate(DEFAULT_TIER_POLICY, TierFacts(8.0, 4))
    assert not differs(result, "doi grade")
    assert differs(result, "Watchlist")
    assert not differs(result, None)
    assert differs("Watchlist", "DOI-grade")
