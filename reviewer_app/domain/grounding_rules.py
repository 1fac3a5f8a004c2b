"""The verification level a review established, under a versioned, documented rule set.

A rule set lists levels best first (L3 … L0). A record gets the first level whose
requirements all hold; the last level has none and catches the rest. The basis sentence names
the level reached and the counts behind it and, when the record fell short of a higher level,
what that level needed. Rule sets are stored versioned beside the tier policy, so a computed
level names the rules that produced it.

Requirements:

* ``claims_listed``: the record lists at least one claim.
* ``all_claims_grounded``: every claim is source-grounded.
* ``min_grounded_fraction`` (threshold 0–1): at least this share of claims is grounded.
* ``min_grounded_claims`` (threshold): at least this many grounded claims.
* ``all_claims_settled``: every claim has a consensus verdict from at least
  ``min_reviewers`` reviewers, or an adjudication.
* ``no_contradicted``: no claim's consensus is contradicts.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from reviewer_app.domain.reference_checks import (
    FILE_INTACT,
    PARSES,
    PDF_ATTACHED,
    REFERENCE_CHECKS,
    SAME_PAPER,
    SAME_VERSION,
    VERSION_PINNED,
)
from reviewer_app.errors import ReviewerAppError

LEVELS = ("L0", "L1", "L2", "L3")


class InvalidGroundingRules(ReviewerAppError):
    """A rule set that cannot be applied: the message says where and why."""


class Requirement(StrEnum):
    CLAIMS_LISTED = "claims_listed"
    ALL_CLAIMS_GROUNDED = "all_claims_grounded"
    MIN_GROUNDED_FRACTION = "min_grounded_fraction"
    MIN_GROUNDED_CLAIMS = "min_grounded_claims"
    ALL_CLAIMS_SETTLED = "all_claims_settled"
    NO_CONTRADICTED = "no_contradicted"


_NEEDS_THRESHOLD = {Requirement.MIN_GROUNDED_FRACTION, Requirement.MIN_GROUNDED_CLAIMS}


@dataclass(frozen=True)
class LevelRule:
    level: str
    label: str
    requires: tuple[tuple[Requirement, float | None], ...] = ()


@dataclass(frozen=True)
class GroundingRules:
    version: int
    levels: tuple[LevelRule, ...]
    required_reference_checks: tuple[str, ...]
    """The reference checks a source must pass for evidence in it to ground a claim."""
    min_reviewers: int = 2
    """Reviewers needed for a consensus verdict to confirm (or settle) a claim."""

    def __post_init__(self) -> None:
        _check(self)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "min_reviewers": self.min_reviewers,
            "required_reference_checks": list(self.required_reference_checks),
            "levels": [
                {
                    "level": rule.level,
                    "label": rule.label,
                    "requires": [
                        {"kind": kind.value, "threshold": threshold}
                        for kind, threshold in rule.requires
                    ],
                }
                for rule in self.levels
            ],
        }

    @classmethod
    def from_json(cls, data: Any, source: str = "grounding rules") -> GroundingRules:
        try:
            levels = tuple(
                LevelRule(
                    level=item["level"],
                    label=item["label"],
                    requires=tuple(
                        (Requirement(req["kind"]), req.get("threshold"))
                        for req in item.get("requires", ())
                    ),
                )
                for item in data["levels"]
            )
            return cls(
                version=data["version"],
                levels=levels,
                required_reference_checks=tuple(data["required_reference_checks"]),
                min_reviewers=data.get("min_reviewers", 2),
            )
        except InvalidGroundingRules as exc:
            raise InvalidGroundingRules(f"{source}: {exc}") from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InvalidGroundingRules(f"{source}: not a grounding rule set ({exc!r})") from None


def _check(rules: GroundingRules) -> None:
    version = rules.version
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InvalidGroundingRules(f"the rules version must be a positive integer: {version!r}")
    if not rules.levels:
        raise InvalidGroundingRules("the rules need at least one level")
    names = [rule.level for rule in rules.levels]
    if len(set(names)) != len(names) or any(name not in LEVELS for name in names):
        raise InvalidGroundingRules(f"levels must be distinct, each one of {LEVELS}: {names}")
    if rules.levels[-1].requires:
        raise InvalidGroundingRules(f"the last level, {names[-1]}, must have no requirements")
    unknown = [name for name in rules.required_reference_checks if name not in REFERENCE_CHECKS]
    if unknown:
        raise InvalidGroundingRules(f"unknown reference checks {unknown}")
    if not isinstance(rules.min_reviewers, int) or rules.min_reviewers < 1:
        raise InvalidGroundingRules(f"min_reviewers must be at least 1: {rules.min_reviewers!r}")
    for rule in rules.levels:
        for kind, threshold in rule.requires:
            numeric = isinstance(threshold, int | float) and not isinstance(threshold, bool)
            if (kind in _NEEDS_THRESHOLD) != numeric or (
                numeric and threshold is not None and threshold < 0
            ):
                raise InvalidGroundingRules(
                    f"level {rule.level}: requirement {kind.value} has threshold {threshold!r}"
                )


DEFAULT_GROUNDING_RULES = GroundingRules(
    version=1,
    min_reviewers=2,
    required_reference_checks=(
        PARSES,
        VERSION_PINNED,
        PDF_ATTACHED,
        SAME_PAPER,
        SAME_VERSION,
        FILE_INTACT,
    ),
    levels=(
        LevelRule(
            "L3",
            "claim record",
            ((Requirement.ALL_CLAIMS_GROUNDED, None), (Requirement.ALL_CLAIMS_SETTLED, None)),
        ),
        LevelRule("L2", "source-grounded claims", ((Requirement.ALL_CLAIMS_GROUNDED, None),)),
        LevelRule("L1", "aggregate claims only", ((Requirement.CLAIMS_LISTED, None),)),
        LevelRule("L0", "no claims"),
    ),
)


@dataclass(frozen=True)
class GroundingFacts:
    """The counts a level is computed from."""

    claims: int
    grounded: int
    confirmed: int
    contradicted: int
    settled: int
    """Claims with a consensus from enough reviewers, or an adjudication."""


@dataclass(frozen=True)
class ComputedLevel:
    level: str
    label: str
    basis: str
    rules_version: int

    @property
    def rank(self) -> int:
        return LEVELS.index(self.level)


def compute_level(rules: GroundingRules, facts: GroundingFacts) -> ComputedLevel:
    shortfall: list[str] = []
    above: LevelRule | None = None
    for rule in rules.levels:
        missed = [
            _describe(kind, threshold, facts, rules.min_reviewers)
            for kind, threshold in rule.requires
            if not _holds(kind, threshold, facts)
        ]
        if not missed:
            basis = f"{rule.level} {rule.label}: {_counts(facts)}"
            if above is not None and shortfall:
                basis += f"; {above.level} needs {' and '.join(shortfall)}"
            return ComputedLevel(rule.level, rule.label, basis + ".", rules.version)
        above, shortfall = rule, missed
    raise AssertionError("unreachable: the last level has no requirements")


def _holds(kind: Requirement, threshold: float | None, facts: GroundingFacts) -> bool:
    if kind is Requirement.CLAIMS_LISTED:
        return facts.claims > 0
    if kind is Requirement.ALL_CLAIMS_GROUNDED:
        return facts.claims > 0 and facts.grounded == facts.claims
    if kind is Requirement.MIN_GROUNDED_FRACTION:
        return facts.claims > 0 and facts.grounded / facts.claims >= (threshold or 0)
    if kind is Requirement.MIN_GROUNDED_CLAIMS:
        return facts.grounded >= (threshold or 0)
    if kind is Requirement.ALL_CLAIMS_SETTLED:
        return facts.claims > 0 and facts.settled == facts.claims
    return facts.contradicted == 0


def _describe(
    kind: Requirement, threshold: float | None, facts: GroundingFacts, min_reviewers: int
) -> str:
    if kind is Requirement.CLAIMS_LISTED:
        return "at least one claim"
    if kind is Requirement.ALL_CLAIMS_GROUNDED:
        return "every claim grounded"
    if kind is Requirement.MIN_GROUNDED_FRACTION:
        return f"{(threshold or 0):.0%} of claims grounded"
    if kind is Requirement.MIN_GROUNDED_CLAIMS:
        return f"{threshold:g} grounded claims"
    if kind is Requirement.ALL_CLAIMS_SETTLED:
        return (
            f"a consensus of {min_reviewers} reviewers or an adjudication on every claim "
            f"({facts.settled} of {facts.claims} have one)"
        )
    return "no contradicted claim"


def _counts(facts: GroundingFacts) -> str:
    if facts.claims == 0:
        return "the record lists no claims"
    parts = [f"{facts.grounded} of {facts.claims} claims source-grounded"]
    parts.append(f"{facts.confirmed} confirmed")
    if facts.contradicted:
        parts.append(f"{facts.contradicted} contradicted")
    return ", ".join(parts)


def differs_sentence(
    imported_level: str | None,
    imported_grounded: int | None,
    facts: GroundingFacts,
    computed: ComputedLevel,
    imported_verified: int | None = None,
) -> str | None:
    """Why the record over- or under-states its grounding, or None when it does not.

    Like: "claims L2 with 3 source-grounded claims; the review grounded 1 of 10, and 2 are
    contradicted". The record's own count of verified claims is held against the claims the
    review confirmed. Nothing imported means nothing to differ from.
    """
    level_differs = imported_level is not None and imported_level.upper() != computed.level
    count_differs = imported_grounded is not None and imported_grounded != facts.grounded
    verified_differs = imported_verified is not None and imported_verified != facts.confirmed
    if not (level_differs or count_differs or verified_differs):
        return None
    stated: list[tuple[int, str]] = []
    if imported_grounded is not None:
        stated.append((imported_grounded, "source-grounded"))
    if verified_differs and imported_verified is not None:
        stated.append((imported_verified, "verified"))
    claimed = f"claims {imported_level or 'no level'}"
    if stated:
        noun = "claim" if [count for count, _ in stated] == [1] else "claims"
        counts = " and ".join(f"{count} {kind}" for count, kind in stated)
        claimed += f" with {counts} {noun}"
    found = f"the review grounded {facts.grounded} of {facts.claims}"
    if level_differs:
        found += f" ({computed.level})"
    if verified_differs:
        found += f", confirmed {facts.confirmed}"
    if facts.contradicted:
        verb = "is" if facts.contradicted == 1 else "are"
        found += f", and {facts.contradicted} {verb} contradicted"
    return f"{claimed}; {found}"


def over_states(
    imported_level: str | None,
    computed: ComputedLevel,
    imported_grounded: int | None = None,
    grounded: int | None = None,
    imported_verified: int | None = None,
    confirmed: int | None = None,
) -> bool:
    """The synthesis claims more than the review established: its imported level is above the
    computed one, or it counts more source-grounded (or verified) claims than the review
    grounded (or confirmed)."""
    if imported_grounded is not None and grounded is not None and imported_grounded > grounded:
        return True
    if imported_verified is not None and confirmed is not None and imported_verified > confirmed:
        return True
    if imported_level is None or imported_level.upper() not in LEVELS:
        return False
    return LEVELS.index(imported_level.upper()) > computed.rank
