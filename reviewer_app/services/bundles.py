"""Review bundles as use cases: export records to a bundle, verify one, import one.

Export reads in one session and writes the zip atomically, with the exporter's signature over
their own rows and the kept signatures of everyone else's (bundle_trust.py). Import verifies the
bundle, parses and checks every member, judges every row of work against its author's key, and
only then merges the accepted rows in ONE transaction, writing the newly trusted keys last, so
a refused or failed import leaves the workspace and the known signers exactly as they were.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path

from reviewer_app import __version__
from reviewer_app.bundles import (
    BundleError,
    JsonTrustStore,
    Progress,
    ReviewerKeys,
    SigningUnavailable,
    TrustStore,
    VerifyReport,
    verify_bundle,
    write_bundle,
)
from reviewer_app.bundles.key_trust import KnownNames
from reviewer_app.bundles.layout import grounding_member, review_member
from reviewer_app.bundles.verify import Problem, first_seen_note
from reviewer_app.bundles.vouching import RowDecision, reviewer_summary
from reviewer_app.config import data_dir, pdf_store_dir
from reviewer_app.credentials import CredentialStore
from reviewer_app.errors import NotFound, ReviewerAppError
from reviewer_app.services.bundle_export import ExportInput, bundle_members
from reviewer_app.services.bundle_grounding import (
    bundle_grounding_members,
    merge_grounding_parts,
    parse_grounding,
    store_bundle_artifacts,
)
from reviewer_app.services.bundle_import import ParsedBundle, parse_bundle
from reviewer_app.services.bundle_trust import (
    ExportSignatures,
    judge,
    known_names,
    present_digests,
    vouched_gate_work,
    vouched_only,
    work_signatures_for_export,
)
from reviewer_app.storage.bundle_merge import BundleMerger, RecordMerge
from reviewer_app.storage.bundle_repository import review_documents, tier_policy_documents
from reviewer_app.storage.database import Database
from reviewer_app.storage.records_repository import load_revision, record_key
from reviewer_app.storage.reviewers_repository import reviewer_named
from reviewer_app.storage.trust_repository import keep_work_signatures
from reviewer_app.wording import counted

TRUST_FILE_NAME = "known-signers.json"
_INTEGRITY = frozenset({"missing", "altered", "unexpected"})


def default_trust_store() -> JsonTrustStore:
    return JsonTrustStore(data_dir() / TRUST_FILE_NAME)


class SigningReadiness(Enum):
    READY = "ready"
    NO_KEYRING = "no-keyring"
    """No secure system keyring (a headless machine, no desktop password manager running)."""
    KEY_UNUSABLE = "key-unusable"
    """A keyring exists but the reviewer's key cannot be read or kept there (damaged, locked)."""


@dataclass(frozen=True)
class ExportResult:
    path: Path
    records: list[str]
    signed: bool
    fingerprint: str | None
    pdfs_included: int
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ImportResult:
    path: Path
    exporter: str
    signer_fingerprint: str | None
    records: list[RecordMerge]
    policies_added: int
    pdfs_stored: int
    warnings: list[str]
    refused: list[RowDecision] = field(default_factory=list)
    """Rows of work left out: no acceptable key of their author vouches for them."""
    unvouched: list[RowDecision] = field(default_factory=list)
    """Rows imported that no key vouches for (only with ``allow_unsigned``)."""
    pinned: dict[str, str] = field(default_factory=dict)
    """First-seen keys now remembered (reviewer: fingerprint)."""

    @property
    def added(self) -> Counter[str]:
        """Rows added per kind over all records."""
        total: Counter[str] = Counter()
        for merge in self.records:
            total.update(merge.added)
        return total


