"""Correction entries: additive, never edited or deleted."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewer_app.domain.corrections import CorrectionEntry
from reviewer_app.domain.reviewers import Reviewer
from reviewer_app.storage.bundle_repository import correction_json
from reviewer_app.storage.review_models import CorrectionRow, ReviewerRow


def add_correction(
    session: Session,
    *,
    record_id: str,
    reviewer: Reviewer,
    what: str,
    why: str,
    evidence: str | None,
) -> CorrectionEntry:
    """A new entry on the record, filed now by ``reviewer``."""
    row = CorrectionRow(
        id=str(uuid.uuid4()),
        record_id=record_id,
        reviewer_id=reviewer.id,
        what=what,
        why=why,
        evidence=evidence,
        created_at=datetime.now(UTC),
    )
    session.add(row)
    session.flush()
    return CorrectionEntry(**correction_json(row, {row.reviewer_id: reviewer.name}))


def corrections_of(session: Session, record_id: str) -> list[CorrectionEntry]:
    """The record's entries, in no particular order (the correction record sorts them)."""
    rows = session.execute(
        select(CorrectionRow, ReviewerRow.name)
        .join(ReviewerRow, ReviewerRow.id == CorrectionRow.reviewer_id)
        .where(CorrectionRow.record_id == record_id)
    ).all()
    return [CorrectionEntry(**correction_json(row, {row.reviewer_id: name})) for row, name in rows]
