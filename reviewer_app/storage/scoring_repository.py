"""Score sheets, verdict snapshots, adjudications, tier policies and tier results.

Everything goes in and comes out as domain values (``ScoreSheet``, ``Adjudication``,
``TierPolicy``); the stored form (level names, adjudicated values as text) stays here.
Workspace-wide reads select the columns they need rather than building an ORM object a row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from reviewer_app.domain.consensus import Adjudication
from reviewer_app.domain.records import QUALITY_DIMENSIONS, Level
from reviewer_app.domain.review_sheets import RatingsTable
from reviewer_app.domain.reviewers import Reviewer
from reviewer_app.domain.score_sheets import ScoreSheet
from reviewer_app.domain.tier_policy import TierPolicy
from reviewer_app.storage.driver_rows import driver_rows
from reviewer_app.storage.models import RecordRow, RevisionRow
from reviewer_app.storage.rating_reads import read_ratings
from reviewer_app.storage.review_models import (
    AdjudicationRow,
    ClaimVerdictRow,
    EvidenceSpanRow,
    ReviewerRow,
    ScoreSheetRow,
    TierPolicyRow,
    TierResultRow,
    WorkspaceSettingRow,
)

_SHEET_COLUMNS = (
    ScoreSheetRow.record_id,
    ReviewerRow.name,
    *(getattr(ScoreSheetRow, name) for name in QUALITY_DIMENSIONS),
    ScoreSheetRow.review_score,
    ScoreSheetRow.recommendation,
    ScoreSheetRow.comments,
    ScoreSheetRow.submitted,
    ScoreSheetRow.first_impression,
    ScoreSheetRow.created_at,
)


_LEVEL_OF = {level.value: level for level in Level}
"""A dictionary look-up: calling the enum class per value was a tenth of reading all sheets."""


def _level(value: str | None) -> Level | None:
    return _LEVEL_OF[value] if value else None


def _sheet(row: Row[Any] | tuple[Any, ...]) -> ScoreSheet:
    record_id, reviewer, *levels = row[: 2 + len(QUALITY_DIMENSIONS)]
    score, recommendation, comments, submitted, first, created = row[2 + len(QUALITY_DIMENSIONS) :]
    return ScoreSheet(
        record_id=record_id,
        reviewer=reviewer,
        dimensions={
            name: _level(value)
            for name, value in zip(QUALITY_DIMENSIONS, levels, strict=True)
        },
        review_score=score,
        recommendation=recommendation,
        comments=comments,
        submitted=bool(submitted),
        first_impression=bool(first),
        created_at=created,
    )


def newest_sheets(session: Session, record_id: str | None = None) -> list[ScoreSheet]:
    """The newest version of each reviewer's sheet (per record), by record and reviewer name."""
    newest = select(
        ScoreSheetRow.record_id, ScoreSheetRow.reviewer_id, func.max(ScoreSheetRow.id).label("id")
    ).group_by(ScoreSheetRow.record_id, ScoreSheetRow.reviewer_id)
    if record_id is not None:
        newest = newest.where(ScoreSheetRow.record_id == record_id)
    subquery = newest.subquery()
    query = (
        select(*_SHEET_COLUMNS)
        .join(subquery, ScoreSheetRow.id == subquery.c.id)
        .join(ReviewerRow, ReviewerRow.id == ScoreSheetRow.reviewer_id)
        .order_by(ScoreSheetRow.record_id, ReviewerRow.name)
    )
    return [_sheet(row) for row in session.execute(query)]


SheetRatings = tuple[str, str, tuple[Level | None, ...], float | None, str | None]
"""Record id, reviewer name, the levels in ``QUALITY_DIMENSIONS`` order, score, recommendation."""


def submitted_ratings(session: Session, record_id: str | None = None) -> list[SheetRatings]:
    """The ratings of each reviewer's newest sheet where that sheet is submitted, by record and
    reviewer name: the agreement's input, without the rest of a sheet (comments, dates)."""
    newest = select(func.max(ScoreSheetRow.id).label("id")).group_by(
        ScoreSheetRow.record_id, ScoreSheetRow.reviewer_id
    )
    if record_id is not None:
        newest = newest.where(ScoreSheetRow.record_id == record_id)
    query = (
        select(
            ScoreSheetRow.record_id,
            ReviewerRow.name,
            *(getattr(ScoreSheetRow, name) for name in QUALITY_DIMENSIONS),
            ScoreSheetRow.review_score,
            ScoreSheetRow.recommendation,
        )
        .join(ReviewerRow, ReviewerRow.id == ScoreSheetRow.reviewer_id)
        .where(ScoreSheetRow.id.in_(newest.scalar_subquery()), ScoreSheetRow.submitted)
        .order_by(ScoreSheetRow.record_id, ReviewerRow.name)
    )
    return [
        (row[0], row[1], tuple(_level(value) for value in row[2:-2]), row[-2], row[-1])
        for row in driver_rows(session, query)
    ]


