"""Gate artifacts, attestations and the computed gate status of a record (issue 13)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reviewer_app.artifacts import ArtifactStore, hash_file
from reviewer_app.config import data_dir
from reviewer_app.domain.gate import (
    ARTIFACT_KINDS,
    Artifact,
    Attestation,
    GateStatus,
    compute_gate,
    current_attestations,
    gate_differs,
)
from reviewer_app.errors import NotFound, ReviewerAppError
from reviewer_app.services.review_lookup import require_record, require_reviewer
from reviewer_app.storage import gate_repository as gate_repo
from reviewer_app.storage import grounding_repository as repo
from reviewer_app.storage.database import Database
from reviewer_app.storage.records_repository import record_key


def artifact_store_dir() -> Path:
    return data_dir() / "artifacts"


@dataclass(frozen=True)
class GateReport:
    record: str
    imported: dict[str, Any] | None
    computed: GateStatus
    artifacts: tuple[Artifact, ...]
    attestations: tuple[Attestation, ...]
    """Every attestation, oldest first (the status counts each reviewer's newest)."""
    differs: bool

    def to_json(self) -> dict[str, Any]:
        imported = self.imported or {}
        return {
            "record": self.record,
            "imported": {
                name: imported.get(name) for name in ("status", "gate", "reason", "evaluated")
            },
            "computed": {
                "status": self.computed.status,
                "state": self.computed.state.value,
                "reproduced_by": list(self.computed.reproduced_by),
                "artifacts": [artifact.to_json() for artifact in self.artifacts],
                "attestations": [item.to_json() for item in self.attestations],
                "basis": self.computed.basis,
            },
            "differs": self.differs,
        }


class GateService:
    def __init__(self, database: Database, store: ArtifactStore) -> None:
        self.database = database
        self.store = store

    @classmethod
    def for_database(cls, database: Database) -> GateService:
        return cls(database, ArtifactStore(artifact_store_dir()))

    def attach_artifact(
        self, record_id: str, path: Path, *, kind: str = "other", reviewer: str
    ) -> Artifact:
        """Store the file content-addressed (never run) and attach it to the record."""
        if kind not in ARTIFACT_KINDS:
            raise ReviewerAppError(
                f"artifact kind '{kind}' is not one of {', '.join(ARTIFACT_KINDS)}"
            )
        key = record_key(record_id)
        with self.database.reading() as session:
            require_record(session, key)
        stored = self.store.add(path)  # refuses missing or too large files: nothing stored
        with self.database.transaction() as session:
            found = gate_repo.find_artifact(session, key, stored.sha256)
            who = require_reviewer(session, reviewer)
            if found is not None:
                return found
            return gate_repo.add_artifact(
                session,
                record_id=key,
                sha256=stored.sha256,
                kind=kind,
                file_name=Path(path).name,
                size=stored.size,
                attached_by=who,
            )

    def attest(
        self,
        record_id: str,
        *,
        artifact_sha256: str,
        reproduced: bool,
        reviewer: str,
        results: Path | None = None,
        note: str | None = None,
    ) -> Attestation:
        """Record that ``reviewer`` did (or did not) reproduce the artifact; additive."""
        key = record_key(record_id)
        results_sha = hash_file(_readable(results)) if results is not None else None
        with self.database.transaction() as session:
            require_record(session, key)
            artifact = gate_repo.find_artifact(session, key, artifact_sha256.strip().lower())
            if artifact is None:
                raise NotFound(f"record {key} has no artifact with SHA-256 {artifact_sha256}")
            who = require_reviewer(session, reviewer)
            return gate_repo.add_attestation(
                session,
                record_id=key,
                artifact_sha256=artifact.sha256,
                reviewer=who,
                reproduced=reproduced,
                results_sha256=results_sha,
                note=note.strip() if note and note.strip() else None,
            )

    def report(self, record_id: str) -> GateReport:
        key = record_key(record_id)
        with self.database.reading() as session:
            sections = repo.latest_sections(session, key)
            if sections is None:
                raise NotFound(f"no record '{record_id}' in {self.database.url}")
            artifacts = gate_repo.artifacts_by_record(session, key).get(key, [])
            attestations = gate_repo.attestations_by_record(session, key).get(key, [])
        return _report(key, sections, artifacts, attestations)

    def reports(self) -> dict[str, GateReport]:
        """Every record's gate, in three queries (for bundles of many records)."""
        with self.database.reading() as session:
            sections = repo.all_latest_sections(session)
            artifacts = gate_repo.artifacts_by_record(session)
            attestations = gate_repo.attestations_by_record(session)
        return {
            rid: _report(rid, found, artifacts.get(rid, []), attestations.get(rid, []))
            for rid, found in sections.items()
        }

    def statuses(self) -> dict[str, GateStatus]:
        """The computed gate of every record that has an artifact (others are Unverified)."""
        with self.database.reading() as session:
            artifacts = gate_repo.artifacts_by_record(session)
            attestations = gate_repo.attestations_by_record(session)
        return {
            rid: compute_gate(found, current_attestations(attestations.get(rid, [])))
            for rid, found in artifacts.items()
        }


def _report(
    record_id: str,
    sections: dict[str, Any],
    artifacts: list[Artifact],
    attestations: list[Attestation],
) -> GateReport:
    computed = compute_gate(artifacts, attestations)
    gate = sections.get("gate")
    imported = (
        {name: gate.get(name) for name in ("status", "gate", "reason", "evaluated")}
        if isinstance(gate, dict)
        else None
    )
    return GateReport(
        record=record_id,
        imported=imported,
        computed=computed,
        artifacts=tuple(artifacts),
        attestations=tuple(attestations),
        differs=gate_differs(imported.get("status") if imported else None, computed),
    )


def _readable(path: Path) -> Path:
    path = Path(path)
    if not path.is_file():
        raise ReviewerAppError(f"{path}: results file not found")
    return path
