"""Reviewer profiles: every judgement row points at one."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewer_app.storage.review_models import ReviewerRow

# Distinct, colour-blind-friendly defaults (Okabe-Ito), handed out in order of creation.
DEFAULT_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")


def find_reviewer(session: Session, name: str) -> ReviewerRow | None:
    return session.scalar(select(ReviewerRow).where(ReviewerRow.name == name.strip()))


def ensure_reviewer(
    session: Session, name: str, *, orcid: str | None = None, colour: str | None = None
) -> ReviewerRow:
    """The reviewer called ``name``, created on first use."""
    cleaned = name.strip()
    if not cleaned:
        raise ValueError("a reviewer needs a name")
    row = find_reviewer(session, cleaned)
    if row is not None:
        return row
    count = len(session.scalars(select(ReviewerRow.id)).all())
    row = ReviewerRow(
        name=cleaned,
        orcid=orcid,
        colour=colour or DEFAULT_COLOURS[count % len(DEFAULT_COLOURS)],
        created_at=datetime.now(UTC),
    )
    session.add(row)
    session.flush()
    return row


def all_reviewers(session: Session) -> list[ReviewerRow]:
    return list(session.scalars(select(ReviewerRow).order_by(ReviewerRow.name)))
