"""Each reviewer's score sheet of a record: new versions, the newest, the history."""

from __future__ import annotations

from datetime import UTC, datetime

from reviewer_app.domain.records import QUALITY_DIMENSIONS, Level
from reviewer_app.domain.score_sheets import RECOMMENDATIONS, ScoreSheet
from reviewer_app.services.scoring_rules import InvalidSheet, RoleRefused, require_record
from reviewer_app.storage import scoring_repository as repo
from reviewer_app.storage.database import Database, UnitOfWork
from reviewer_app.storage.retry import retried
from reviewer_app.storage.reviewers_repository import (
    ensure_reviewer_profile,
    lock_reviewer,
    reviewer_named,
)


class SheetService:
    def __init__(self, database: Database) -> None:
        self.database = database

    @retried  # concurrent team writers: a deadlock or serialization failure is rerun
    def save(
        self,
        record_id: str,
        reviewer: str,
        *,
        dimensions: dict[str, Level | str | None] | None = None,
        review_score: float | None = None,
        recommendation: str | None = None,
        comments: str | None = None,
        submit: bool = False,
    ) -> ScoreSheet:
        """Save a new version of the reviewer's sheet; fields not given keep their last value."""
        checked = _checked_dimensions(dimensions or {})
        _check_score(review_score)
        if recommendation is not None and recommendation not in RECOMMENDATIONS:
            raise InvalidSheet(
                f"recommendation '{recommendation}' is not one of {', '.join(RECOMMENDATIONS)}"
            )
        with self.database.transaction() as session:
            require_record(session, record_id)
            if _has_adjudicated(session, record_id, reviewer):
                raise RoleRefused(f"{reviewer} adjudicated {record_id} and so cannot also score it")
            person = ensure_reviewer_profile(session, reviewer)
            # the reviewer's other saves wait here, so each builds on the last and only the
            # first submitted one is the first impression (an index enforces that too)
            lock_reviewer(session, person.id)
            history = repo.sheet_history(session, record_id, person)
            previous = history[-1] if history else None
            submitted = submit or bool(previous and previous.submitted)
            sheet = ScoreSheet(
                record_id=record_id,
                reviewer=person.name,
                dimensions={
                    name: checked[name]
                    if name in checked
                    else (previous.dimensions[name] if previous else None)
                    for name in QUALITY_DIMENSIONS
                },
                review_score=review_score
                if review_score is not None
                else (previous.review_score if previous else None),
                recommendation=recommendation or (previous.recommendation if previous else None),
                comments=comments
                if comments is not None
                else (previous.comments if previous else None),
                submitted=submitted,
                # The first submitted version is kept as the reviewer's first impression.
                first_impression=submitted and not any(h.submitted for h in history),
                created_at=datetime.now(UTC),
            )
            repo.add_sheet_version(session, sheet, person)
            if submitted and sheet.review_score is None:
                raise InvalidSheet(f"{record_id}: a submitted sheet needs a review score")
            return sheet

    def own(self, record_id: str, reviewer: str) -> ScoreSheet | None:
        """The reviewer's newest version, draft or submitted."""
        versions = self.versions(record_id, reviewer)
        return versions[-1] if versions else None

    def versions(self, record_id: str, reviewer: str) -> list[ScoreSheet]:
        """Every version of the reviewer's sheet, oldest first."""
        with self.database.reading() as session:
            person = reviewer_named(session, reviewer)
            if person is None:
                return []
            return repo.sheet_history(session, record_id, person)


def _has_adjudicated(session: UnitOfWork, record_id: str, reviewer: str) -> bool:
    return any(a.adjudicator == reviewer for _, a in repo.adjudications(session, record_id))


def _checked_dimensions(dimensions: dict[str, Level | str | None]) -> dict[str, Level | None]:
    checked: dict[str, Level | None] = {}
    for name, value in dimensions.items():
        if name not in QUALITY_DIMENSIONS:
            raise InvalidSheet(
                f"'{name}' is not a quality dimension ({', '.join(QUALITY_DIMENSIONS)})"
            )
        if value is None:
            checked[name] = None
            continue
        try:
            checked[name] = Level(str(value).upper())
        except ValueError:
            raise InvalidSheet(f"{name} must be LOW, MEDIUM or HIGH, not '{value}'") from None
    return checked


def _check_score(score: float | None) -> None:
    if score is None:
        return
    if not 0 <= score <= 10:
        raise InvalidSheet(f"review score {score} is outside 0-10")
    if round(score, 1) != score:
        raise InvalidSheet(f"review score {score} has more than one decimal")
