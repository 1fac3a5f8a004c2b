"""Score sheets, verdict snapshots, adjudications, tier policies and tier results."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reviewer_app.storage.models import RevisionRow
from reviewer_app.storage.review_models import (
    AdjudicationRow,
    ClaimVerdictRow,
    ReviewerRow,
    ScoreSheetRow,
    TierPolicyRow,
    TierResultRow,
    WorkspaceSettingRow,
)


def newest_sheets(
    session: Session, record_id: str | None = None
) -> list[tuple[ScoreSheetRow, str]]:
    """The newest version of each reviewer's sheet (per record), with the reviewer's name."""
    newest = select(
        ScoreSheetRow.record_id, ScoreSheetRow.reviewer_id, func.max(ScoreSheetRow.id).label("id")
    ).group_by(ScoreSheetRow.record_id, ScoreSheetRow.reviewer_id)
    if record_id is not None:
        newest = newest.where(ScoreSheetRow.record_id == record_id)
    subquery = newest.subquery()
    query = (
        select(ScoreSheetRow, ReviewerRow.name)
        .join(subquery, ScoreSheetRow.id == subquery.c.id)
        .join(ReviewerRow, ReviewerRow.id == ScoreSheetRow.reviewer_id)
        .order_by(ScoreSheetRow.record_id, ReviewerRow.name)
    )
    return [(row, name) for row, name in session.execute(query).all()]


def sheet_history(session: Session, record_id: str, reviewer_id: int) -> list[ScoreSheetRow]:
    return list(
        session.scalars(
            select(ScoreSheetRow)
            .where(ScoreSheetRow.record_id == record_id, ScoreSheetRow.reviewer_id == reviewer_id)
            .order_by(ScoreSheetRow.id)
        )
    )


def add_sheet_version(session: Session, **values: Any) -> ScoreSheetRow:
    row = ScoreSheetRow(created_at=datetime.now(UTC), origin="local", **values)
    session.add(row)
    session.flush()
    return row


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
    for record, reviewer, position, verdict in session.execute(query).all():
        verdicts[(record, reviewer)][position] = verdict
    return verdicts


def adjudications(
    session: Session, record_id: str | None = None
) -> list[tuple[AdjudicationRow, str]]:
    query = select(AdjudicationRow, ReviewerRow.name).join(
        ReviewerRow, ReviewerRow.id == AdjudicationRow.adjudicator_id
    )
    if record_id is not None:
        query = query.where(AdjudicationRow.record_id == record_id)
    return [(row, name) for row, name in session.execute(query.order_by(AdjudicationRow.id)).all()]


def latest_policy(session: Session) -> TierPolicyRow | None:
    return session.scalar(select(TierPolicyRow).order_by(TierPolicyRow.version.desc()).limit(1))


def store_tier_results(
    session: Session, policy_version: int, results: dict[str, tuple[str, str]]
) -> None:
    """Replace the results of this policy version; results of older versions stay as they were."""
    existing = {
        row.record_id: row
        for row in session.scalars(
            select(TierResultRow).where(TierResultRow.policy_version == policy_version)
        )
    }
    now = datetime.now(UTC)
    for record_id, (tier, basis) in results.items():
        row = existing.get(record_id)
        if row is None:
            session.add(
                TierResultRow(
                    record_id=record_id,
                    policy_version=policy_version,
                    tier=tier,
                    basis=basis,
                    computed_at=now,
                )
            )
        elif (row.tier, row.basis) != (tier, basis):
            row.tier, row.basis, row.computed_at = tier, basis, now


def tier_results(session: Session, record_id: str) -> list[TierResultRow]:
    return list(
        session.scalars(
            select(TierResultRow)
            .where(TierResultRow.record_id == record_id)
            .order_by(TierResultRow.policy_version)
        )
    )


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
