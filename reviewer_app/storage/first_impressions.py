"""The first-impression rule: one first impression per reviewer and record (migration 0005)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewer_app.storage.review_models import ScoreSheetRow


def keep_one_first_impression(
    session: Session, record_id: str, rows: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """``rows`` to add, with ``first_impression`` kept only where the reviewer has none yet.

    A reviewer who submitted on two machines brings two first impressions; the one already
    here (or the first incoming) stays it, the other is kept as an ordinary submitted version.
    """
    taken = set(
        session.scalars(
            select(ScoreSheetRow.reviewer_id).where(
                ScoreSheetRow.record_id == record_id, ScoreSheetRow.first_impression.is_(True)
            )
        )
    )
    kept: list[dict[str, Any]] = []
    for row in rows:
        if row.get("first_impression"):
            if row["reviewer_id"] in taken:
                row = {**row, "first_impression": False}
            else:
                taken.add(row["reviewer_id"])
        kept.append(row)
    return kept
