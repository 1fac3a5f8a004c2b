"""The review loop's one service: sources, evidence spans and claim verdicts of a record.

Every write is one transaction, committed before the method returns (the app autosaves:
killing it loses nothing), and records who made the change and when. Bad record ids, claim
positions, span ids or files raise a ``ReviewerAppError`` and leave the database unchanged.

The work is split by topic (``sources``, ``evidence``, ``verdicts``); this class is the door
the CLI and the review window use.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from reviewer_app.config import pdf_store_dir
from reviewer_app.domain.evidence import ClaimVerdict, EvidenceSpan, Stance, Verdict
from reviewer_app.pdf import DocumentText, PdfStore, TextSpan
from reviewer_app.services import arxiv
from reviewer_app.services.evidence import Evidence
from reviewer_app.services.review_lookup import default_reviewer
from reviewer_app.services.review_types import (
    AttachedSource,
    AttachResult,
    ClaimState,
    EvidenceRefused,
    QuoteNotFound,
    SourceSlot,
    SpanView,
)
from reviewer_app.services.sources import Progress, SkipReport, Sources
from reviewer_app.services.text_layers import TextLayers
from reviewer_app.services.verdicts import Verdicts
from reviewer_app.services.workspace import Workspace
from reviewer_app.storage.database import Database

__all__ = [
    "AttachResult",
    "AttachedSource",
    "ClaimState",
    "EvidenceRefused",
    "QuoteNotFound",
    "ReviewService",
    "SourceSlot",
    "SpanView",
    "default_reviewer",
    "pdf_store_dir",
]


class ReviewService:
    def __init__(self, database: Database, pdf_store: PdfStore) -> None:
        self.database = database
        self.pdf_store = pdf_store
        layers = TextLayers(pdf_store, database=database)
        self._layers = layers
        self._sources = Sources(database, pdf_store, layers)
        self._evidence = Evidence(database, layers)
        self._verdicts = Verdicts(database)

    @classmethod
    def for_workspace(cls, workspace: Workspace) -> ReviewService:
        """The service for ``workspace``, with PDFs stored in the app's data directory."""
        return cls(workspace.database, PdfStore(pdf_store_dir()))

    def text_layer(self, sha256: str) -> DocumentText:
        """The text layer of a stored PDF: the one kept with its passage index when it has
        one, else read from the file (seconds for a long manual: call it off the GUI thread)."""
        return self._layers.get(sha256)

    # -- sources ---------------------------------------------------------------------------
    def source_slots(self, record_id: str) -> list[SourceSlot]:
        """One slot per reference of the record (in its order), each with its files newest
        first; files matching no reference come last in a slot whose ``reference_url`` is None."""
        return self._sources.slots(record_id)

    def attach_pdf(
        self,
        record_id: str,
        pdf_path: Path,
        *,
        reference_url: str | None = None,
        reviewer: str | None = None,
        fallback_url: str | None = None,
    ) -> AttachResult:
        """Store the PDF (by SHA-256) and attach it to the record.

        Without ``reference_url`` the reference is matched by the arXiv id in the file name,
        else on the first page; a file matching none goes to ``fallback_url`` (the reference
        on screen) or, without one, is attached without a reference. When the reference
        already had another file, its spans are re-anchored in the new one. A corrupt or
        password-protected file raises ``PdfUnreadable`` and stores nothing.
        """
        return self._sources.attach(
            record_id, pdf_path, reference_url=reference_url, reviewer=reviewer,
            fallback_url=fallback_url,
        )  # fmt: skip

    def scan_folder(
        self,
        record_id: str,
        folder: Path,
        *,
        reviewer: str | None = None,
        progress: Progress | None = None,
        on_skipped: SkipReport | None = None,
    ) -> list[AttachResult]:
        """Attach the PDFs in ``folder`` that name one of the record's arXiv references.

        ``progress(done, total)`` after each file; ``on_skipped(path, reason)`` for each file
        left alone (no matching reference, unreadable)."""
        return self._sources.scan_folder(
            record_id, folder, reviewer=reviewer, progress=progress, on_skipped=on_skipped
        )

    def download_source(
        self,
        record_id: str,
        reference_url: str,
        *,
        reviewer: str | None = None,
        progress: arxiv.DownloadProgress | None = None,
        cancelled: Callable[[], bool] | None = None,
        base_url: str = arxiv.ARXIV_URL,
        timeout: float = arxiv.DEFAULT_TIMEOUT,
    ) -> AttachResult:
        """Download the reference's arXiv PDF and attach it (``DownloadFailed`` if not)."""
        return self._sources.download(
            record_id,
            reference_url,
            reviewer=reviewer,
            progress=progress,
            cancelled=cancelled,
            base_url=base_url,
            timeout=timeout,
        )

    def source_path(self, sha256: str) -> Path:
        """The stored file, re-hashed first (``StoredPdfMissing``/``StoredPdfAltered``)."""
        return self.pdf_store.verify(sha256)

    # -- claims and verdicts ---------------------------------------------------------------
    def claim_states(self, record_id: str, reviewer: str) -> list[ClaimState]:
        return self._verdicts.claim_states(record_id, reviewer)

    def set_verdict(
        self,
        record_id: str,
        claim_position: int,
        *,
        reviewer: str,
        verdict: Verdict | str | None,
        reason: str | None = None,
        note: str | None = None,
    ) -> ClaimVerdict | None:
        """Set (or with None, clear) the reviewer's verdict on a claim.

        Any verdict but not-enough-evidence is refused (``EvidenceRefused``) unless the
        reviewer has a live evidence span on the claim or gives a ``reason``."""
        return self._verdicts.set(
            record_id, claim_position, reviewer=reviewer, verdict=verdict, reason=reason, note=note
        )

    def verdict_history(
        self, record_id: str, claim_position: int, reviewer: str
    ) -> list[ClaimVerdict]:
        return self._verdicts.history(record_id, claim_position, reviewer)

    # -- evidence --------------------------------------------------------------------------
    def add_span(
        self,
        record_id: str,
        claim_position: int,
        *,
        reviewer: str,
        source_sha256: str,
        span: TextSpan,
        doc_text: DocumentText,
        stance: Stance | str,
        note: str | None = None,
    ) -> EvidenceSpan:
        """Mark ``span`` of the attached file ``source_sha256`` (whose text layer is
        ``doc_text``) as evidence; it is also placed in the reference's other files."""
        return self._evidence.add(
            record_id,
            claim_position,
            reviewer=reviewer,
            source_sha256=source_sha256,
            span=span,
            doc_text=doc_text,
            stance=stance,
            note=note,
        )

    def remove_span(self, span_id: str) -> None:
        """Soft delete: the span stays stored (for undo, history and bundles)."""
        self._evidence.set_removed(span_id, True)

    def restore_span(self, span_id: str) -> None:
        self._evidence.set_removed(span_id, False)

    def spans(
        self,
        record_id: str,
        *,
        claim_position: int | None = None,
        source_sha256: str | None = None,
        reviewer: str | None = None,
        include_removed: bool = False,
    ) -> list[SpanView]:
        """Evidence spans of the record, by claim and in order of marking.

        With ``source_sha256``: the spans to draw on that file, i.e. those marked on it
        (status ``original``) and those marked on other files of the same reference, where
        they were re-anchored (``exact``/``moved``/``changed``) or ``orphan`` (kept, listed,
        not drawable)."""
        return self._evidence.views(
            record_id,
            claim_position=claim_position,
            source_sha256=source_sha256,
            reviewer=reviewer,
            include_removed=include_removed,
        )

    def annotate_quote(
        self,
        record_id: str,
        claim_position: int,
        *,
        pdf: Path | str,
        quote: str,
        stance: Stance | str,
        reviewer: str,
        note: str | None = None,
    ) -> EvidenceSpan:
        """Mark the passage ``quote`` of an attached file (a path to it, or its SHA-256).

        Whitespace, line breaks, hyphenation, ligatures and curly quotes do not matter; the
        first occurrence is taken. ``QuoteNotFound`` when it is not there."""
        return self._evidence.annotate_quote(
            record_id,
            claim_position,
            pdf=pdf,
            quote=quote,
            stance=stance,
            reviewer=reviewer,
            note=note,
        )

    def annotations(self, record_id: str) -> list[dict[str, Any]]:
        """The record's live evidence spans as W3C Web Annotations (JSON-LD)."""
        return self._evidence.annotations(record_id)
