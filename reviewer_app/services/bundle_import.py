"""Parse a verified bundle's members into records and review JSON, refusing anything malformed.

Everything is checked here, before the database is touched: every member is one this format
knows, every JSON member is strict JSON valid against its schema, and the members agree with
each other (ids, reviewers, policy versions, included PDFs). Each refusal names the member.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reviewer_app.bundles import BundleContents, BundleError
from reviewer_app.bundles.layout import (
    TIER_POLICIES_NAME,
    annotations_member,
    classify_member,
    record_member,
    review_member,
    safe_stem,
    work_signature_members,
)
from reviewer_app.bundles.member_schemas import (
    ANNOTATIONS_SCHEMA,
    REVIEW_SCHEMA,
    TIER_POLICIES_SCHEMA,
    schema_problem,
)
from reviewer_app.bundles.work_signatures import WorkSignature, parse_work_signature
from reviewer_app.domain.evidence import continuation_of, from_web_annotation
from reviewer_app.domain.record_json import InvalidRecordJson, record_from_json
from reviewer_app.domain.records import SynthesisRecord

_PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class ParsedRecord:
    stem: str
    record: SynthesisRecord
    review: dict[str, Any]
    annotations: list[dict[str, Any]]


@dataclass(frozen=True)
class ParsedBundle:
    records: list[ParsedRecord]
    policies: list[dict[str, Any]]
    pdfs: dict[str, bytes]
    work_signatures: list[WorkSignature] = field(default_factory=list)
    """The valid work signatures (their key is not yet judged: see ``vouching``)."""
    bad_work_signatures: list[tuple[str, str]] = field(default_factory=list)
    """(member, problem) for work signatures that are malformed or do not verify; the rows
    they claim to cover are vouched for by nobody."""


def parse_bundle(contents: BundleContents) -> ParsedBundle:
    """The bundle's content, or ``BundleError`` naming the first member that is wrong."""
    stems: dict[str, set[str]] = {"record": set(), "review": set(), "annotations": set()}
    pdfs: dict[str, bytes] = {}
    signature_keys: set[str] = set()
    version = contents.manifest["format_version"]
    for name, data in contents.members.items():
        member = classify_member(name)
        if member is None:
            raise BundleError(
                contents.path, f"{name}: not a part of a review bundle of format {version}"
            )
        if member.kind in stems:
            stems[member.kind].add(member.key)
        elif member.kind == "source":
            pdfs[member.key] = _checked_pdf(contents, name, member.key, data)
        elif member.kind in ("work-signature", "work-signature-sig"):
            signature_keys.add(member.key)
    for kind, member_name in (("review", review_member), ("annotations", annotations_member)):
        for stem in sorted(stems["record"] ^ stems[kind]):
            missing = member_name(stem) if stem in stems["record"] else record_member(stem)
            raise BundleError(contents.path, f"{missing} is missing from the bundle")
    if not stems["record"]:
        raise BundleError(contents.path, "the bundle holds no records")
    policies = _policies(contents)
    versions = {p["version"] for p in policies}
    records: list[ParsedRecord] = []
    seen: dict[str, str] = {}
    for stem in sorted(stems["record"]):
        parsed = _parse_record(contents, stem, versions, pdfs)
        record_id = parsed.review["record"]
        if record_id in seen:
            raise BundleError(
                contents.path,
                f"{record_member(stem)} repeats record {record_id} of {seen[record_id]}",
            )
        seen[record_id] = record_member(stem)
        records.append(parsed)
    good, bad = _work_signatures(contents, signature_keys)
    return ParsedBundle(records, policies, pdfs, good, bad)


def _work_signatures(
    contents: BundleContents, keys: set[str]
) -> tuple[list[WorkSignature], list[tuple[str, str]]]:
    good, bad = [], []
    for key in sorted(keys):
        document_name, signature_name = work_signature_members(key)
        document = contents.members.get(document_name)
        signature = contents.members.get(signature_name)
        if document is None or signature is None:
            missing = document_name if document is None else signature_name
            bad.append((missing, "is missing (a work signature has a .json and a .sig)"))
            continue
        try:
            parsed = parse_work_signature(document, signature)
        except ValueError as exc:
            bad.append((document_name, f"is not a valid work signature ({exc})"))
            continue
        if parsed.digest != key:
            bad.append((document_name, "its content does not match the SHA-256 in its name"))
            continue
        good.append(parsed)
    return good, bad


def _checked_pdf(contents: BundleContents, name: str, sha256: str, data: bytes) -> bytes:
    if hashlib.sha256(data).hexdigest() != sha256:
        raise BundleError(
            contents.path, f"{name}: its content does not match the SHA-256 in its name"
        )
    if not data.startswith(_PDF_MAGIC):
        raise BundleError(contents.path, f"{name}: not a PDF file")
    return data


