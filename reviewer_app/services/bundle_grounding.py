"""Grounding results, gate artifacts and attestations in review bundles (issue 13).

Export adds, per record, ``grounding/<stem>.json`` (the computed grounding and gate, beside the
imported ones, and the record's artifacts and attestations) and every artifact file as
``artifacts/<sha256>``; the manifest hashes them like any other member, so ``verify`` names an
altered artifact. Import checks them all before the database is touched, then merges artifacts
and attestations additively (an attestation is known by its id, an artifact by its hash);
grounding results are not imported: they are recomputed from the merged work.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from reviewer_app.artifacts import ArtifactStore
from reviewer_app.bundles import BundleContents, BundleError, canonical_json
from reviewer_app.bundles.layout import (
    artifact_member,
    assign_stems,
    classify_member,
    grounding_member,
)
from reviewer_app.domain.gate import ARTIFACT_KINDS
from reviewer_app.errors import ReviewerAppError
from reviewer_app.pdf import PdfStore
from reviewer_app.services.gate import GateService, artifact_store_dir
from reviewer_app.services.grounding import GroundingService
from reviewer_app.services.review import pdf_store_dir
from reviewer_app.storage.bundle_merge import RecordMerge
from reviewer_app.storage.database import Database, UnitOfWork
from reviewer_app.storage.grounding_merge import merge_gate_work
from reviewer_app.storage.records_repository import record_key

_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class GroundingBundlePart:
    record: str
    artifacts: list[dict[str, Any]]
    attestations: list[dict[str, Any]]


def grounding_members(
    database: Database,
    record_ids: Sequence[str],
    *,
    pdf_store: PdfStore,
    artifact_store: ArtifactStore,
    out: Path,
) -> dict[str, bytes]:
    """The grounding members of a bundle of ``record_ids`` (in export order)."""
    grounding = GroundingService(database, pdf_store)
    gates = GateService(database, artifact_store)
    members: dict[str, bytes] = {}
    reports = _all_reports(grounding)
    gate_reports = gates.reports()
    for record_id, stem in assign_stems(record_ids).items():
        gate = gate_reports.get(record_id) or gates.report(record_id)
        gate_json = gate.to_json()
        computed = gate_json["computed"]
        document = {
            "record": record_id,
            "grounding": reports.get(record_id) or _grounding_json(grounding, record_id),
            "gate": {
                "imported": gate_json["imported"],
                "computed": {k: computed[k] for k in ("status", "state", "reproduced_by", "basis")},
                "differs": gate_json["differs"],
            },
            "artifacts": computed["artifacts"],
            "attestations": computed["attestations"],
        }
        members[grounding_member(stem)] = canonical_json(document)
        for artifact in gate.artifacts:
            path = artifact_store.path_for(artifact.sha256)
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise BundleError(out, f"cannot include artifact {artifact.sha256}: {exc}") from exc
            if hashlib.sha256(data).hexdigest() != artifact.sha256:
                raise BundleError(
                    out, f"cannot include artifact {artifact.sha256}: the stored file was altered"
                )
            members[artifact_member(artifact.sha256)] = data
    return members


def bundle_grounding_members(
    database: Database, record_ids: Sequence[str], pdf_store_root: Path | None, out: Path
) -> dict[str, tuple[bytes, str]]:
    """The export's hook: grounding members (with their RO-Crate descriptions) from the app's
    own PDF and artifact stores."""
    members = grounding_members(
        database,
        record_ids,
        pdf_store=PdfStore(pdf_store_root or pdf_store_dir()),
        artifact_store=ArtifactStore(artifact_store_dir()),
        out=out,
    )
    return {name: (data, _description(name)) for name, data in members.items()}


def _description(name: str) -> str:
    member = classify_member(name)
    if member is not None and member.kind == "artifact":
        return "A reproducible gate artifact, named by its SHA-256 (never run by the app)"
    return "Computed grounding and gate beside the imported ones; artifacts and attestations"


def merge_grounding_parts(
    session: UnitOfWork,
    parts: Sequence[GroundingBundlePart],
    merges: Sequence[RecordMerge],
    *,
    origin: str,
) -> None:
    """The import's hook, inside its transaction: rows added are counted in each record's
    merge (``artifacts``, ``attestations``)."""
    by_record = {merge.record_id: merge for merge in merges}
    for part in parts:
        key = record_key(part.record)
        added = merge_gate_work(session, key, part.artifacts, part.attestations, origin=origin)
        if key in by_record:
            by_record[key].added.update({k: v for k, v in added.items() if v})


def store_bundle_artifacts(contents: BundleContents, warnings: list[str]) -> int:
    """After the commit, like source PDFs: storing is idempotent and content-checked."""
    store = ArtifactStore(artifact_store_dir())
    stored = 0
    for sha256, data in sorted(artifact_bytes(contents).items()):
        try:
            store.put_bytes(sha256, data)
            stored += 1
        except (OSError, ReviewerAppError) as exc:
            warnings.append(f"artifact {sha256} from the bundle was not stored: {exc}")
    return stored


def _all_reports(service: GroundingService) -> dict[str, dict[str, Any]]:
    """Every record's grounding in one pass (a few queries, not a few per record); empty when
    some record's work cannot be evaluated, and then each record is done on its own."""
    try:
        return {rid: _slim(report.to_json()) for rid, report in service.workspace().items()}
    except ReviewerAppError:
        return {}


