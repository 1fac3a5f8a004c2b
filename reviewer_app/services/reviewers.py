"""Reviewer profiles (name, optional ORCID, colour)."""

from __future__ import annotations

import re

from reviewer_app.domain.reviewers import Reviewer
from reviewer_app.errors import ReviewerAppError
from reviewer_app.storage.database import Database
from reviewer_app.storage.reviewers_repository import ensure_reviewer_profile, list_reviewers

__all__ = ["InvalidReviewer", "Reviewer", "ReviewerService"]

_ORCID = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")


class InvalidReviewer(ReviewerAppError):
    pass


class ReviewerService:
    def __init__(self, database: Database) -> None:
        self.database = database

    def list(self) -> list[Reviewer]:
        with self.database.reading() as session:
            return list_reviewers(session)

    def ensure(self, name: str, *, orcid: str | None = None, colour: str | None = None) -> Reviewer:
        if not name.strip():
            raise InvalidReviewer("a reviewer needs a name")
        if orcid is not None and not _ORCID.match(orcid):
            raise InvalidReviewer(f"'{orcid}' is not an ORCID iD (expected 0000-0002-1825-0097)")
        with self.database.transaction() as session:
            return ensure_reviewer_profile(session, name, orcid=orcid, colour=colour)
