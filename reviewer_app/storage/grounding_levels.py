"""Stored computed grounding levels, one row per record and viewer (issue 13), so that the
records list can sort and filter on the level in SQL over every record, not only loaded rows.

Why per viewer: a computed level depends on the consensus of reviewers' verdicts, and in a
blind team workspace a reviewer may not see colleagues' verdicts before submitting. Each
database role therefore stores the level it computed from what it may see, and reads back only
its own rows (row level security: ``viewer = current_user``); a shared row would tell a blind
reviewer how colleagues judged. On SQLite (one local user) the viewer is the empty string.

A row names the rule set version and the record revision it was computed on: rows of an older
rule set are stale and the list shows them as not known yet ("…") until they are computed again
(``records_to_refresh`` says which records a pass over the workspace must look at).
``fingerprint`` is the SHA-256 of the grounding report the row summarises; a recomputation writes
only rows whose fingerprint changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, Session, aliased, mapped_column

from reviewer_app.domain.level_summary import GroundingBadge, level_sort_key
from reviewer_app.storage.grounding_models import GroundingRulesRow
from reviewer_app.storage.models import Base, RevisionRow
from reviewer_app.storage.upsert import upsert_insert


class GroundingLevelRow(Base):
    __tablename__ = "grounding_levels"

    record_id: Mapped[str] = mapped_column(
        ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
    )
    viewer: Mapped[str] = mapped_column(String(200), primary_key=True)
    level: Mapped[str] = mapped_column(String(4))
    sort_key: Mapped[int] = mapped_column(Integer)
    """``level_sort_key``: what the records list orders the Level column by."""
    imported_level: Mapped[str | None] = mapped_column(String(16))
    over_states: Mapped[bool] = mapped_column(Boolean)
    difference: Mapped[str | None] = mapped_column(Text)
    rules_version: Mapped[int] = mapped_column(Integer)
    revision_id: Mapped[int] = mapped_column(Integer)
    """The record's newest revision (row id) when computed: a new revision makes it stale."""
    fingerprint: Mapped[str] = mapped_column(String(64))
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True)
class StoredLevel:
    badge: GroundingBadge
    rules_version: int
    revision_id: int
    fingerprint: str


def viewer_of(session: Session) -> str:
    """Whose levels these are: the database role on PostgreSQL, '' on SQLite."""
    if session.get_bind().dialect.name != "postgresql":
        return ""
    return str(session.scalar(select(func.current_user())))


def current_rules_version() -> object:
    """The newest rule set's version, as SQL (levels of older rule sets are stale)."""
    return select(func.max(GroundingRulesRow.version)).scalar_subquery()


def stored_levels(
    session: Session, record_ids: Iterable[str] | None = None
) -> dict[str, StoredLevel]:
    """This viewer's stored levels (of any rule set version), by record id."""
    query = select(GroundingLevelRow).where(GroundingLevelRow.viewer == viewer_of(session))
    if record_ids is not None:
        query = query.where(GroundingLevelRow.record_id.in_(list(record_ids)))
    return {
        row.record_id: StoredLevel(
            GroundingBadge(row.level, row.imported_level, row.over_states, row.difference),
            row.rules_version,
            row.revision_id,
            row.fingerprint,
        )
        for row in session.scalars(query)
    }


def store_levels(session: Session, levels: Mapping[str, StoredLevel]) -> None:
    """Insert or replace this viewer's rows for these records."""
    if not levels:
        return
    viewer = viewer_of(session)
    now = datetime.now(UTC)
    rows = [
        {
            "record_id": record_id,
            "viewer": viewer,
            "level": stored.badge.level,
            "sort_key": _sort_key(stored.badge),
            "imported_level": stored.badge.imported_level,
            "over_states": stored.badge.over_states,
            "difference": stored.badge.difference,
            "rules_version": stored.rules_version,
            "revision_id": stored.revision_id,
            "fingerprint": stored.fingerprint,
            "computed_at": now,
        }
        for record_id, stored in levels.items()
    ]
    # chunks keep each statement under SQLite's bound-parameter limit
    for first in range(0, len(rows), 500):
        statement = upsert_insert(session, GroundingLevelRow).values(rows[first : first + 500])
        replaced = {name: statement.excluded[name] for name in _REPLACED}
        session.execute(
            statement.on_conflict_do_update(index_elements=["record_id", "viewer"], set_=replaced)
        )


_REPLACED = ("level", "sort_key", "imported_level", "over_states", "difference",
             "rules_version", "revision_id", "fingerprint", "computed_at")  # fmt: skip


def records_to_refresh(session: Session) -> list[str]:
    """The records whose stored level may be out of date: none stored for this viewer under
    the current rule set and newest revision, or with work that can change it (attached files,
    whose content is re-checked; spans; verdicts; sheets; adjudications). A record with none of
    these has a level that only its revision and the rule set decide."""
    later = aliased(RevisionRow)
    newest = (
        select(RevisionRow.record_id, RevisionRow.id)
        .where(
            ~select(later.id)
            .where(later.record_id == RevisionRow.record_id, later.revision > RevisionRow.revision)
            .exists()
        )
        .subquery()
    )
    known = (
        select(GroundingLevelRow.record_id)
        .where(
            GroundingLevelRow.record_id == newest.c.record_id,
            GroundingLevelRow.viewer == viewer_of(session),
            GroundingLevelRow.rules_version == current_rules_version(),
            GroundingLevelRow.revision_id == newest.c.id,
        )
        .exists()
    )
    # imported here: the records list imports this module for its Level column, and the
    # review tables' partial index loads SQLAlchemy's PostgreSQL dialect (~40 ms of `list`)
    from reviewer_app.storage.review_models import (
        AdjudicationRow,
        ClaimVerdictRow,
        EvidenceSpanRow,
        ScoreSheetRow,
        SourceFileRow,
    )

    worked = [
        select(table.record_id).where(table.record_id == newest.c.record_id).exists()
        for table in (SourceFileRow, EvidenceSpanRow, ClaimVerdictRow, ScoreSheetRow,
                      AdjudicationRow)
    ]  # fmt: skip
    query = select(newest.c.record_id).where(or_(~known, *worked)).order_by(newest.c.record_id)
    return list(session.scalars(query))


def _sort_key(badge: GroundingBadge) -> int:
    return level_sort_key(badge.rank, badge.over_states)
