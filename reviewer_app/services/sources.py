"""Attaching source PDFs to a record's references: by hand, by folder scan or by download."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from reviewer_app.domain.records import Reference
from reviewer_app.errors import ReviewerAppError
from reviewer_app.pdf import PdfError, PdfStore, ReanchorReport, StoredPdf, open_pdf
from reviewer_app.services import arxiv
from reviewer_app.services.review_lookup import (
    default_reviewer,
    require_record,
    resolve_reference,
    reviewer_row,
)
from reviewer_app.services.review_types import AttachedSource, AttachResult, SourceSlot
from reviewer_app.services.source_matching import SourceMatch, match_file_name, match_first_page
from reviewer_app.services.span_anchoring import store_anchorings
from reviewer_app.services.text_layers import TextLayers
from reviewer_app.storage import evidence_repository as evidence_repo
from reviewer_app.storage import sources_repository as sources_repo
from reviewer_app.storage.database import Database
from reviewer_app.storage.records_repository import record_key
from reviewer_app.storage.review_models import SourceFileRow
from reviewer_app.storage.row_values import as_utc

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

Progress = Callable[[int, int], None]
SkipReport = Callable[[Path, str], None]


class Sources:
    def __init__(self, database: Database, store: PdfStore, layers: TextLayers) -> None:
        self.database = database
        self.store = store
        self.layers = layers

    def slots(self, record_id: str) -> list[SourceSlot]:
        with self.database.reading() as session:
            record = require_record(session, record_id)
            attached = sources_repo.attached_files(session, record_key(record_id))
        by_url: dict[str | None, list[AttachedSource]] = {}
        for row, attached_by in attached:
            by_url.setdefault(row.reference_url, []).append(_attached(row, attached_by))
        references = list({r.url: r for r in record.references}.values())
        # files kept from an earlier revision's references, then files matching none
        known = {r.url for r in references}
        references += [Reference.from_url(url) for url in by_url if url and url not in known]
        slots = [
            SourceSlot(r.url, r.arxiv_id, r.arxiv_version, by_url.get(r.url, []))
            for r in references
        ]
        if None in by_url:
            slots.append(SourceSlot(None, None, None, by_url[None]))
        return slots

    def attach(
        self, record_id: str, pdf_path: Path, *, reference_url: str | None, reviewer: str | None
    ) -> AttachResult:
        pdf_path = Path(pdf_path)
        key = record_key(record_id)
        with self.database.reading() as session:
            record = require_record(session, record_id)
        given = resolve_reference(record, key, reference_url) if reference_url else None
        stored = self.store.add(pdf_path)  # refuses corrupt or locked files: nothing stored
        match = _match(list(record.references) if given is None else [given], pdf_path, stored)
        reference = given or (match.reference if match else None)
        with self.database.transaction() as session:
            row = sources_repo.find_file(session, key, stored.sha256)
            if row is not None and (given is None or row.reference_url == given.url):
                attached_by = sources_repo.reviewer_name(session, row.attached_by)
                return AttachResult(_attached(row, attached_by), None, already_attached=True)
            who = reviewer_row(session, reviewer or default_reviewer())
            values = {
                "reference_url": reference.url if reference else None,
                "arxiv_id": reference.arxiv_id if reference else None,
                "arxiv_version": match.version if match else None,
            }
            if row is None:
                row = sources_repo.add_file(
                    session,
                    record_id=key,
                    sha256=stored.sha256,
                    file_name=pdf_path.name,
                    size=stored.size,
                    page_count=stored.page_count,
                    attached_by=who.id,
                    **values,
                )
            else:  # attached before, now explicitly for another reference
                for name, value in values.items():
                    setattr(row, name, value)
                row.attached_at, row.attached_by = datetime.now(UTC), who.id
            report = self._reanchor_onto(session, row) if reference else None
            return AttachResult(_attached(row, who.name), report)

    def scan_folder(
        self,
        record_id: str,
        folder: Path,
        *,
        reviewer: str | None,
        progress: Progress | None = None,
        on_skipped: SkipReport | None = None,
    ) -> list[AttachResult]:
        """Attach each PDF in ``folder`` (not its subfolders) that names one of the record's
        arXiv references in its file name or first page; others are reported to ``on_skipped``."""
        folder = Path(folder)
        if not folder.is_dir():
            raise ReviewerAppError(f"{folder}: not a folder")
        with self.database.reading() as session:
            references = list(require_record(session, record_id).references)
        pdfs = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".pdf")
        results: list[AttachResult] = []
        for done, path in enumerate(pdfs, start=1):
            try:
                match = match_file_name(references, path.name) or _match_first_page(
                    references, path
                )
                if match is None:
                    _skip(on_skipped, path, "names none of the record's arXiv references")
                else:
                    results.append(
                        self.attach(
                            record_id, path, reference_url=match.reference.url, reviewer=reviewer
                        )
                    )
            except PdfError as exc:
                _skip(on_skipped, path, exc.reason)
            if progress:
                progress(done, len(pdfs))
        return results

    def download(
        self,
        record_id: str,
        reference_url: str,
        *,
        reviewer: str | None,
        progress: arxiv.DownloadProgress | None = None,
        cancelled: Callable[[], bool] | None = None,
        base_url: str = arxiv.ARXIV_URL,
        timeout: float = arxiv.DEFAULT_TIMEOUT,
    ) -> AttachResult:
        with self.database.reading() as session:
            record = require_record(session, record_id)
        reference = resolve_reference(record, record_key(record_id), reference_url)
        if reference.arxiv_id is None:
            raise ReviewerAppError(
                f"{reference.url} is not an arXiv paper; attach its PDF from a file instead"
            )
        with tempfile.TemporaryDirectory(prefix="reviewer-app-download-") as temp:
            path = arxiv.download_arxiv_pdf(
                reference.arxiv_id,
                reference.arxiv_version,
                Path(temp),
                base_url=base_url,
                progress=progress,
                cancelled=cancelled,
                timeout=timeout,
            )
            return self.attach(record_id, path, reference_url=reference.url, reviewer=reviewer)

    def _reanchor_onto(self, session: Session, row: SourceFileRow) -> ReanchorReport | None:
        """Re-anchor the spans marked on the reference's other files in the new file."""
        others = sources_repo.sibling_shas(session, row.record_id, row.sha256)
        if not others:
            return None
        found = evidence_repo.find_spans(
            session,
            row.record_id,
            sources=others,
            include_removed=True,  # so that a span restored by undo is placed as well
        )
        spans = [span for span, _ in found]
        if not spans:
            return ReanchorReport(())
        results = store_anchorings(session, spans, row.sha256, self.layers.get(row.sha256))
        return ReanchorReport(
            tuple(a for a, s in zip(results, spans, strict=True) if s.removed_at is None)
        )


def _match(references: list[Reference], path: Path, stored: StoredPdf) -> SourceMatch | None:
    return match_file_name(references, path.name) or _match_first_page(references, stored.path)


def _match_first_page(references: list[Reference], path: Path) -> SourceMatch | None:
    if not any(r.arxiv_id for r in references):
        return None
    with open_pdf(path) as document:
        return match_first_page(references, document.page(0).get_text())


def _skip(on_skipped: SkipReport | None, path: Path, reason: str) -> None:
    if on_skipped:
        on_skipped(path, reason)


def _attached(row: SourceFileRow, attached_by: str | None) -> AttachedSource:
    return AttachedSource(
        sha256=row.sha256,
        file_name=row.file_name,
        reference_url=row.reference_url,
        arxiv_id=row.arxiv_id,
        arxiv_version=row.arxiv_version,
        size=row.size,
        page_count=row.page_count,
        attached_at=as_utc(row.attached_at),
        attached_by=attached_by,
    )