def workspace_ratings(session: Session, *, every_record: bool = False) -> RatingsTable:
    """Every submitted sheet's ratings and current verdicts, as columns (``rating_reads``),
    read on the session's connection and so inside its transaction."""
    cursor = session.connection().connection.cursor()
    try:
        return read_ratings(cursor, every_record=every_record)
    finally:
        cursor.close()


def work_on_record(session: Session, record_id: str, reviewer: Reviewer) -> str | None:
    """What the reviewer has done on the record ("a score sheet", "a verdict", "an evidence
    span"), or None: any of them makes a party to its review, as the team server counts it."""
    for row, what in (
        (ScoreSheetRow, "a score sheet"),
        (ClaimVerdictRow, "a verdict"),
        (EvidenceSpanRow, "an evidence span"),
    ):
        found = session.execute(
            select(row.id)
            .where(row.record_id == record_id, row.reviewer_id == reviewer.id)
            .limit(1)
        ).first()
        if found is not None:
            return what
    return None


def sheet_history(session: Session, record_id: str, reviewer: Reviewer) -> list[ScoreSheet]:
    """Every version of the reviewer's sheet for the record, oldest first."""
    query = (
        select(*_SHEET_COLUMNS)
        .join(ReviewerRow, ReviewerRow.id == ScoreSheetRow.reviewer_id)
        .where(ScoreSheetRow.record_id == record_id, ScoreSheetRow.reviewer_id == reviewer.id)
        .order_by(ScoreSheetRow.id)
    )
    return [_sheet(row) for row in session.execute(query)]


def add_sheet_version(session: Session, sheet: ScoreSheet, reviewer: Reviewer) -> ScoreSheet:
    """Store ``sheet`` as the reviewer's newest version (made here: origin local)."""
    values = {
        "record_id": sheet.record_id,
        "reviewer_id": reviewer.id,
        **{name: level.value if level else None for name, level in sheet.dimensions.items()},
        "review_score": sheet.review_score,
        "recommendation": sheet.recommendation,
        "comments": sheet.comments,
        "submitted": sheet.submitted,
        "first_impression": sheet.first_impression,
        "created_at": sheet.created_at,
        "origin": "local",
    }
    session.execute(insert(ScoreSheetRow.__table__), values)
    return sheet


def current_verdicts(
    session: Session, record_id: str | None = None
) -> dict[tuple[str, str], dict[int, str | None]]:
    """Newest verdict per (record, reviewer name) and claim position."""
    newest = select(func.max(ClaimVerdictRow.id).label("id")).group_by(
        ClaimVerdictRow.record_id, ClaimVerdictRow.claim_position, ClaimVerdictRow.reviewer_id
    )
    if record_id is not None:
        newest = newest.where(ClaimVerdictRow.record_id == record_id)
    query = (
        select(
            ClaimVerdictRow.record_id,
            ReviewerRow.name,
            ClaimVerdictRow.claim_position,
            ClaimVerdictRow.verdict,
        )
        .join(ReviewerRow, ReviewerRow.id == ClaimVerdictRow.reviewer_id)
        .where(ClaimVerdictRow.id.in_(newest.scalar_subquery()))
    )
    verdicts: dict[tuple[str, str], dict[int, str | None]] = defaultdict(dict)
    for record, reviewer, position, verdict in driver_rows(session, query):
        verdicts[(record, reviewer)][position] = verdict
    return verdicts


def adjudications(session: Session, record_id: str | None = None) -> list[tuple[str, Adjudication]]:
    """(record id, adjudication) in the order they were made."""
    query = select(
        AdjudicationRow.record_id,
        AdjudicationRow.field,
        AdjudicationRow.claim_position,
        AdjudicationRow.value,
        AdjudicationRow.rationale,
        ReviewerRow.name,
    ).join(ReviewerRow, ReviewerRow.id == AdjudicationRow.adjudicator_id)
    if record_id is not None:
        query = query.where(AdjudicationRow.record_id == record_id)
    return [
        (record, Adjudication(field, position, _decode_value(field, value), rationale, name))
        for record, field, position, value, rationale, name in session.execute(
            query.order_by(AdjudicationRow.id)
        )
    ]


