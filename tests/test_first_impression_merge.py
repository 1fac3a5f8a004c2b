"""A bundle cannot bring a second first impression for a reviewer who already has one here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from reviewer_app.services.workspace import Workspace
from reviewer_app.storage.first_impressions import keep_one_first_impression
from reviewer_app.storage.review_models import ScoreSheetRow
from reviewer_app.storage.reviewers_repository import ensure_reviewer

SAMPLE = "report-sparse-multimodal-alignment.txt"
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _sheet(reviewer_id: int, minutes: int, first: bool) -> dict[str, object]:
    return {
        "reviewer_id": reviewer_id,
        "submitted": True,
        "first_impression": first,
        "created_at": T0 + timedelta(minutes=minutes),
    }


def test_only_reviewers_without_one_keep_an_incoming_first_impression(
    db_url: str, samples: Path
) -> None:
    with Workspace.open(db_url) as workspace:
        record = workspace.import_file(samples / SAMPLE).local_id
        with workspace.database.transaction() as session:
            ana = ensure_reviewer(session, "ana").id
            bob = ensure_reviewer(session, "bob").id
            session.add(ScoreSheetRow(record_id=record, review_score=5.0, **_sheet(ana, 0, True)))
        with workspace.database.transaction() as session:
            kept = keep_one_first_impression(
                session,
                record,
                [_sheet(ana, 5, True), _sheet(bob, 6, True), _sheet(bob, 7, True)],
            )
    assert [(row["reviewer_id"], row["first_impression"]) for row in kept] == [
        (ana, False),  # ana's first impression is the one already here
        (bob, True),  # bob's first incoming one
        (bob, False),
    ]
