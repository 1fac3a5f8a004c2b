"""Merging a bundle's gate artifacts and attestations into the workspace, additively."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewer_app.storage.grounding_models import GateArtifactRow, GateAttestationRow
from reviewer_app.storage.reviewers_repository import ensure_reviewer


def merge_gate_work(
    session: Session,
    record_id: str,
    artifacts: Iterable[Mapping[str, Any]],
    attestations: Iterable[Mapping[str, Any]],
    *,
    origin: str,
) -> dict[str, int]:
    """Add what the workspace does not have yet; returns rows added by kind."""
    added = {"artifacts": 0, "attestations": 0}
    have = set(
        session.scalars(
            select(GateArtifactRow.sha256).where(GateArtifactRow.record_id == record_id)
        )
    )
    for item in artifacts:
        if item["sha256"] in have:
            continue
        who = ensure_reviewer(session, item["attached_by"]) if item["attached_by"] else None
        session.add(
            GateArtifactRow(
                record_id=record_id,
                sha256=item["sha256"],
                kind=item["kind"],
                file_name=item["file_name"],
                size=item["size"],
                attached_by=who.id if who else None,
                attached_at=datetime.fromisoformat(item["attached_at"]),
                origin=origin,
            )
        )
        have.add(item["sha256"])
        added["artifacts"] += 1
    items = list(attestations)
    known = set(
        session.scalars(
            select(GateAttestationRow.id).where(
                GateAttestationRow.id.in_([item["id"] for item in items])
            )
        )
    )
    for item in items:
        if item["id"] in known:
            continue
        session.add(
            GateAttestationRow(
                id=item["id"],
                record_id=record_id,
                artifact_sha256=item["artifact"],
                reviewer_id=ensure_reviewer(session, item["reviewer"]).id,
                reproduced=item["reproduced"],
                results_sha256=item["results_sha256"],
                note=item["note"],
                created_at=datetime.fromisoformat(item["created_at"]),
                origin=origin,
            )
        )
        known.add(item["id"])
        added["attestations"] += 1
    session.flush()
    return added
