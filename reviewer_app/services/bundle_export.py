"""Assemble the payload members of a review bundle from records and their review JSON.

Pure assembly (no database, no I/O): the service reads rows, this lays them out as files.
Every JSON member is canonical, so equal work exported twice at the same time gives equal bytes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reviewer_app.bundles import canonical_json
from reviewer_app.bundles.layout import (
    PROVENANCE_NAME,
    RO_CRATE_NAME,
    SUMMARY_NAME,
    TIER_POLICIES_NAME,
    annotations_member,
    assign_stems,
    record_member,
    review_member,
    source_member,
)
from reviewer_app.bundles.ro_crate import CratePerson, crate_metadata
from reviewer_app.bundles.summary_html import summary_html
from reviewer_app.domain.evidence import ANNOTATION_CONTEXT
from reviewer_app.domain.provenance_doc import RecordWork, provenance_document
from reviewer_app.domain.records import SynthesisRecord
from reviewer_app.wording import counted


@dataclass(frozen=True)
class ExportInput:
    """Everything a bundle holds, already read from the workspace."""

    heads: Mapping[str, SynthesisRecord]
    """The newest revision of each record, by record id, in export order."""
    reviews: Mapping[str, dict[str, Any]]
    annotations: Mapping[str, list[dict[str, Any]]]
    policies: Sequence[dict[str, Any]]
    pdfs: Mapping[str, bytes]
    """Source PDFs to include, by SHA-256 (empty when they are referenced by hash only)."""
    exporter: str
    exporter_orcid: str | None
    app_version: str
    created: str
    """UTC, ``YYYY-MM-DDTHH:MM:SSZ``: the manifest's time, used by every member that shows one."""
    extra_members: Mapping[str, tuple[bytes, str]] = field(default_factory=dict)
    """Further members by name: (bytes, description for the RO-Crate), e.g. work signatures
    and the grounding (issue 13)."""


def annotation_collection(record_id: str, items: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The record's evidence spans as one W3C Web Annotation ``AnnotationCollection``."""
    return {
        "@context": ANNOTATION_CONTEXT,
        "id": f"urn:synthesis-reviewer:record:{record_id}:annotations",
        "type": "AnnotationCollection",
        "label": f"Evidence spans for the claims of {record_id}",
        "total": len(items),
        "first": {"type": "AnnotationPage", "items": list(items)},
    }


def bundle_members(data: ExportInput) -> dict[str, bytes]:
    stems = assign_stems(data.heads)
    members: dict[str, bytes] = {}
    descriptions: dict[str, str] = {}
    works: list[RecordWork] = []
    for record_id, head in data.heads.items():
        stem = stems[record_id]
        record_json = head.to_json(record_id)
        review, annotations = data.reviews[record_id], data.annotations[record_id]
        works.append(RecordWork(stem, record_json, review, annotations))
        for name, content, description in (
            (record_member(stem), record_json, f"Record {record_id} (record.schema.json)"),
            (review_member(stem), review, f"Verdicts, score sheets, tiers of {record_id}"),
            (
                annotations_member(stem),
                annotation_collection(record_id, annotations),
                f"Evidence spans of {record_id} as W3C Web Annotations",
            ),
        ):
            members[name] = canonical_json(content)
            descriptions[name] = description
    members[TIER_POLICIES_NAME] = canonical_json({"policies": list(data.policies)})
    descriptions[TIER_POLICIES_NAME] = "The tier policies that produced the tiers"
    for sha256, pdf in sorted(data.pdfs.items()):
        members[source_member(sha256)] = pdf
        descriptions[source_member(sha256)] = "A source PDF, named by its SHA-256"
    members[PROVENANCE_NAME] = canonical_json(
        provenance_document(
            works,
            exporter=data.exporter,
            app_version=data.app_version,
            exported=data.created,
            policies=data.policies,
        )
    )
    descriptions[PROVENANCE_NAME] = "Who did what when (W3C PROV-JSON)"
    members[SUMMARY_NAME] = summary_html(
        works,
        policies=data.policies,
        exporter=data.exporter,
        created=data.created,
        app_version=data.app_version,
    ).encode("utf-8")
    descriptions[SUMMARY_NAME] = "A summary readable in any web browser"
    for name, (extra, description) in sorted(data.extra_members.items()):
        members[name] = extra
        descriptions[name] = description
    members[RO_CRATE_NAME] = canonical_json(_crate(data, members, descriptions))
    return members


def _crate(
    data: ExportInput, members: Mapping[str, bytes], descriptions: Mapping[str, str]
) -> dict[str, Any]:
    reviewers = {
        r["name"]: r["orcid"] for review in data.reviews.values() for r in review["reviewers"]
    }
    count = len(data.heads)
    return crate_metadata(
        members,
        descriptions=descriptions,
        title=f"Review bundle of {counted(count, 'synthesis record')}",
        description="Reviewers' verdicts, evidence, score sheets and tiers for: "
        + ", ".join(data.heads),
        published=data.created,
        exporter=CratePerson(data.exporter, data.exporter_orcid),
        reviewers=[CratePerson(name, orcid) for name, orcid in sorted(reviewers.items())],
        app_version=data.app_version,
    )