class BundleService:
    def __init__(
        self,
        database: Database,
        *,
        trust: TrustStore | None = None,
        credentials: CredentialStore | None = None,
    ) -> None:
        self.database = database
        self.trust = trust or default_trust_store()
        self.credentials = credentials or CredentialStore()

    def export(
        self,
        record_ids: Iterable[str],
        out: Path | str,
        *,
        reviewer: str,
        include_pdfs: bool = False,
        pdf_store_root: Path | None = None,
        allow_unsigned: bool = False,
        progress: Progress | None = None,
        created: datetime | None = None,
    ) -> ExportResult:
        """Write the records' bundle to ``out``, signed by ``reviewer``'s key.

        Raises ``SigningUnavailable`` when no key can be kept and ``allow_unsigned`` is False,
        ``NotFound`` for an unknown id, ``BundleError`` when a PDF or the file cannot be written.
        """
        out = Path(out)
        reviewer = reviewer.strip()
        if not reviewer:
            raise ReviewerAppError("name the reviewer who exports the bundle")
        ids = list(dict.fromkeys(record_key(i) for i in record_ids if i.strip()))
        if not ids:
            raise ReviewerAppError("name at least one record to export")
        signer, warnings = self._signer(reviewer, allow_unsigned)
        moment = (created or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
        with self.database.reading() as session:
            heads = {}
            for record_id in ids:
                info = load_revision(session, record_id)
                if info is None:
                    raise NotFound(f"no record '{record_id}' in {self.database.url}")
                heads[record_id] = info.record
            documents = list(review_documents(session, heads, include_pdfs=include_pdfs))
            versions = {t["policy_version"] for _, r, _ in documents for t in r["tier_results"]}
            policies = tier_policy_documents(session, versions)
            exporter = reviewer_named(session, reviewer)
            signatures = work_signatures_for_export(
                session,
                documents,
                exporter=reviewer,
                signer=signer,
                signed=moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
            )
        warnings.extend(_unsigned_warnings(signatures.unsigned))
        reviews = {record_id: review for record_id, review, _ in documents}
        pdfs = {}
        if include_pdfs:
            wanted = {s["sha256"] for r in reviews.values() for s in r["sources"]}
            pdfs = _read_pdfs(wanted, pdf_store_root or pdf_store_dir(), out)
        members = bundle_members(
            ExportInput(
                heads=heads,
                reviews=reviews,
                annotations={record_id: spans for record_id, _, spans in documents},
                policies=policies,
                pdfs=pdfs,
                exporter=reviewer,
                exporter_orcid=exporter.orcid if exporter else None,
                app_version=__version__,
                created=moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
                extra_members={
                    **signatures.members,
                    **bundle_grounding_members(self.database, ids, pdf_store_root, out),
                },
            )
        )
        write_bundle(
            out,
            members,
            app_version=__version__,
            reviewer=reviewer,
            signer=signer,
            progress=progress,
            created=moment,
        )
        if signer is not None:
            warnings.extend(self._keep_own_work(signer, signatures))
        return ExportResult(
            path=out,
            records=ids,
            signed=signer is not None,
            fingerprint=signer.fingerprint if signer else None,
            pdfs_included=len(pdfs),
            warnings=warnings,
        )

    def verify(self, path: Path | str) -> VerifyReport:
        """Hashes, signature, the signer's key, and every row of work against its author's key,
        with what the bundle would add per reviewer. ``BundleError`` if it cannot be read."""
        with self.database.reading() as session:
            names = known_names(session, self.trust)
            report = self._verify_envelope(path, names)
            if not report.intact:
                return report
            try:
                parsed = parse_bundle(report.contents)
            except BundleError as exc:
                report.problems.append(Problem("malformed", None, exc.reason))
                return report
            for member, problem in parsed.bad_work_signatures:
                report.problems.append(Problem("signature", member, f"{member} {problem}"))
            vouching = judge(parsed, report, names, allow_unsigned=False)
            present = present_digests(session, [r.review["record"] for r in parsed.records])
            try:
                gate_parts = parse_grounding(
                    report.contents, {item.review["record"] for item in parsed.records}
                )
            except BundleError as exc:
                report.problems.append(Problem("malformed", None, exc.reason))
                gate_parts = []
            _, gate_refused = vouched_gate_work(gate_parts, report, names, allow_unsigned=False)
        report.reviewers.extend(reviewer_summary(vouching, present, _signer_name(report)))
        for decision in gate_refused:
            row = decision.row
            report.problems.append(
                Problem(
                    "unvouched",
                    grounding_member(_stem_of(parsed, row.record)),
                    f"{decision.author}\t{row.record}\t{row.label}: {decision.reason}",
                )
            )
        for decision in vouching.refused:
            row = decision.row
            report.problems.append(
                Problem(
                    "unvouched",
                    review_member(_stem_of(parsed, row.record)),
                    f"{decision.author}\t{row.record}\t{row.label}: {decision.reason}",
                )
            )
        return report

    def _verify_envelope(self, path: Path | str, names: KnownNames) -> VerifyReport:
        return verify_bundle(
            path, self.trust, local_reviewers=names.local, workspace_reviewers=names.workspace
        )

    def import_bundle(
        self,
        path: Path | str,
        *,
        allow_unsigned: bool = False,
        pdf_store_root: Path | None = None,
        progress: Progress | None = None,
    ) -> ImportResult:
        """Merge the bundle's vouched-for work into the workspace in one transaction, together
        with the keys it teaches the trust store; ``BundleError`` refuses the whole bundle.
        Rows no acceptable key vouches for are left out and listed in ``refused``.

        ``progress(done, total)`` is called inside the transaction before each record and once
        more before the commit: an exception it raises (a cancel) rolls everything back."""
        path = Path(path)
        with self.database.reading() as session:
            report = self._verify_envelope(path, known_names(session, self.trust))
        _refuse_unverified(report, allow_unsigned)
        parsed = parse_bundle(report.contents)
        gate_parts = parse_grounding(
            report.contents, {item.review["record"] for item in parsed.records}
        )
        manifest = report.contents.manifest
        exporter, created = manifest["reviewer"], manifest["created"]
        report_step = progress or (lambda _done, _total: None)
        snapshot: bytes | None = None
        pinned = False
        try:
            with self.database.transaction() as session:
                names = known_names(session, self.trust)
                vouching = judge(parsed, report, names, allow_unsigned=allow_unsigned)
                accepted = vouched_only(parsed, vouching)
                merger = BundleMerger(
                    session,
                    origin=f"bundle {created} {exporter}",
                    source_name=f"{path.name} (bundle from {exporter})",
                )
                total = len(accepted.records)
                report_step(0, total)
                policies_added = merger.merge_policies(accepted.policies)
                merges = []
                for done, item in enumerate(accepted.records, start=1):
                    merges.append(merger.merge_record(item.record, item.review, item.annotations))
                    session.flush()  # the work happens before the step that may cancel it
                    report_step(done, total)
                gate_kept, gate_refused = vouched_gate_work(
                    gate_parts, report, names, allow_unsigned=allow_unsigned
                )
                merge_grounding_parts(session, gate_kept, merges, origin=merger.origin)
                keep_work_signatures(session, vouching.signatures)
                # the trust store is written last, and put back if the commit then fails
                snapshot = self.trust.snapshot()
                pinned = True
                self.trust.remember_all(vouching.pins)
        except BaseException:
            if pinned:
                self.trust.restore(snapshot)
            raise
        before = {first_seen_note(n, f, remembered=False) for n, f in report.pins.items()}
        warnings = [w for w in report.warnings if w not in before]
        warnings += [first_seen_note(n, f, remembered=True) for n, f in vouching.pins.items()]
        warnings += merger.warnings
        warnings.extend(
            f"{m} {p}; its rows are signed by nobody" for m, p in parsed.bad_work_signatures
        )
        stored = _store_pdfs(parsed, pdf_store_root or pdf_store_dir(), warnings)
        store_bundle_artifacts(report.contents, warnings)
        return ImportResult(
            path=path,
            exporter=exporter,
            signer_fingerprint=report.signer.fingerprint if report.signer else None,
            records=merges,
            policies_added=policies_added,
            pdfs_stored=stored,
            warnings=warnings,
            refused=[*vouching.refused, *gate_refused],
            unvouched=vouching.unvouched,
            pinned=dict(vouching.pins),
        )

    def _keep_own_work(self, signer: ReviewerKeys, signatures: ExportSignatures) -> list[str]:
        """Enter the exporter's own key in the trust store at their first signed export, so
        that no bundle can pin another key for them, and keep their work signature in the
        workspace, so that a colleague's export from it can forward their work signed."""
        with self.database.transaction() as session:
            keep_work_signatures(session, signatures.own)
        own = self.trust.own_reviewers().get(signer.reviewer)
        if own == signer.fingerprint:
            return []
        if own is not None:
            return [
                f"Your signing key has changed since your first export: the trust store holds "
                f"{own} as {signer.reviewer!r}'s own key, this bundle is signed with "
                f"{signer.fingerprint}. Recipients will see a changed key."
            ]
        previous = self.trust.known_key(signer.reviewer)
        self.trust.remember_all({signer.reviewer: signer.fingerprint}, own=True)
        if previous is not None and previous != signer.fingerprint:
            return [
                f"The key remembered for {signer.reviewer!r} ({previous}) was not your own; "
                f"your own key {signer.fingerprint} replaces it. Bundles signed with the old "
                "key will be refused."
            ]
        return []

    def signing_readiness(self, reviewer: str) -> SigningReadiness:
        """Whether ``reviewer`` can sign an export now, asked BEFORE any export starts so the
        window can put its question first; makes and keeps the key on first use, as export would."""
        try:
            ReviewerKeys.load_or_create(reviewer.strip(), self.credentials)
        except SigningUnavailable:
            if self.credentials.available:
                return SigningReadiness.KEY_UNUSABLE
            return SigningReadiness.NO_KEYRING
        return SigningReadiness.READY

    def _signer(self, reviewer: str, allow_unsigned: bool) -> tuple[ReviewerKeys | None, list[str]]:
        try:
            return ReviewerKeys.load_or_create(reviewer, self.credentials), []
        except SigningUnavailable as exc:
            if not allow_unsigned:
                raise SigningUnavailable(
                    f"{exc} The bundle was not written; confirm an unsigned export "
                    "(--allow-unsigned) to write it without a signature."
                ) from exc
            return None, [f"The bundle is NOT signed: {exc}"]


def _refuse_unverified(report: VerifyReport, allow_unsigned: bool) -> None:
    integrity = [p for p in report.problems if p.kind in _INTEGRITY]
    if integrity:
        raise BundleError(
            report.path,
            "refused, the bundle failed verification: " + "; ".join(p.message for p in integrity),
        )
    signature = [
        p for p in report.problems if p.kind in ("signature", "key-changed", "impersonation")
    ]
    if signature:
        raise BundleError(report.path, "refused: " + "; ".join(p.message for p in signature))
    if not report.signed and not allow_unsigned:
        raise BundleError(
            report.path,
            "refused: the bundle is intact but not signed, so nothing shows who made it; "
            "import it only if you trust its source (--allow-unsigned)",
        )


def _signer_name(report: VerifyReport) -> str | None:
    return report.signer.reviewer if report.signer else None


def _stem_of(parsed: ParsedBundle, record_id: str) -> str:
    return next(item.stem for item in parsed.records if item.review["record"] == record_id)


def _unsigned_warnings(unsigned: dict[str, int]) -> list[str]:
    if not unsigned:
        return []
    listed = ", ".join(f"{author} ({counted(n, 'row')})" for author, n in unsigned.items())
    return [
        f"Work of {listed} is not signed by its author (no signature of theirs came with it); "
        "recipients will refuse those rows."
    ]


def _read_pdfs(wanted: set[str], root: Path, out: Path) -> dict[str, bytes]:
    from reviewer_app.pdf.errors import PdfError  # PyMuPDF loads only when PDFs are included
    from reviewer_app.pdf.store import PdfStore

    store = PdfStore(root)
    pdfs = {}
    for sha256 in sorted(wanted):
        try:
            pdfs[sha256] = store.verify(sha256).read_bytes()
        except (PdfError, OSError) as exc:
            raise BundleError(
                out,
                f"cannot include source PDF {sha256}: {exc}. Attach it again, or export "
                "without --include-pdfs to reference it by hash only",
            ) from exc
    return pdfs


def _store_pdfs(parsed: ParsedBundle, root: Path, warnings: list[str]) -> int:
    """Add the bundle's PDFs to the content-addressed store (after the commit: adding is
    idempotent, so a PDF stored for an import that then failed would only be unused)."""
    if not parsed.pdfs:
        return 0
    from reviewer_app.pdf.errors import PdfError
    from reviewer_app.pdf.store import PdfStore

    store = PdfStore(root)
    stored = 0
    for sha256, data in sorted(parsed.pdfs.items()):
        if store.contains(sha256):
            continue
        root.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".bundle-", suffix=".pdf", dir=root)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            store.add(Path(temp))
            stored += 1
        except (PdfError, OSError) as exc:
            warnings.append(f"source PDF {sha256} from the bundle was not stored: {exc}")
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temp)
    return stored
