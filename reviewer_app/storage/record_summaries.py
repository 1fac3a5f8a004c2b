"""Windowed, filtered and sorted reads of the records list (the newest revision of each).

The window lists a workspace of any size by asking for one window of rows at a time; the
filter and the order are SQL, so nothing proportional to the workspace is built in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, func, literal, select
from sqlalchemy.orm import Session, aliased

from reviewer_app.storage.grounding_levels import (
    GroundingLevelRow,
    current_rules_version,
    viewer_of,
)
from reviewer_app.storage.list_query import ListQuery
from reviewer_app.storage.models import RecordRow, RevisionRow

SORT_KEYS = ("title", "kind", "date", "score", "level")


@dataclass(frozen=True)
class SummaryRow:
    record_id: str
    kind: str
    title: str
    published_on: Any
    review_score: float | None
    automated_tier: str | None
    claims_extracted: int | None
    revision_count: int
    level: str | None = None
    """The stored computed grounding level of the current rule set; None: not known yet."""
    imported_level: str | None = None
    over_states: bool = False
    difference: str | None = None


def _filtered(session: Session, columns: list[Any], view: ListQuery) -> Select[Any]:
    """The newest revision of each record: no later revision of it exists (answered from the
    (record_id, revision) index row by row, rather than grouping the whole table per window),
    beside this viewer's stored grounding level of the current rule set (if any)."""
    later = aliased(RevisionRow)
    newer_exists = (
        select(later.id)
        .where(later.record_id == RevisionRow.record_id, later.revision > RevisionRow.revision)
        .exists()
    )
    level_known = and_(
        GroundingLevelRow.record_id == RevisionRow.record_id,
        GroundingLevelRow.viewer == viewer_of(session),
        GroundingLevelRow.rules_version == current_rules_version(),
    )
    query = (
        select(*columns)
        .join(RecordRow, RecordRow.id == RevisionRow.record_id)
        .outerjoin(GroundingLevelRow, level_known)
        .where(~newer_exists)
    )
    if view.over_states_only:
        query = query.where(GroundingLevelRow.over_states.is_(True))
    text = view.contains.strip().casefold()
    if text:
        haystack = func.lower(
            RevisionRow.record_id + literal(" ") + RevisionRow.title + literal(" ")
            + RecordRow.kind + literal(" ") + func.coalesce(RevisionRow.automated_tier, "")
        )  # fmt: skip
        query = query.where(haystack.contains(text, autoescape=True))
    return query


def _ordered(query: Select[Any], sort: str, descending: bool) -> Select[Any]:
    column = {
        "title": func.lower(RevisionRow.title),
        "kind": RecordRow.kind,
        "date": RevisionRow.published_on,
        "score": RevisionRow.review_score,
        "level": GroundingLevelRow.sort_key,
    }[sort]
    missing = column.is_(None)
    # Missing values sort first ascending and last descending, as in the list before.
    if descending:
        return query.order_by(missing.asc(), column.desc(), RevisionRow.record_id.desc())
    return query.order_by(missing.desc(), column.asc(), RevisionRow.record_id.asc())


def count_summaries(session: Session, view: ListQuery) -> int:
    query = _filtered(session, [RevisionRow.record_id], view)
    return int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)


def summaries_window(
    session: Session, view: ListQuery, *, offset: int, limit: int
) -> list[SummaryRow]:
    # the newest revision's number is the record's count of revisions (numbered from 1)
    columns = [RevisionRow.record_id, RecordRow.kind, RevisionRow.title,
               RevisionRow.published_on, RevisionRow.review_score, RevisionRow.automated_tier,
               RevisionRow.claims_extracted, RevisionRow.revision, GroundingLevelRow.level,
               GroundingLevelRow.imported_level,
               func.coalesce(GroundingLevelRow.over_states, False), GroundingLevelRow.difference,
               ]  # fmt: skip
    query = _filtered(session, columns, view)
    query = _ordered(query, view.sort, view.descending).offset(offset).limit(limit)
    return [SummaryRow(*row) for row in session.execute(query).all()]


def summary_position(session: Session, record_id: str, view: ListQuery) -> int | None:
    """Where ``record_id`` stands in that order, or None if the filter hides it."""
    query = _filtered(session, [RevisionRow.record_id], view)
    ids = session.scalars(_ordered(query, view.sort, view.descending)).all()
    try:
        return ids.index(record_id)
    except ValueError:
        return None