def add_adjudication(
    session: Session, record_id: str, decision: Adjudication, adjudicator: Reviewer
) -> None:
    """Store ``decision`` (made here: origin local); adjudications are additive."""
    session.add(
        AdjudicationRow(
            record_id=record_id,
            field=decision.field,
            claim_position=decision.claim_position,
            value=_encode_value(decision.value),
            rationale=decision.rationale,
            adjudicator_id=adjudicator.id,
            created_at=datetime.now().astimezone(),
            origin="local",
        )
    )


def _encode_value(value: Level | float | str) -> str:
    return value.value if isinstance(value, Level) else str(value)


def _decode_value(field: str, value: str) -> float | str:
    if field == "review_score":
        return float(value)
    return value


def latest_policy(session: Session) -> TierPolicy | None:
    row = session.scalar(select(TierPolicyRow).order_by(TierPolicyRow.version.desc()).limit(1))
    if row is None:
        return None
    return TierPolicy.from_json(row.definition, source=f"stored tier policy v{row.version}")


def store_policy(session: Session, policy: TierPolicy) -> None:
    session.add(
        TierPolicyRow(
            version=policy.version,
            definition=policy.to_json(),
            created_at=datetime.now().astimezone(),
        )
    )
    session.flush()


_INSERT_TIER = insert(TierResultRow.__table__)
_UPDATE_TIER = (
    update(TierResultRow.__table__)
    .where(
        TierResultRow.__table__.c.record_id == bindparam("record"),
        TierResultRow.__table__.c.policy_version == bindparam("version"),
    )
    .values(tier=bindparam("tier"), basis=bindparam("basis"), computed_at=bindparam("now"))
)


def store_tier_results(
    session: Session, policy_version: int, results: Mapping[str, tuple[str, str]]
) -> None:
    """Replace the results of this policy version; results of older versions stay as they were.

    One executemany for the new results and one for the changed ones: a workspace-wide
    recompute writes thousands of rows."""
    existing = {
        record: (tier, basis)
        for record, tier, basis in session.execute(
            select(TierResultRow.record_id, TierResultRow.tier, TierResultRow.basis).where(
                TierResultRow.policy_version == policy_version
            )
        )
    }
    now = datetime.now(UTC)
    added = [
        {
            "record_id": record_id,
            "policy_version": policy_version,
            "tier": tier,
            "basis": basis,
            "computed_at": now,
        }
        for record_id, (tier, basis) in results.items()
        if record_id not in existing
    ]
    changed = [
        {"record": record_id, "version": policy_version, "tier": tier, "basis": basis, "now": now}
        for record_id, (tier, basis) in results.items()
        if record_id in existing and existing[record_id] != (tier, basis)
    ]
    if added:
        session.execute(_INSERT_TIER, added)
    if changed:
        session.execute(_UPDATE_TIER, changed)


def tier_results(session: Session, record_id: str) -> list[tuple[int, str, str]]:
    """(policy version, tier, basis) of every stored result of the record, oldest policy first."""
    query = (
        select(TierResultRow.policy_version, TierResultRow.tier, TierResultRow.basis)
        .where(TierResultRow.record_id == record_id)
        .order_by(TierResultRow.policy_version)
    )
    return [(version, tier, basis) for version, tier, basis in session.execute(query)]


def get_setting(session: Session, key: str, default: Any) -> Any:
    row = session.get(WorkspaceSettingRow, key)
    return default if row is None else row.value


def set_setting(session: Session, key: str, value: Any) -> None:
    row = session.get(WorkspaceSettingRow, key)
    if row is None:
        session.add(WorkspaceSettingRow(key=key, value=value))
    else:
        row.value = value


def automated_tier(session: Session, record_id: str) -> str | None:
    """The imported tier of the record's newest revision (one row, not a workspace scan)."""
    return session.scalar(
        select(RevisionRow.automated_tier)
        .where(RevisionRow.record_id == record_id)
        .order_by(RevisionRow.revision.desc())
        .limit(1)
    )


def record_exists(session: Session, record_id: str) -> bool:
    return session.get(RecordRow, record_id) is not None
