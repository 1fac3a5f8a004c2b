"""Corrections to records: each one an additive entry (what, why, evidence) by a reviewer.

A record's correction record combines what the synthesis itself declared (its imported status
and count) with the entries reviewers filed here or brought in with bundles: the count adds
them up, and any entry makes the status CORRECTED. Entries are never edited or deleted.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from reviewer_app.domain.corrections import CorrectionEntry
from reviewer_app.errors import ReviewerAppError
from reviewer_app.storage.bundle_repository import correction_record_json
from reviewer_app.storage.corrections_repository import add_correction, corrections_of
from reviewer_app.storage.database import Database
from reviewer_app.storage.records_repository import record_key, require_revision
from reviewer_app.storage.reviewers_repository import ensure_reviewer_profile

__all__ = ["CorrectionEntry", "CorrectionHistory", "CorrectionService", "InvalidCorrection"]


class InvalidCorrection(ReviewerAppError):
    """A correction without the reviewer, what or why it needs."""


@dataclass(frozen=True)
class CorrectionHistory:
    record: str
    status: str | None
    count: int
    history: list[CorrectionEntry]

    def to_json(self) -> dict[str, Any]:
        """``{"record", "status", "count", "history": [{id, reviewer, what, why, evidence,
        created}]}``, as ``reviewer-app corrections ID --json`` prints it."""
        return {
            "record": self.record,
            "status": self.status,
            "count": self.count,
            "history": [entry.__dict__ for entry in self.history],
        }


class CorrectionService:
    def __init__(self, database: Database) -> None:
        self.database = database

    def file(
        self,
        record_id: str,
        *,
        reviewer: str,
        what: str,
        why: str,
        evidence: str | None = None,
    ) -> CorrectionEntry:
        """Add a correction entry to the record; ``NotFound`` for an unknown record."""
        fields = {"reviewer": reviewer, "what": what, "why": why}
        for name, value in fields.items():
            if not value or not value.strip():
                raise InvalidCorrection(f"a correction needs a non-empty {name}")
        evidence = evidence.strip() if evidence and evidence.strip() else None
        local_id = record_key(record_id)
        with self.database.transaction() as session:
            require_revision(session, local_id)
            who = ensure_reviewer_profile(session, reviewer)
            return add_correction(
                session,
                record_id=local_id,
                reviewer=who,
                what=what.strip(),
                why=why.strip(),
                evidence=evidence,
            )

    def history(self, record_id: str) -> CorrectionHistory:
        """The record's correction record: status, count and every entry, oldest first."""
        local_id = record_key(record_id)
        with self.database.reading() as session:
            info = require_revision(session, local_id)
            entries = [asdict(entry) for entry in corrections_of(session, local_id)]
        summary = correction_record_json(info.record.correction_record, entries)
        return CorrectionHistory(
            record=local_id,
            status=summary["status"],
            count=summary["count"],
            history=[CorrectionEntry(**entry) for entry in summary["history"]],
        )
