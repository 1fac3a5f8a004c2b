"""Quality tiers from the reviewers' consensus, under a versioned, configurable policy.

A policy lists tiers best first. A record gets the first tier whose rules all pass; the last tier
has no rules and catches the rest. The basis sentence explains the outcome with the rules of the
tier reached or, for a record that fell through to a lower tier, of the tier just above it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from reviewer_app.domain.consensus import RecordConsensus
from reviewer_app.errors import ReviewerAppError


class InvalidTierPolicy(ReviewerAppError):
    """A tier policy that cannot be applied: the message says where and why."""


class RuleKind(StrEnum):
    MIN_CONSENSUS_SCORE = "min_consensus_score"
    MIN_VERIFIED_CLAIMS = "min_verified_claims"
    NO_LOW_DIMENSION = "no_low_dimension"
    # from the grounding checks (issue 13): the computed level as 0-3 (L0-L3) and its counts
    MIN_COMPUTED_LEVEL = "min_computed_level"
    MIN_SOURCE_GROUNDED_CLAIMS = "min_source_grounded_claims"
    MAX_CONTRADICTED_CLAIMS = "max_contradicted_claims"


GROUNDING_RULE_KINDS = frozenset(
    {
        RuleKind.MIN_COMPUTED_LEVEL,
        RuleKind.MIN_SOURCE_GROUNDED_CLAIMS,
        RuleKind.MAX_CONTRADICTED_CLAIMS,
    }
)
"""Rules that need the grounding checks to have run."""
_NEEDS_THRESHOLD = {
    RuleKind.MIN_CONSENSUS_SCORE,
    RuleKind.MIN_VERIFIED_CLAIMS,
    *GROUNDING_RULE_KINDS,
}


@dataclass(frozen=True)
class TierRule:
    kind: RuleKind
    threshold: float | None = None
    """The minimum score or number of verified claims; unused by ``no_low_dimension``."""


@dataclass(frozen=True)
class Tier:
    name: str
    rules: tuple[TierRule, ...] = ()


@dataclass(frozen=True)
class TierPolicy:
    version: int
    """Increases with every change, so a stored tier names the policy that produced it."""
    tiers: tuple[Tier, ...]

    def __post_init__(self) -> None:
        _check(self)

    @property
    def uses_grounding(self) -> bool:
        return any(rule.kind in GROUNDING_RULE_KINDS for tier in self.tiers for rule in tier.rules)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "tiers": [
                {
                    "name": tier.name,
                    "rules": [
                        {"kind": rule.kind.value, "threshold": rule.threshold}
                        for rule in tier.rules
                    ],
                }
                for tier in self.tiers
            ],
        }

    @classmethod
    def from_json(cls, data: Any, source: str = "tier policy") -> TierPolicy:
        """Read what :meth:`to_json` wrote; ``source`` (such as a file name) prefixes errors."""
        try:
            tiers = tuple(
                Tier(
                    name=tier["name"],
                    rules=tuple(
                        TierRule(RuleKind(rule["kind"]), rule.get("threshold"))
                        for rule in tier.get("rules", ())
                    ),
                )
                for tier in data["tiers"]
            )
            return cls(version=data["version"], tiers=tiers)
        except InvalidTierPolicy as exc:
            raise InvalidTierPolicy(f"{source}: {exc}") from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InvalidTierPolicy(f"{source}: not a tier policy ({exc!r})") from None


def _check(policy: TierPolicy) -> None:
    version = policy.version
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InvalidTierPolicy(f"the policy version must be a positive integer: {version!r}")
    if not policy.tiers:
        raise InvalidTierPolicy("the policy needs at least one tier")
    names = [tier.name for tier in policy.tiers]
    if len(set(names)) != len(names) or not all(isinstance(n, str) and n.strip() for n in names):
        raise InvalidTierPolicy(f"tier names must be distinct and non-empty: {names}")
    if policy.tiers[-1].rules:
        raise InvalidTierPolicy(f"the last tier, {names[-1]!r}, must have no rules")
    for tier in policy.tiers:
        for rule in tier.rules:
            threshold = rule.threshold
            numeric = isinstance(threshold, int | float) and not isinstance(threshold, bool)
            if (rule.kind in _NEEDS_THRESHOLD) != numeric or (
                numeric and threshold is not None and threshold < 0
            ):
                raise InvalidTierPolicy(
                    f"tier {tier.name!r}: rule {rule.kind.value} has threshold {threshold!r}"
                )


DEFAULT_TIER_POLICY = TierPolicy(
    version=1,
    tiers=(
        Tier(
            "DOI-grade",
            (
                TierRule(RuleKind.MIN_CONSENSUS_SCORE, 7.0),
                TierRule(RuleKind.MIN_VERIFIED_CLAIMS, 3),
                TierRule(RuleKind.NO_LOW_DIMENSION),
            ),
        ),
        Tier("Watchlist"),
    ),
)


@dataclass(frozen=True)
class GroundingCounts:
    level: int
    """The computed verification level as a number: 0 for L0 … 3 for L3."""
    source_grounded_claims: int
    contradicted_claims: int


@dataclass(frozen=True)
class TierFacts:
    """What the rules look at, taken from a record's consensus."""

    consensus_score: float | None
    verified_claims: int
    low_dimensions: tuple[str, ...] = ()
    """Dimensions whose consensus is LOW; an unrated dimension is not LOW."""
    grounding: GroundingCounts | None = None
    """The computed grounding, when the policy has rules on it."""

    @classmethod
    def from_consensus(
        cls, consensus: RecordConsensus, grounding: GroundingCounts | None = None
    ) -> TierFacts:
        score = consensus.review_score.value
        return cls(
            consensus_score=float(score) if isinstance(score, int | float) else None,
            verified_claims=consensus.verified_claims,
            low_dimensions=consensus.low_dimensions,
            grounding=grounding,
        )