def _slim(grounding: dict[str, Any]) -> dict[str, Any]:
    """The grounding JSON without each claim's check messages (the marks and evidence sources
    stay; the messages are recomputed by ``grounding ID`` wherever the bundle is imported)."""
    claims = [{k: v for k, v in c.items() if k != "checks"} for c in grounding["claims"]]
    return {**grounding, "claims": claims}


def _grounding_json(service: GroundingService, record_id: str) -> dict[str, Any]:
    """The computed grounding; a record whose work cannot be evaluated (say, an adjudication
    the consensus rules refuse) still exports, with the reason in place of the result."""
    try:
        return _slim(service.report(record_id).to_json())
    except ReviewerAppError as exc:
        return {"error": str(exc)}


def parse_grounding(contents: BundleContents, record_ids: set[str]) -> list[GroundingBundlePart]:
    """The bundle's artifacts and attestations, checked; ``BundleError`` names a bad member."""
    artifacts: dict[str, bytes] = {}
    documents: list[str] = []
    for name, data in contents.members.items():
        member = classify_member(name)
        if member is not None and member.kind == "artifact":
            if hashlib.sha256(data).hexdigest() != member.key:
                raise BundleError(
                    contents.path, f"{name}: its content does not match the SHA-256 in its name"
                )
            artifacts[member.key] = data
        elif member is not None and member.kind == "grounding":
            documents.append(name)
    parts = []
    for name in sorted(documents):
        parts.append(_parse_document(contents, name, record_ids, artifacts))
    return parts


def artifact_bytes(contents: BundleContents) -> dict[str, bytes]:
    return {
        member.key: data
        for name, data in contents.members.items()
        if (member := classify_member(name)) is not None and member.kind == "artifact"
    }


def _parse_document(
    contents: BundleContents, name: str, record_ids: set[str], artifacts: Mapping[str, bytes]
) -> GroundingBundlePart:
    def refuse(reason: str) -> BundleError:
        return BundleError(contents.path, f"{name}: {reason}")

    document = contents.json_member(name)
    if not isinstance(document, dict) or not isinstance(document.get("record"), str):
        raise refuse("not a grounding document (no record id)")
    record = document["record"]
    if record not in record_ids:
        raise refuse(f"is about record {record}, which the bundle does not hold")
    listed = document.get("artifacts")
    attestations = document.get("attestations")
    if not isinstance(listed, list) or not isinstance(attestations, list):
        raise refuse("artifacts and attestations must be lists")
    known = set()
    for index, item in enumerate(listed, start=1):
        problem = _artifact_problem(item, artifacts)
        if problem:
            raise refuse(f"artifact {index}: {problem}")
        known.add(item["sha256"])
    for index, item in enumerate(attestations, start=1):
        problem = _attestation_problem(item, known)
        if problem:
            raise refuse(f"attestation {index}: {problem}")
    return GroundingBundlePart(record, listed, attestations)


def _artifact_problem(item: Any, artifacts: Mapping[str, bytes]) -> str | None:
    if not isinstance(item, dict):
        return "not an object"
    sha = item.get("sha256")
    if not isinstance(sha, str) or not _SHA256.fullmatch(sha):
        return "sha256 is not a SHA-256"
    if sha not in artifacts:
        return f"{artifact_member(sha)} is missing from the bundle"
    if item.get("kind") not in ARTIFACT_KINDS:
        return f"kind {item.get('kind')!r} is not one of {', '.join(ARTIFACT_KINDS)}"
    if not isinstance(item.get("file_name"), str) or not item["file_name"].strip():
        return "file_name is missing"
    if item.get("size") != len(artifacts[sha]):
        return "size differs from the artifact's"
    if not _optional_str(item.get("attached_by")) or not _timestamp(item.get("attached_at")):
        return "attached_by or attached_at is malformed"
    return None


def _attestation_problem(item: Any, known: set[str]) -> str | None:
    if not isinstance(item, dict):
        return "not an object"
    if not isinstance(item.get("id"), str) or not 1 <= len(item["id"]) <= 36:
        return "id is malformed"
    if item.get("artifact") not in known:
        return "attests an artifact the record does not list"
    if not isinstance(item.get("reviewer"), str) or not item["reviewer"].strip():
        return "reviewer is missing"
    if not isinstance(item.get("reproduced"), bool):
        return "reproduced must be true or false"
    results = item.get("results_sha256")
    if results is not None and not (isinstance(results, str) and _SHA256.fullmatch(results)):
        return "results_sha256 is not a SHA-256"
    if not _optional_str(item.get("note")) or not _timestamp(item.get("created_at")):
        return "note or created_at is malformed"
    return None


def _optional_str(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _timestamp(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False
