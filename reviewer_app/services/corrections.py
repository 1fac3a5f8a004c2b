"""Corrections to records: each one an additive entry (what, why, evidence) by a reviewer.

A record's correction record combines what the synthesis itself declared (its imported status
and count) with the entries reviewers filed here or brought in with bundles: the count adds
them up, and any entry makes the status CORRECTED. Entries are never edited or deleted.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from reviewer_app.errors import ReviewerAppError
from reviewer_app.storage.bundle_repository import correction_json, correction_record_json
from reviewer_app.storage.database import Database
from reviewer_app.storage.records_repository import record_key, require_revision
from reviewer_app.storage.review_models import CorrectionRow, ReviewerRow
from reviewer_app.storage.reviewers_repository import ensure_reviewer


class InvalidCorrection(ReviewerAppError):
    """A correction without the reviewer, what or why it needs."""


@dataclass(frozen=True)
class CorrectionEntry:
    id: str
    reviewer: str
    what: str
    why: str
    evidence: str | None
    created: str
    """UTC ISO 8601."""


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
            row = CorrectionRow(
                id=str(uuid.uuid4()),
                record_id=local_id,
                reviewer_id=ensure_reviewer(session, reviewer).id,
                what=what.strip(),
                why=why.strip(),
                evidence=evidence,
                created_at=datetime.now(UTC),
            )
            session.add(row)
            session.flush()
            return CorrectionEntry(**correction_json(row, {row.reviewer_id: reviewer.strip()}))

    def history(self, record_id: str) -> CorrectionHistory:
        """The record's correction record: status, count and every entry, oldest first."""
        local_id = record_key(record_id)
        with self.database.reading() as session:
            info = require_revision(session, local_id)
            rows = session.execute(
                select(CorrectionRow, ReviewerRow.name)
                .join(ReviewerRow, ReviewerRow.id == CorrectionRow.reviewer_id)
                .where(CorrectionRow.record_id == local_id)
            ).all()
            entries = [correction_json(row, {row.reviewer_id: name}) for row, name in rows]
        summary = correction_record_json(info.record.correction_record, entries)
        return CorrectionHistory(
            record=local_id,
            status=summary["status"],
            count=summary["count"],
            history=[CorrectionEntry(**entry) for entry in summary["history"]],
        )
