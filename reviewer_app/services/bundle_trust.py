"""The bundle trust model as the use cases apply it: who may vouch for which rows of work,
what a bundle would add per reviewer, and what export signs and forwards.

Import and verify judge a parsed bundle with ``judge`` (vouching.py's rules, with this
workspace's reviewers and trust store), then keep only the accepted rows (``vouched_only``).
Export signs the exporter's own rows and forwards the kept work signatures of the others
(``work_signatures_for_export``).
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from reviewer_app.bundles import ReviewerKeys, TrustStore, VerifyReport
from reviewer_app.bundles.key_trust import KnownNames
from reviewer_app.bundles.layout import work_signature_members
from reviewer_app.bundles.vouching import RowDecision, Vouching, decide
from reviewer_app.bundles.work_rows import WorkRow, keep_rows, work_rows
from reviewer_app.bundles.work_signatures import WorkSignature, row_digest, sign_work
from reviewer_app.services.bundle_grounding import GroundingBundlePart
from reviewer_app.services.bundle_import import ParsedBundle, ParsedRecord
from reviewer_app.storage.bundle_repository import review_documents
from reviewer_app.storage.database import UnitOfWork
from reviewer_app.storage.records_repository import load_revision
from reviewer_app.storage.trust_repository import (
    local_reviewer_names,
    reviewer_names,
    work_signatures_of,
)

REVIEWER_ENV = "REVIEWER_APP_REVIEWER"
_UNTRUSTED_SIGNER = frozenset({"signature", "key-changed", "impersonation"})


def known_names(session: UnitOfWork, trust: TrustStore) -> KnownNames:
    """This workspace's reviewers (and the user named in $REVIEWER_APP_REVIEWER) and every
    reviewer it knows by name."""
    local = local_reviewer_names(session)
    named = os.environ.get(REVIEWER_ENV, "").strip()
    if named:
        local.add(named)
    return KnownNames(trust, frozenset(local), frozenset(reviewer_names(session)))


def bundle_rows(parsed: ParsedBundle) -> list[WorkRow]:
    return [row for item in parsed.records for row in work_rows(item.review, item.annotations)]


def judge(
    parsed: ParsedBundle, report: VerifyReport, names: KnownNames, *, allow_unsigned: bool
) -> Vouching:
    """Every row of the bundle judged against its author's key."""
    signer = report.signer
    trusted_signer = (
        signer is not None
        and report.signed
        and not any(p.kind in _UNTRUSTED_SIGNER for p in report.problems)
    )
    vouching = decide(
        bundle_rows(parsed),
        parsed.work_signatures,
        exporter=report.contents.manifest["reviewer"],
        signer_fingerprint=signer.fingerprint if trusted_signer and signer else None,
        names=names,
        allow_unsigned=allow_unsigned,
        pins=report.pins,
    )
    return vouching


def vouched_only(parsed: ParsedBundle, vouching: Vouching) -> ParsedBundle:
    """The bundle with only the accepted rows of work (records, policies, PDFs unchanged)."""
    accepted = vouching.accepted_digests()
    records = []
    for item in parsed.records:
        rows = list(work_rows(item.review, item.annotations))
        flags = [(row.record, row.digest) in accepted for row in rows]
        review, annotations = keep_rows(item.review, item.annotations, flags)
        authors = {row.author for row, kept in zip(rows, flags, strict=True) if kept}
        review["reviewers"] = [r for r in review["reviewers"] if r["name"] in authors]
        records.append(ParsedRecord(item.stem, item.record, review, annotations))
    return replace(parsed, records=records)


def present_digests(session: UnitOfWork, record_ids: Iterable[str]) -> set[tuple[str, str]]:
    """(record, digest) of the rows of work this workspace already holds on the records."""
    heads = {}
    for record_id in record_ids:
        info = load_revision(session, record_id)
        if info is not None:
            heads[record_id] = info.record
    present: set[tuple[str, str]] = set()
    for _, review, spans in review_documents(session, heads, include_pdfs=False):
        present.update((row.record, row.digest) for row in work_rows(review, spans))
    return present