def _policies(contents: BundleContents) -> list[dict[str, Any]]:
    if TIER_POLICIES_NAME not in contents.members:
        return []
    document = _valid_json(contents, TIER_POLICIES_NAME, TIER_POLICIES_SCHEMA)
    versions = [p["version"] for p in document["policies"]]
    if len(set(versions)) != len(versions):
        raise BundleError(contents.path, f"{TIER_POLICIES_NAME}: a policy version is listed twice")
    policies: list[dict[str, Any]] = document["policies"]  # as the schema just checked
    return policies


def _valid_json(contents: BundleContents, name: str, schema: str) -> Any:
    data = contents.json_member(name)
    problem = schema_problem(schema, data)
    if problem:
        raise BundleError(contents.path, f"{name}: {problem}")
    return data


def _parse_record(
    contents: BundleContents, stem: str, versions: set[int], pdfs: Mapping[str, bytes]
) -> ParsedRecord:
    path = contents.path
    name = record_member(stem)
    data = contents.json_member(name)
    try:
        record = record_from_json(data, name)
    except InvalidRecordJson as exc:
        raise BundleError(path, str(exc)) from None
    record_id = data["id"]
    if not (stem == safe_stem(record_id) or stem.startswith(f"{safe_stem(record_id)}-")):
        raise BundleError(path, f"{name}: holds record {record_id}, which belongs in another file")
    review_name = review_member(stem)
    review = _valid_json(contents, review_name, REVIEW_SCHEMA)
    _check_review(contents, review_name, review, record, record_id, versions, pdfs)
    annotations_name = annotations_member(stem)
    collection = _valid_json(contents, annotations_name, ANNOTATIONS_SCHEMA)
    items = collection["first"]["items"]
    listed = {r["name"] for r in review["reviewers"]}
    for index, item in enumerate(items):
        where = f"{annotations_name}: annotation {index + 1}"
        if item["body"]["claim"]["record"] != record_id:
            raise BundleError(path, f"{where} is about another record")
        if item["body"]["reviewer"] not in listed:
            raise BundleError(path, f"{where}: reviewer is not listed in {review_name}")
        try:
            from_web_annotation(item)
            for anchor in item.get("sr:anchors", ()):
                _check_anchor_pages(anchor)
        except ValueError as exc:
            raise BundleError(path, f"{where}: {exc}") from None
    return ParsedRecord(stem, record, review, items)


def _check_anchor_pages(anchor: Mapping[str, Any]) -> None:
    """A re-anchoring's continuation pages must follow its first page (the schema checks
    their shape); raises ValueError naming the file the anchoring is in."""
    pages = anchor.get("continuation")
    if pages is None:
        return
    where = f"sr:anchors for {anchor['pdf_sha256']}"
    if anchor["page"] is None:
        raise ValueError(f"{where}: continuation pages without a first page")
    try:
        continuation_of(pages, after=anchor["page"])
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None


def _check_review(
    contents: BundleContents,
    name: str,
    review: Mapping[str, Any],
    record: SynthesisRecord,
    record_id: str,
    versions: set[int],
    pdfs: Mapping[str, bytes],
) -> None:
    def refuse(reason: str) -> BundleError:
        return BundleError(contents.path, f"{name}: {reason}")

    if review["record"] != record_id:
        raise refuse(f"is about record {review['record']}, not {record_id}")
    if review["source_sha256"] != record.source_sha256:
        raise refuse("its source_sha256 differs from the record's")
    listed = [r["name"] for r in review["reviewers"]]
    if len(set(listed)) != len(listed):
        raise refuse("a reviewer is listed twice")
    used = {v["reviewer"] for c in review["claims"] for v in c["verdicts"]}
    used |= {s["reviewer"] for s in review["score_sheets"]}
    used |= {a["adjudicator"] for a in review["adjudications"]}
    used |= {c["reviewer"] for c in review["corrections"]["history"]}
    used |= {s["attached_by"] for s in review["sources"] if s["attached_by"]}
    if unlisted := sorted(used - set(listed)):
        raise refuse(f"reviewer {unlisted[0]!r} is not listed in reviewers")
    for tier in review["tier_results"]:
        if tier["policy_version"] not in versions:
            raise refuse(
                f"tier policy version {tier['policy_version']} is not in {TIER_POLICIES_NAME}"
            )
    for source in review["sources"]:
        if source["included"] and source["sha256"] not in pdfs:
            raise refuse(f"source {source['sha256']} is marked included but is not in sources/")
