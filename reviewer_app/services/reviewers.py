"""Reviewer profiles (name, optional ORCID, colour)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reviewer_app.errors import ReviewerAppError
from reviewer_app.storage.database import Database
from reviewer_app.storage.review_models import ReviewerRow
from reviewer_app.storage.reviewers_repository import all_reviewers, ensure_reviewer

_ORCID = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")


@dataclass(frozen=True)
class Reviewer:
    id: int
    name: str
    orcid: str | None
    colour: str | None

    @classmethod
    def from_row(cls, row: ReviewerRow) -> Reviewer:
        return cls(id=row.id, name=row.name, orcid=row.orcid, colour=row.colour)


class InvalidReviewer(ReviewerAppError):
    pass


class ReviewerService:
    def __init__(self, database: Database) -> None:
        self.database = database

    def list(self) -> list[Reviewer]:
        with self.database.reading() as session:
            return [Reviewer.from_row(row) for row in all_reviewers(session)]

    def ensure(self, name: str, *, orcid: str | None = None, colour: str | None = None) -> Reviewer:
        if not name.strip():
            raise InvalidReviewer("a reviewer needs a name")
        if orcid is not None and not _ORCID.match(orcid):
            raise InvalidReviewer(f"'{orcid}' is not an ORCID iD (expected 0000-0002-1825-0097)")
        with self.database.transaction() as session:
            return Reviewer.from_row(ensure_reviewer(session, name, orcid=orcid, colour=colour))
