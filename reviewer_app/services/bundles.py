"""Review bundles as use cases: export records to a bundle, verify one, import one.

Export reads in one session and writes the zip atomically. Import verifies the bundle, parses
and checks every member, and only then merges everything in ONE transaction, so a refused or
failed import leaves the workspace exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
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
from reviewer_app.config import data_dir
from reviewer_app.credentials import CredentialStore
from reviewer_app.errors import NotFound, ReviewerAppError
from reviewer_app.services.bundle_export import ExportInput, bundle_members
from reviewer_app.services.bundle_import import ParsedBundle, parse_bundle
from reviewer_app.storage.bundle_merge import BundleMerger, RecordMerge
from reviewer_app.storage.bundle_repository import review_documents, tier_policy_documents
from reviewer_app.storage.database import Database
from reviewer_app.storage.records_repository import load_revision, record_key
from reviewer_app.storage.reviewers_repository import find_reviewer

TRUST_FILE_NAME = "known-signers.json"
_INTEGRITY = frozenset({"missing", "altered", "unexpected"})


def default_trust_store() -> JsonTrustStore:
    return JsonTrustStore(data_dir() / TRUST_FILE_NAME)


def default_pdf_store_root() -> Path:
    """Where attached source PDFs are kept (content-addressed, ``ab/cdef….pdf``)."""
    return data_dir() / "pdfs"


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
            exporter_row = find_reviewer(session, reviewer)
        reviews = {record_id: review for record_id, review, _ in documents}
        pdfs = {}
        if include_pdfs:
            wanted = {s["sha256"] for r in reviews.values() for s in r["sources"]}
            pdfs = _read_pdfs(wanted, pdf_store_root or default_pdf_store_root(), out)
        members = bundle_members(
            ExportInput(
                heads=heads,
                reviews=reviews,
                annotations={record_id: spans for record_id, _, spans in documents},
                policies=policies,
                pdfs=pdfs,
                exporter=reviewer,
                exporter_orcid=exporter_row.orcid if exporter_row else None,
                app_version=__version__,
                created=moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
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
        return ExportResult(
            path=out,
            records=ids,
            signed=signer is not None,
            fingerprint=signer.fingerprint if signer else None,
            pdfs_included=len(pdfs),
            warnings=warnings,
        )

    def verify(self, path: Path | str) -> VerifyReport:
        """Hashes, signature and the signer's known key; ``BundleError`` if it cannot be read."""
        return verify_bundle(path, self.trust)

    def import_bundle(
        self,
        path: Path | str,
        *,
        allow_unsigned: bool = False,
        pdf_store_root: Path | None = None,
    ) -> ImportResult:
        """Merge the bundle into the workspace in one transaction; ``BundleError`` refuses it."""
        path = Path(path)
        report = self.verify(path)
        _refuse_unverified(report, allow_unsigned)
        parsed = parse_bundle(report.contents)
        manifest = report.contents.manifest
        exporter, created = manifest["reviewer"], manifest["created"]
        with self.database.transaction() as session:
            merger = BundleMerger(
                session,
                origin=f"bundle {created} {exporter}",
                source_name=f"{path.name} (bundle from {exporter})",
            )
            policies_added = merger.merge_policies(parsed.policies)
            merges = [
                merger.merge_record(item.record, item.review, item.annotations)
                for item in parsed.records
            ]
        warnings = [*report.warnings, *merger.warnings]
        stored = _store_pdfs(parsed, pdf_store_root or default_pdf_store_root(), warnings)
        return ImportResult(
            path=path,
            exporter=exporter,
            signer_fingerprint=report.signer.fingerprint if report.signer else None,
            records=merges,
            policies_added=policies_added,
            pdfs_stored=stored,
            warnings=warnings,
        )

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
    signature = [p for p in report.problems if p.kind in ("signature", "key-changed")]
    if signature:
        raise BundleError(report.path, "refused: " + "; ".join(p.message for p in signature))
    if not report.signed and not allow_unsigned:
        raise BundleError(
            report.path,
            "refused: the bundle is intact but not signed, so nothing shows who made it; "
            "import it only if you trust its source (--allow-unsigned)",
        )


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
