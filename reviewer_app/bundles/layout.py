"""Where each part of a review bundle lives inside the zip, and how record ids become names.

Per record (``<stem>`` is the record id made safe for file names, ``SRCH:8F12A054`` ->
``SRCH_8F12A054``): ``records/<stem>.json`` (record.schema.json), ``reviews/<stem>.json``
(bundle-review.schema.json) and ``annotations/<stem>.jsonld`` (a W3C AnnotationCollection).
Shared: ``tier-policies.json``, ``provenance.json`` (PROV-JSON), ``ro-crate-metadata.json``,
``summary.html`` and, when the reviewer includes them, ``sources/<sha256>.pdf``. From format 2:
``attestations/<sha256>.json`` and ``.sig``, each reviewer's work signature (work_signatures.py).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

RECORDS_DIR = "records"
REVIEWS_DIR = "reviews"
ANNOTATIONS_DIR = "annotations"
SOURCES_DIR = "sources"
GROUNDING_DIR = "grounding"
"""``grounding/<stem>.json``: computed grounding and gate, artifacts, attestations (issue 13)."""
ARTIFACTS_DIR = "artifacts"
"""``artifacts/<sha256>``: gate artifacts (scripts, results, proofs), named by content hash."""
WORK_SIGNATURES_DIR = "attestations"
TIER_POLICIES_NAME = "tier-policies.json"
PROVENANCE_NAME = "provenance.json"
RO_CRATE_NAME = "ro-crate-metadata.json"
SUMMARY_NAME = "summary.html"

MemberKind = Literal[
    "record",
    "review",
    "annotations",
    "source",
    "tier-policies",
    "provenance",
    "ro-crate",
    "summary",
    "grounding",
    "artifact",
    "work-signature",
    "work-signature-sig",
]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_SAFE_STEM = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,119}")
_SINGLE_FILES: dict[str, MemberKind] = {
    TIER_POLICIES_NAME: "tier-policies",
    PROVENANCE_NAME: "provenance",
    RO_CRATE_NAME: "ro-crate",
    SUMMARY_NAME: "summary",
}
_WORK_SIGNATURE_SUFFIXES: tuple[tuple[str, MemberKind], ...] = (
    (".json", "work-signature"),
    (".sig", "work-signature-sig"),
)
_PER_RECORD: dict[tuple[str, str], MemberKind] = {
    (RECORDS_DIR, ".json"): "record",
    (REVIEWS_DIR, ".json"): "review",
    (ANNOTATIONS_DIR, ".jsonld"): "annotations",
    (GROUNDING_DIR, ".json"): "grounding",
}


def safe_stem(record_id: str) -> str:
    """``record_id`` with every character outside ``[A-Za-z0-9._-]`` replaced by ``_``."""
    stem = _UNSAFE.sub("_", record_id).strip(".") or "record"
    return stem[:100]


def assign_stems(record_ids: Iterable[str]) -> dict[str, str]:
    """A distinct file stem per record id, even where two ids sanitise (or case-fold) alike."""
    stems: dict[str, str] = {}
    taken: set[str] = set()
    for record_id in record_ids:
        stem = safe_stem(record_id)
        if stem.casefold() in taken:
            stem = f"{stem}-{hashlib.sha256(record_id.encode()).hexdigest()[:8]}"
        taken.add(stem.casefold())
        stems[record_id] = stem
    return stems


def record_member(stem: str) -> str:
    return f"{RECORDS_DIR}/{stem}.json"


def review_member(stem: str) -> str:
    return f"{REVIEWS_DIR}/{stem}.json"


def annotations_member(stem: str) -> str:
    return f"{ANNOTATIONS_DIR}/{stem}.jsonld"


def source_member(sha256: str) -> str:
    return f"{SOURCES_DIR}/{sha256}.pdf"


def grounding_member(stem: str) -> str:
    return f"{GROUNDING_DIR}/{stem}.json"


def artifact_member(sha256: str) -> str:
    return f"{ARTIFACTS_DIR}/{sha256}"


def work_signature_members(document_sha256: str) -> tuple[str, str]:
    """The members of one work signature: the signed document and its signature."""
    stem = f"{WORK_SIGNATURES_DIR}/{document_sha256}"
    return f"{stem}.json", f"{stem}.sig"


@dataclass(frozen=True)
class MemberName:
    kind: MemberKind
    key: str
    """The record stem, the PDF's SHA-256, or the file name of a shared member."""


def classify_member(name: str) -> MemberName | None:
    """What the member ``name`` is, or None for a name no bundle of this format holds."""
    if name in _SINGLE_FILES:
        return MemberName(_SINGLE_FILES[name], name)
    folder, _, file_name = name.partition("/")
    if "/" in file_name or not file_name:
        return None
    if folder == SOURCES_DIR:
        sha256 = file_name.removesuffix(".pdf")
        if file_name.endswith(".pdf") and _SHA256.fullmatch(sha256):
            return MemberName("source", sha256)
        return None
    if folder == ARTIFACTS_DIR:
        return MemberName("artifact", file_name) if _SHA256.fullmatch(file_name) else None
    if folder == WORK_SIGNATURES_DIR:
        for suffix, kind in _WORK_SIGNATURE_SUFFIXES:
            sha256 = file_name.removesuffix(suffix)
            if file_name.endswith(suffix) and _SHA256.fullmatch(sha256):
                return MemberName(kind, sha256)
        return None
    for (directory, suffix), kind in _PER_RECORD.items():
        if folder == directory and file_name.endswith(suffix):
            stem = file_name.removesuffix(suffix)
            if _SAFE_STEM.fullmatch(stem):
                return MemberName(kind, stem)
    return None