@dataclass(frozen=True)
class ExportSignatures:
    members: dict[str, tuple[bytes, str]]
    """Member name: (bytes, description) of every work signature the bundle carries."""
    unsigned: dict[str, int]
    """Reviewers (other than the exporter) with rows no work signature covers: how many."""
    own: list[WorkSignature]
    """The exporter's own new work signature (empty for an unsigned export)."""


def work_signatures_for_export(
    session: UnitOfWork,
    documents: Sequence[tuple[str, Mapping[str, Any], Sequence[Mapping[str, Any]]]],
    *,
    exporter: str,
    signer: ReviewerKeys | None,
    signed: str,
) -> ExportSignatures:
    """The exporter's signature over their own rows, and the kept signatures of the others
    that cover any exported row (forwarded byte for byte)."""
    rows = [row for _, review, spans in documents for row in work_rows(review, spans)]
    own = [row.digest for row in rows if (row.author or exporter) == exporter]
    by_author: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if row.author is not None and row.author != exporter:
            by_author[row.author].add(row.digest)
    signatures: list[WorkSignature] = []
    if signer is not None and own:
        signatures.append(sign_work(signer, own, signed))
    own_signatures = list(signatures)
    covered: dict[str, set[str]] = defaultdict(set)
    for stored in work_signatures_of(session, list(by_author)):
        overlap = stored.rows & by_author[stored.author]
        if overlap:
            signatures.append(stored)
            covered[stored.author] |= overlap
    members: dict[str, tuple[bytes, str]] = {}
    for signature in signatures:
        document_name, signature_name = work_signature_members(signature.digest)
        what = f"{signature.author}'s signature of their own work ({signature.signed})"
        members[document_name] = (signature.document, f"The rows of work {what} lists")
        members[signature_name] = (signature.signature_text(), f"Ed25519 signature: {what}")
    unsigned = {
        author: len(digests - covered[author])
        for author, digests in sorted(by_author.items())
        if digests - covered[author]
    }
    return ExportSignatures(members, unsigned, own_signatures)


_GATE_AUTHOR = {"artifact": "attached_by", "attestation": "reviewer"}


def vouched_gate_work(
    parts: Sequence[GroundingBundlePart],
    report: VerifyReport,
    names: KnownNames,
    *,
    allow_unsigned: bool,
) -> tuple[list[GroundingBundlePart], list[RowDecision]]:
    """The gate artifacts and attestations (issue 13) a bundle may bring in, and the ones it
    may not. They carry no work signatures of their own, so only the bundle signer's are vouched
    for (by the bundle signature), under the same rules as every other row of work: never in the
    name of a local reviewer, a known key's owner or a look-alike, unless signed by them."""
    signer = report.signer
    trusted = (
        signer is not None and report.signed
        and not any(p.kind in _UNTRUSTED_SIGNER for p in report.problems)
    )  # fmt: skip
    rows: list[WorkRow] = []
    for part in parts:
        for kind, items in (("artifact", part.artifacts), ("attestation", part.attestations)):
            for item in items:
                author = item.get(_GATE_AUTHOR[kind]) or None
                digest = row_digest(kind, part.record, dict(item))
                label = f"{kind} {item.get('sha256') or item.get('artifact_sha256') or ''}".strip()
                rows.append(WorkRow(kind, part.record, author, digest, label))
    vouching = decide(
        rows,
        [],
        exporter=report.contents.manifest["reviewer"],
        signer_fingerprint=signer.fingerprint if trusted and signer else None,
        names=names,
        allow_unsigned=allow_unsigned,
        pins=report.pins,
    )
    accepted = vouching.accepted_digests()
    kept: list[GroundingBundlePart] = []
    index = 0
    for part in parts:
        lists: dict[str, list[dict[str, Any]]] = {"artifact": [], "attestation": []}
        for kind, items in (("artifact", part.artifacts), ("attestation", part.attestations)):
            for item in items:
                if (part.record, rows[index].digest) in accepted:
                    lists[kind].append(item)
                index += 1
        kept.append(replace(part, artifacts=lists["artifact"], attestations=lists["attestation"]))
    return kept, vouching.refused
