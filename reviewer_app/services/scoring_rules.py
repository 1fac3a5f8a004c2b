"""What the scoring use cases share: their refusals and the checks every one of them makes."""

from __future__ import annotations

from reviewer_app.errors import NotFound, ReviewerAppError
from reviewer_app.storage import scoring_repository as repo
from reviewer_app.storage.database import UnitOfWork
from reviewer_app.storage.reviewers_repository import reviewer_named


class InvalidSheet(ReviewerAppError):
    pass


class RoleRefused(ReviewerAppError):
    """What the reviewer's role on the record does not allow (blind review, adjudication)."""


def party_work(session: UnitOfWork, record_id: str, reviewer: str) -> str | None:
    """What ``reviewer`` has done on the record ("a score sheet", "a verdict", ...), or None:
    any of it makes a party to its review, as the team server's row-level security counts."""
    person = reviewer_named(session, reviewer)
    return None if person is None else repo.work_on_record(session, record_id, person)


def refuse_a_party(session: UnitOfWork, record_id: str, reviewer: str, consequence: str) -> None:
    """``RoleRefused`` if ``reviewer`` is a party to the record's review: "ann has a verdict on
    R1" followed by ``consequence``, what that rules out."""
    work = party_work(session, record_id, reviewer)
    if work is not None:
        raise RoleRefused(f"{reviewer} has {work} on {record_id}{consequence}")


def require_record(session: UnitOfWork, record_id: str) -> None:
    if not repo.record_exists(session, record_id):
        raise NotFound(f"no record '{record_id}' in the workspace")
