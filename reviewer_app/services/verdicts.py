"""Claim verdicts: the evidence rule, append-only history, and claims as one reviewer sees them."""

from __future__ import annotations

from reviewer_app.domain.evidence import ClaimVerdict, Verdict
from reviewer_app.services.review_lookup import (
    clean_text,
    require_claim,
    require_record,
    require_reviewer,
)
from reviewer_app.services.review_types import ClaimState, EvidenceRefused
from reviewer_app.storage import evidence_repository as evidence_repo
from reviewer_app.storage.database import Database
from reviewer_app.storage.records_repository import record_key
from reviewer_app.storage.retry import retried
from reviewer_app.storage.reviewers_repository import reviewer_named


class Verdicts:
    def __init__(self, database: Database) -> None:
        self.database = database

    def claim_states(self, record_id: str, reviewer: str) -> list[ClaimState]:
        key = record_key(record_id)
        with self.database.reading() as session:
            record = require_record(session, record_id)
            who = reviewer_named(session, reviewer)
            newest = evidence_repo.current_verdicts(session, key, who.id, who.name) if who else {}
            counts = evidence_repo.live_span_counts(session, key, who.id) if who else {}
        states = []
        for claim in record.claims:
            current = newest.get(claim.position)
            states.append(
                ClaimState(
                    position=claim.position,
                    text=claim.text,
                    confidence=claim.confidence,
                    verified=claim.verified,
                    verdict=current.verdict if current else None,
                    reason=current.reason if current else None,
                    note=current.note if current else None,
                    evidence_count=counts.get(claim.position, 0),
                )
            )
        return states

    @retried  # concurrent team writers: a deadlock or serialization failure is rerun
    def set(
        self,
        record_id: str,
        claim_position: int,
        *,
        reviewer: str,
        verdict: Verdict | str | None,
        reason: str | None = None,
        note: str | None = None,
    ) -> ClaimVerdict | None:
        """Record a verdict (None clears it). Appends a row unless nothing would change."""
        chosen = _verdict(verdict)
        reason, note = clean_text(reason), clean_text(note)
        key = record_key(record_id)
        with self.database.transaction() as session:
            claim = require_claim(require_record(session, record_id), record_id, claim_position)
            who = require_reviewer(session, reviewer)
            if chosen is not None and chosen.needs_evidence and reason is None:
                spans = evidence_repo.live_span_counts(session, key, who.id).get(claim.position, 0)
                if not spans:
                    raise EvidenceRefused(
                        f"record {key}, claim {claim.position}: a '{chosen.value}' verdict needs "
                        f"at least one evidence span by {who.name} on this claim, or a reason "
                        "why none can be marked"
                    )
            return evidence_repo.record_verdict(
                session,
                record_id=key,
                claim_position=claim.position,
                reviewer=who,
                verdict=chosen.value if chosen else None,
                reason=reason,
                note=note,
            )

    def history(self, record_id: str, claim_position: int, reviewer: str) -> list[ClaimVerdict]:
        """The reviewer's verdicts on the claim, oldest first; clearings are left out (the
        claim's current state, cleared or not, is in ``claim_states``)."""
        key = record_key(record_id)
        with self.database.reading() as session:
            claim = require_claim(require_record(session, record_id), record_id, claim_position)
            who = reviewer_named(session, reviewer)
            if who is None:
                return []
            return evidence_repo.verdict_history(session, key, claim.position, who.id, reviewer)


def _verdict(verdict: Verdict | str | None) -> Verdict | None:
    if verdict is None:
        return None
    try:
        return Verdict(verdict)
    except ValueError:
        choices = ", ".join(v.value for v in Verdict)
        raise EvidenceRefused(f"unknown verdict '{verdict}' (use one of: {choices})") from None
