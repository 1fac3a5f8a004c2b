"""Attaching source PDFs to a record's references: by hand, by folder scan or by download."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from reviewer_app.domain.records import Reference
from reviewer_app.errors import ReviewerAppError
from reviewer_app.pdf import PdfError, PdfStore, PdfUnreadable, ReanchorReport, StoredPdf, open_pdf
from reviewer_app.pdf.damage import mupdf_reason
from reviewer_app.pdf.store import StagedPdf
from reviewer_app.pdf.text_layer import MUPDF_ERRORS
from reviewer_app.services import arxiv
from reviewer_app.services.review_lookup import (
    default_reviewer,
    require_record,
    require_reviewer,
    resolve_reference,
)
from reviewer_app.services.review_types import AttachedSource, AttachResult, SourceSlot
from reviewer_app.services.source_matching import SourceMatch, match_file_name, match_first_page
from reviewer_app.services.span_anchoring import anchor_spans
from reviewer_app.services.text_layers import TextLayers
from reviewer_app.storage import sources_repository as sources_repo
from reviewer_app.storage import span_repository as span_repo
from reviewer_app.storage.database import Database, UnitOfWork
from reviewer_app.storage.records_repository import record_key

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
        for source in attached:
            by_url.setdefault(source.reference_url, []).append(source)
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
        self, record_id: str, pdf_path: Path, *, reference_url: str | None, reviewer: str | None,
        fallback_url: str | None = None,
    ) -> AttachResult:  # fmt: skip
        """Attach ``pdf_path`` to the record: to ``reference_url`` when given, else to the
        reference whose arXiv id is in the file, else to ``fallback_url`` (the reference on
        screen). The file enters the store only as part of the database transaction that
        records it: a refused attach leaves no file behind."""
        pdf_path = Path(pdf_path)
        key = record_key(record_id)
        with self.database.reading() as session:
            record = require_record(session, record_id)
        given = resolve_reference(record, key, reference_url) if reference_url else None
        fallback = resolve_reference(record, key, fallback_url) if fallback_url else None
        # refuses corrupt, locked or unloadable files before anything is stored
        with self.store.staging(pdf_path) as staged:
            match = _match(list(record.references) if given is None else [given], pdf_path, staged)
            kept: list[StoredPdf] = []
            try:
                with self.database.transaction() as session:
                    result = self._record_attachment(
                        session, key, pdf_path, staged, (given, fallback), match, reviewer, kept
                    )
            except BaseException:
                for stored in kept:
                    self.store.discard(stored)
                raise
        return replace(result, warnings=staged.warnings)

    def _record_attachment(
        self,
        session: UnitOfWork,
        key: str,
        pdf_path: Path,
        staged: StagedPdf,
        references: tuple[Reference | None, Reference | None],
        match: SourceMatch | None,
        reviewer: str | None,
        kept: list[StoredPdf],
    ) -> AttachResult:
        given, fallback = references
        # An arXiv id in the file wins over the reference on screen (the fallback).
        reference = given or (match.reference if match else fallback)
        earlier = sources_repo.find_file(session, key, staged.sha256)
        wanted = given or (None if match else fallback)
        if earlier is not None and (wanted is None or earlier.reference_url == wanted.url):
            self.store.keep(staged)  # puts back a stored copy deleted or altered since
            return AttachResult(earlier, None, already_attached=True)
        who = require_reviewer(session, reviewer or default_reviewer())
        if earlier is None:
            attached = sources_repo.add_file(
                session,
                record_id=key,
                sha256=staged.sha256,
                file_name=pdf_path.name,
                size=staged.size,
                page_count=staged.page_count,
                attached_by=who,
                reference_url=reference.url if reference else None,
                arxiv_id=reference.arxiv_id if reference else None,
                arxiv_version=match.version if match else None,
            )
        else:  # attached before, now explicitly for another reference
            attached = sources_repo.reattach_file(
                session,
                record_id=key,
                sha256=staged.sha256,
                reference_url=reference.url if reference else None,
                arxiv_id=reference.arxiv_id if reference else None,
                arxiv_version=match.version if match else None,
                attached_by=who,
            )
        # the row is in: the file goes under its real name (re-anchoring reads it from there)
        kept.append(self.store.keep(staged))
        report = self._reanchor_onto(session, key, attached.sha256) if reference else None
        return AttachResult(attached, report)

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

    def _reanchor_onto(
        self, session: UnitOfWork, record_id: str, sha256: str
    ) -> ReanchorReport | None:
        """Re-anchor the spans marked on the reference's other files in the new file."""
        others = sources_repo.sibling_shas(session, record_id, sha256)
        if not others:
            return None
        found = span_repo.spans_to_reanchor(session, record_id, others)
        if not found:
            return ReanchorReport(())
        spans = [span for span, _ in found]
        results = anchor_spans(session, spans, sha256, self.layers.get(sha256))
        return ReanchorReport(tuple(a for a, (_, live) in zip(results, found, strict=True) if live))


def _match(references: list[Reference], path: Path, staged: StagedPdf) -> SourceMatch | None:
    return match_file_name(references, path.name) or _match_first_page(references, staged.path)


def _match_first_page(references: list[Reference], path: Path) -> SourceMatch | None:
    if not any(r.arxiv_id for r in references):
        return None
    with open_pdf(path) as document:
        try:
            text = document.page(0).get_text()
        except MUPDF_ERRORS as exc:  # a damaged first page: refused, not a traceback
            reason = f"its first page cannot be read ({mupdf_reason(exc)})"
            raise PdfUnreadable(path, reason) from exc
        return match_first_page(references, text)


def _skip(on_skipped: SkipReport | None, path: Path, reason: str) -> None:
    if on_skipped:
        on_skipped(path, reason)
