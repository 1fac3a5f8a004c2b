"""Gate artifacts and attestations, as the domain's ``Artifact`` and ``Attestation``."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from reviewer_app.domain.gate import Artifact, Attestation
from reviewer_app.domain.reviewers import Reviewer
from reviewer_app.storage.grounding_models import GateArtifactRow, GateAttestationRow
from reviewer_app.storage.review_models import ReviewerRow
from reviewer_app.storage.row_values import as_utc


def artifacts_by_record(
    session: Session, record_id: str | None = None
) -> dict[str, list[Artifact]]:
    """Every artifact (or the record's), oldest first, by record."""
    query = select(GateArtifactRow, ReviewerRow.name).outerjoin(
        ReviewerRow, ReviewerRow.id == GateArtifactRow.attached_by
    )
    if record_id is not None:
        query = query.where(GateArtifactRow.record_id == record_id)
    query = query.order_by(GateArtifactRow.attached_at, GateArtifactRow.id)
    grouped: dict[str, list[Artifact]] = defaultdict(list)
    for row, name in session.execute(query).all():
        grouped[row.record_id].append(_artifact(row, name))
    return dict(grouped)


def attestations_by_record(
    session: Session, record_id: str | None = None
) -> dict[str, list[Attestation]]:
    """Every attestation (or the record's), oldest first, by record."""
    query = select(GateAttestationRow, ReviewerRow.name).join(
        ReviewerRow, ReviewerRow.id == GateAttestationRow.reviewer_id
    )
    if record_id is not None:
        query = query.where(GateAttestationRow.record_id == record_id)
    query = query.order_by(GateAttestationRow.created_at, GateAttestationRow.id)
    grouped: dict[str, list[Attestation]] = defaultdict(list)
    for row, name in session.execute(query).all():
        grouped[row.record_id].append(_attestation(row, name))
    return dict(grouped)


def find_artifact(session: Session, record_id: str, sha256: str) -> Artifact | None:
    """The record's artifact with this hash, with the name of who attached it."""
    found = session.execute(_artifact_named(record_id, sha256)).first()
    return None if found is None else _artifact(found[0], found[1])


def add_artifact(
    session: Session,
    *,
    record_id: str,
    sha256: str,
    kind: str,
    file_name: str,
    size: int,
    attached_by: Reviewer,
) -> Artifact:
    """Attach an artifact stored in the artifact store to the record, now (origin local)."""
    row = GateArtifactRow(
        record_id=record_id,
        sha256=sha256,
        kind=kind,
        file_name=file_name,
        size=size,
        attached_by=attached_by.id,
        attached_at=datetime.now(UTC),
        origin="local",
    )
    session.add(row)
    session.flush()
    return _artifact(row, attached_by.name)


def add_attestation(
    session: Session,
    *,
    record_id: str,
    artifact_sha256: str,
    reviewer: Reviewer,
    reproduced: bool,
    results_sha256: str | None,
    note: str | None,
) -> Attestation:
    """A new attestation by ``reviewer``, now (origin local); attestations are additive."""
    row = GateAttestationRow(
        id=str(uuid.uuid4()),
        record_id=record_id,
        artifact_sha256=artifact_sha256,
        reviewer_id=reviewer.id,
        reproduced=reproduced,
        results_sha256=results_sha256,
        note=note,
        created_at=datetime.now(UTC),
        origin="local",
    )
    session.add(row)
    session.flush()
    return _attestation(row, reviewer.name)


def _artifact_named(record_id: str, sha256: str) -> Select[GateArtifactRow, str]:
    # the outer join yields None for the name of an attacher since removed (``_artifact`` takes it)
    return (
        select(GateArtifactRow, ReviewerRow.name)
        .outerjoin(ReviewerRow, ReviewerRow.id == GateArtifactRow.attached_by)
        .where(GateArtifactRow.record_id == record_id, GateArtifactRow.sha256 == sha256)
    )


def _artifact(row: GateArtifactRow, attached_by: str | None) -> Artifact:
    return Artifact(
        sha256=row.sha256,
        kind=row.kind,
        file_name=row.file_name,
        size=row.size,
        attached_by=attached_by,
        attached_at=as_utc(row.attached_at),
    )


def _attestation(row: GateAttestationRow, reviewer: str) -> Attestation:
    return Attestation(
        id=row.id,
        artifact_sha256=row.artifact_sha256,
        reviewer=reviewer,
        reproduced=row.reproduced,
        results_sha256=row.results_sha256,
        note=row.note,
        created_at=as_utc(row.created_at),
    )
