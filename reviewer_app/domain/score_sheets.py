"""A version of one reviewer's score sheet for one record (issue 5), as the app passes it on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from reviewer_app.domain.records import Level

RECOMMENDATIONS = ("accept", "minor-revision", "major-revision", "reject")


@dataclass(frozen=True)
class ScoreSheet:
    record_id: str
    reviewer: str
    dimensions: dict[str, Level | None]
    """Every quality dimension (``QUALITY_DIMENSIONS``), None where left blank."""
    review_score: float | None
    recommendation: str | None
    comments: str | None
    submitted: bool
    first_impression: bool
    """The first submitted version, kept as the reviewer's impression before any discussion."""
    created_at: datetime
