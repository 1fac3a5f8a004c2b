"""Claim verdicts: the evidence rule, append-only history, and claims as one reviewer sees them."""

from __future__ import annotations

from reviewer_app.domain.evidence import ClaimVerdict, Verdict
from reviewer_app.services.review_lookup import (
    clean_text,
    require_claim,
    require_record,
    reviewer_row,
)
from reviewer_app.services.review_types import ClaimState, EvidenceRefused
from reviewer_app.storage import evidence_repository as evidence_repo
from reviewer_app.storage.database import Database
from reviewer_app.storage.records_repository import record_key
from reviewer_app.storage.review_models import ClaimVerdictRow
from reviewer_app.storage.reviewers_repository import find_reviewer
from reviewer_app.storage.row_values import as_utc


class Verdicts:
    def __init__(self, database: Database) -> None:
        self.database = database

    def claim_states(self, record_id: str, reviewer: str) -> list[ClaimState]:
        key = record_key(record_id)
        with self.database.reading() as session:
            record = require_record(session, record_id)
            who = find_reviewer(session, reviewer)
            newest = evidence_repo.newest_verdicts(session, key, who.id) if who else {}
            counts = evidence_repo.live_span_counts(session, key, who.id) if who else {}
        states = []
        for claim in record.claims:
            row = newest.get(claim.position)
            states.append(
                ClaimState(
                    position=claim.position,
                    text=claim.text,
                    confidence=claim.confidence,
                    verified=claim.verified,
                    verdict=Verdict(row.verdict) if row and row.verdict else None,
                    reason=row.reason if row and row.verdict else None,
                    note=row.note if row and row.verdict else None,
                    evidence_count=counts.get(claim.position, 0),
                )
            )
        return states

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
            who = reviewer_row(session, reviewer)
            if chosen is not None and chosen.needs_evidence and reason is None:
                spans = evidence_repo.live_span_counts(session, key, who.id).get(claim.position, 0)
                if not spans:
                    raise EvidenceRefused(
                        f"record {key}, claim {claim.position}: a '{chosen.value}' verdict needs "
                        f"at least one evidence span by {who.name} on this claim, or a reason "
                        "why none can be marked"
                    )
            current = evidence_repo.newest_verdicts(session, key, who.id).get(claim.position)
            wanted = (chosen.value, reason, note) if chosen else (None, None, None)
            if current is not None and (current.verdict, current.reason, current.note) == wanted:
                return _claim_verdict(current, who.name)
            if current is None and chosen is None:
                return None  # nothing to clear
            row = evidence_repo.add_verdict(
                session,
                record_id=key,
                claim_position=claim.position,
                reviewer_id=who.id,
                verdict=wanted[0],
                reason=wanted[1],
                note=wanted[2],
            )
            return _claim_verdict(row, who.name)

    def history(self, record_id: str, claim_position: int, reviewer: str) -> list[ClaimVerdict]:
        """The reviewer's verdicts on the claim, oldest first; clearings are left out (the
        claim's current state, cleared or not, is in ``claim_states``)."""
        key = record_key(record_id)
        with self.database.reading() as session:
            claim = require_claim(require_record(session, record_id), record_id, claim_position)
            who = find_reviewer(session, reviewer)
            rows = evidence_repo.verdict_rows(session, key, claim.position, who.id) if who else []
        return [verdict for row in rows if (verdict := _claim_verdict(row, reviewer))]


def _claim_verdict(row: ClaimVerdictRow, reviewer: str) -> ClaimVerdict | None:
    if row.verdict is None:
        return None
    return ClaimVerdict(
        record_id=row.record_id,
        claim_position=row.claim_position,
        reviewer=reviewer,
        verdict=Verdict(row.verdict),
        created_at=as_utc(row.created_at),
        reason=row.reason,
        note=row.note,
    )


def _verdict(verdict: Verdict | str | None) -> Verdict | None:
    if verdict is None:
        return None
    try:
        return Verdict(verdict)
    except ValueError:
        choices = ", ".join(v.value for v in Verdict)
        raise EvidenceRefused(f"unknown verdict '{verdict}' (use one of: {choices})") from None
