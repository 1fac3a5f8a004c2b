"""Per-claim grounding marks: source-grounded, confirmed, contradicted (issue 13).

* *source-grounded*: at least one reviewer marked an evidence span for the claim (any stance)
  in an attached source whose required reference checks pass, and the span's quote still
  occurs at its anchor in that source's current file;
* *confirmed*: the consensus verdict (after adjudication) is supports or special-case and at
  least ``min_reviewers`` reviewers gave a verdict;
* *contradicted*: the consensus verdict is contradicts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reviewer_app.domain.consensus import VERIFIED_VERDICTS, FieldConsensus, RecordConsensus
from reviewer_app.domain.grounding_rules import GroundingFacts
from reviewer_app.domain.reference_checks import Check

EVIDENCE = "evidence"
QUOTE_AT_ANCHOR = "quote_at_anchor"
CONSENSUS = "consensus"


@dataclass(frozen=True)
class EvidenceCheck:
    """One evidence span, re-verified."""

    reviewer: str
    source_sha256: str
    """The file the span was checked in: the reference's current file."""
    source_ok: bool
    """The reference checks of that source pass."""
    quote_ok: bool
    message: str

    @property
    def grounds(self) -> bool:
        return self.source_ok and self.quote_ok


@dataclass(frozen=True)
class ClaimGrounding:
    position: int
    grounded: bool
    confirmed: bool
    contradicted: bool
    settled: bool
    evidence_sources: tuple[str, ...]
    """SHA-256 of the files whose evidence grounds the claim."""
    checks: tuple[Check, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "grounded": self.grounded,
            "confirmed": self.confirmed,
            "contradicted": self.contradicted,
            "evidence_sources": list(self.evidence_sources),
            "checks": [check.to_json() for check in self.checks],
        }


def ground_claim(
    position: int,
    evidence: Sequence[EvidenceCheck],
    consensus: FieldConsensus | None,
    min_reviewers: int,
) -> ClaimGrounding:
    grounding = [item for item in evidence if item.grounds]
    checks = [_evidence_check(evidence, grounding)]
    checks += [Check(QUOTE_AT_ANCHOR, item.grounds, item.message) for item in evidence]
    value = consensus.value if consensus is not None else None
    voters = consensus.n_ratings if consensus is not None else 0
    adjudicated = consensus is not None and consensus.adjudication is not None
    confirmed = value in VERIFIED_VERDICTS and voters >= min_reviewers
    contradicted = value == "contradicts"
    settled = value is not None and (voters >= min_reviewers or adjudicated)
    checks.append(_consensus_check(value, voters, adjudicated, min_reviewers))
    return ClaimGrounding(
        position=position,
        grounded=bool(grounding),
        confirmed=confirmed,
        contradicted=contradicted,
        settled=settled,
        evidence_sources=tuple(dict.fromkeys(item.source_sha256 for item in grounding)),
        checks=tuple(checks),
    )


def ground_claims(
    positions: Sequence[int],
    evidence: dict[int, list[EvidenceCheck]],
    consensus: RecordConsensus | None,
    min_reviewers: int,
) -> tuple[ClaimGrounding, ...]:
    verdicts = consensus.claim_verdicts if consensus is not None else {}
    return tuple(
        ground_claim(p, evidence.get(p, ()), verdicts.get(p), min_reviewers) for p in positions
    )


def facts_of(
    claims: Sequence[ClaimGrounding], aggregate_claims: int | None = None
) -> GroundingFacts:
    """Counts over the listed claims; a record that lists none but gives an aggregate count
    (a public record page) counts that many claims, none of them grounded."""
    return GroundingFacts(
        claims=len(claims) if claims else max(aggregate_claims or 0, 0),
        grounded=sum(c.grounded for c in claims),
        confirmed=sum(c.confirmed for c in claims),
        contradicted=sum(c.contradicted for c in claims),
        settled=sum(c.settled for c in claims),
    )


def _evidence_check(evidence: Sequence[EvidenceCheck], grounding: Sequence[EvidenceCheck]) -> Check:
    if not evidence:
        return Check(EVIDENCE, False, "no reviewer marked evidence for this claim")
    reviewers = sorted({item.reviewer for item in grounding})
    if grounding:
        return Check(
            EVIDENCE,
            True,
            f"{len(grounding)} of {len(evidence)} evidence spans hold "
            f"(marked by {', '.join(reviewers)})",
        )
    return Check(EVIDENCE, False, f"none of {len(evidence)} evidence spans holds")


def _consensus_check(value: Any, voters: int, adjudicated: bool, min_reviewers: int) -> Check:
    if value is None:
        return Check(CONSENSUS, None, "no consensus verdict yet")
    how = "adjudicated" if adjudicated else f"{voters} reviewer{'s' if voters != 1 else ''}"
    enough = voters >= min_reviewers or adjudicated
    return Check(CONSENSUS, enough, f"consensus {value} ({how})")