@dataclass(frozen=True)
class RuleOutcome:
    name: str
    passed: bool
    detail: str


@dataclass(frozen=True)
class TierResult:
    tier: str
    basis: str
    policy_version: int
    rules: tuple[RuleOutcome, ...]
    """The outcomes the basis cites: of the tier reached, or of the tier just above it."""

    def to_json(self) -> dict[str, Any]:
        return {
            "tier": self.tier,
            "basis": self.basis,
            "policy_version": self.policy_version,
            "rules": [{"name": r.name, "passed": r.passed, "detail": r.detail} for r in self.rules],
        }


def evaluate(policy: TierPolicy, facts: TierFacts) -> TierResult:
    missed: tuple[RuleOutcome, ...] = ()
    for tier in policy.tiers:
        outcomes = tuple(_apply(rule, facts) for rule in tier.rules)
        if all(outcome.passed for outcome in outcomes):
            cited = outcomes or missed
            return TierResult(tier.name, _basis(tier.name, cited), policy.version, cited)
        missed = outcomes
    raise AssertionError("unreachable: the last tier has no rules")


def evaluate_many(policy: TierPolicy, facts: Iterable[TierFacts]) -> list[TierResult]:
    """Evaluate many records; equal facts are evaluated once."""
    cache: dict[TierFacts, TierResult] = {}
    results = []
    for item in facts:
        result = cache.get(item)
        if result is None:
            result = cache[item] = evaluate(policy, item)
        results.append(result)
    return results


def evaluate_consensus(
    policy: TierPolicy,
    consensus: Mapping[str, RecordConsensus],
    grounding: Mapping[str, GroundingCounts] | None = None,
) -> dict[str, TierResult]:
    """The tier of each record of a workspace, by record id."""
    grounding = grounding or {}
    facts = [TierFacts.from_consensus(c, grounding.get(rid)) for rid, c in consensus.items()]
    return dict(zip(consensus, evaluate_many(policy, facts), strict=True))


def _apply(rule: TierRule, facts: TierFacts) -> RuleOutcome:
    name, threshold = rule.kind.value, rule.threshold or 0
    if rule.kind is RuleKind.MIN_CONSENSUS_SCORE:
        score = facts.consensus_score
        if score is None:
            return RuleOutcome(name, False, f"no consensus score ({_score(threshold)} required)")
        passed = score >= threshold
        relation = "is at least" if passed else "is below"
        return RuleOutcome(
            name, passed, f"consensus score {_score(score)} {relation} {_score(threshold)}"
        )
    if rule.kind is RuleKind.MIN_VERIFIED_CLAIMS:
        count = facts.verified_claims
        noun = "verified claim" if count == 1 else "verified claims"
        return RuleOutcome(name, count >= threshold, f"{count} {noun}, {threshold:g} required")
    if rule.kind in GROUNDING_RULE_KINDS:
        return _apply_grounding(rule.kind, threshold, facts.grounding)
    if facts.low_dimensions:
        return RuleOutcome(name, False, f"LOW {', '.join(facts.low_dimensions)}")
    return RuleOutcome(name, True, "no LOW dimension")


def _apply_grounding(
    kind: RuleKind, threshold: float, grounding: GroundingCounts | None
) -> RuleOutcome:
    name = kind.value
    if grounding is None:
        return RuleOutcome(name, False, "grounding not computed")
    if kind is RuleKind.MIN_COMPUTED_LEVEL:
        passed = grounding.level >= threshold
        return RuleOutcome(
            name, passed, f"computed level L{grounding.level}, L{threshold:g} required"
        )
    if kind is RuleKind.MIN_SOURCE_GROUNDED_CLAIMS:
        count = grounding.source_grounded_claims
        return RuleOutcome(
            name, count >= threshold, f"{count} source-grounded, {threshold:g} required"
        )
    count = grounding.contradicted_claims
    return RuleOutcome(name, count <= threshold, f"{count} contradicted, at most {threshold:g}")


def _score(value: float) -> str:
    """One decimal as scores are given (7.0, 6.2); more only when the value has them."""
    return f"{value:.1f}" if round(value, 1) == value else f"{value:g}"


def _basis(tier: str, cited: Sequence[RuleOutcome]) -> str:
    if not cited:
        return f"{tier}: no rules apply."
    fell_through = not all(outcome.passed for outcome in cited)
    parts = [f"{o.detail} (passed)" if fell_through and o.passed else o.detail for o in cited]
    return f"{tier}: {'; '.join(parts)}."


def differs(result: TierResult | str, automated_tier: str | None) -> bool:
    """Whether the reviewers' tier differs from the imported one; ``False`` when none was imported.

    Names compare without case, spaces or punctuation: "DOI grade" equals "DOI-grade".
    """
    if automated_tier is None or not automated_tier.strip():
        return False
    ours = result.tier if isinstance(result, TierResult) else result
    return _normalised(ours) != _normalised(automated_tier)


def _normalised(tier: str) -> str:
    return re.sub(r"[\W_]+", "", tier.casefold())
