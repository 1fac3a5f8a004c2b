"""Helpers shared by the bundle tests: sample members and a zip rewriter. No tests here."""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from reviewer_app.bundles import ReviewerKeys, canonical_json, write_bundle

CREATED = datetime(2025, 3, 1, 12, 30, 5, tzinfo=UTC)


def sample_members() -> dict[str, bytes]:
    """One member of each kind a real export holds, with a binary PDF among the JSON."""
    return {
        "records.json": canonical_json([{"id": "rec-1", "title": "Sparse alignment"}]),
        "claims.json": canonical_json([{"record": "rec-1", "position": 1, "verdict": "supported"}]),
        "evidence/annotations.jsonld": canonical_json(
            {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation"}
        ),
        "score-sheets.json": canonical_json([{"record": "rec-1", "evidence_strength": "HIGH"}]),
        "provenance.json": canonical_json({"prov:wasGeneratedBy": "export"}),
        "ro-crate-metadata.json": canonical_json({"@graph": []}),
        "sources/paper-1.pdf": b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n",
        "summary.html": "<!doctype html><title>Résumé</title>".encode(),
    }


def write_sample(path: Path, signer: ReviewerKeys | None, reviewer: str = "alice") -> Path:
    return write_bundle(
        path,
        sample_members(),
        app_version="0.1.0",
        reviewer=reviewer,
        signer=signer,
        created=CREATED,
    )


def rewrite_zip(
    path: Path,
    *,
    replace: Mapping[str, bytes] | None = None,
    drop: frozenset[str] = frozenset(),
    add: Mapping[str, bytes] | None = None,
) -> None:
    """Rewrite the zip at ``path`` in place, as an attacker with a zip tool would."""
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    replace = replace or {}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            if info.filename not in drop:
                target.writestr(info, replace.get(info.filename, data))
        for name, data in (add or {}).items():
            target.writestr(name, data)
