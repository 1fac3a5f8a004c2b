"""Reviewer profiles: every judgement row points at one."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reviewer_app.domain.reviewers import Reviewer
from reviewer_app.storage.review_models import ReviewerRow
from reviewer_app.storage.team_identity import require_identity
from reviewer_app.storage.upsert import insert_unless_present

# Distinct, colour-blind-friendly defaults (Okabe-Ito), handed out in order of creation.
DEFAULT_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")


def find_reviewer(session: Session, name: str) -> ReviewerRow | None:
    return session.scalar(select(ReviewerRow).where(ReviewerRow.name == name.strip()))


def ensure_reviewer(
    session: Session, name: str, *, orcid: str | None = None, colour: str | None = None
) -> ReviewerRow:
    """The reviewer called ``name``, created on first use. In a team workspace ``name`` must be
    the connected database role (``ReviewerIsNotYou`` otherwise)."""
    cleaned = name.strip()
    if not cleaned:
        raise ValueError("a reviewer needs a name")
    require_identity(session, cleaned)
    row = find_reviewer(session, cleaned)
    if row is not None:
        return row
    count = session.scalar(select(func.count()).select_from(ReviewerRow)) or 0
    # another process may be creating the same reviewer right now: let the unique name decide
    insert_unless_present(
        session,
        ReviewerRow.__table__,
        {
            "name": cleaned,
            "orcid": orcid,
            "colour": colour or DEFAULT_COLOURS[count % len(DEFAULT_COLOURS)],
            "created_at": datetime.now(UTC),
        },
        key=["name"],
    )
    created = find_reviewer(session, cleaned)
    assert created is not None  # inserted now or by the process that won the race
    return created


def lock_reviewer(session: Session, reviewer_id: int) -> None:
    """Hold the reviewer's row until commit, so that one reviewer's writes take turns.

    PostgreSQL only: SQLite write transactions already hold the database's write lock.
    """
    session.execute(select(ReviewerRow.id).where(ReviewerRow.id == reviewer_id).with_for_update())


def all_reviewers(session: Session) -> list[ReviewerRow]:
    return list(session.scalars(select(ReviewerRow).order_by(ReviewerRow.name)))


# -- the same as domain values, for services (issue 11: no rows outside storage) -------------
def reviewer_of(row: ReviewerRow) -> Reviewer:
    return Reviewer(id=row.id, name=row.name, orcid=row.orcid, colour=row.colour)


def reviewer_named(session: Session, name: str) -> Reviewer | None:
    """The reviewer called ``name`` (surrounding blanks ignored), or None."""
    row = find_reviewer(session, name)
    return None if row is None else reviewer_of(row)


def ensure_reviewer_profile(
    session: Session, name: str, *, orcid: str | None = None, colour: str | None = None
) -> Reviewer:
    """``ensure_reviewer`` as a domain value."""
    return reviewer_of(ensure_reviewer(session, name, orcid=orcid, colour=colour))


def list_reviewers(session: Session) -> list[Reviewer]:
    """Every reviewer, by name."""
    return [reviewer_of(row) for row in all_reviewers(session)]
