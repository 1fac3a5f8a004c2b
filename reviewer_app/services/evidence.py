"""Evidence spans: marking, finding by quote, soft removal (for undo), and viewing per file."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reviewer_app.domain.evidence import EvidenceSpan, Stance, to_web_annotation
from reviewer_app.errors import NotFound
from reviewer_app.pdf import (
    DocumentText,
    PdfError,
    TextSpan,
    find_quote,
    make_selectors,
)
from reviewer_app.services.review_lookup import (
    clean_text,
    require_claim,
    require_record,
    reviewer_row,
    sha256_of_pdf,
    stance_of,
)
from reviewer_app.services.review_types import EvidenceRefused, QuoteNotFound, SpanView, span_pages
from reviewer_app.services.span_anchoring import (
    anchored_view,
    original_view,
    store_anchorings,
)
from reviewer_app.services.text_layers import TextLayers
from reviewer_app.storage import evidence_repository as evidence_repo
from reviewer_app.storage import sources_repository as sources_repo
from reviewer_app.storage.database import Database
from reviewer_app.storage.records_repository import record_key
from reviewer_app.storage.review_models import EvidenceSpanRow, SpanAnchorRow
from reviewer_app.storage.reviewers_repository import find_reviewer
from reviewer_app.storage.row_values import continuation_json, evidence_span

_QUOTE_SHOWN = 80


class Evidence:
    def __init__(self, database: Database, layers: TextLayers) -> None:
        self.database = database
        self.layers = layers

    def add(
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
        stance = stance_of(stance)
        if not 0 <= span.start < span.end <= len(doc_text.text):
            raise EvidenceRefused(
                f"the selection {span.start}..{span.end} is empty or outside the document"
            )
        selectors = make_selectors(doc_text, span)
        first, *continuation = span_pages(span)
        key = record_key(record_id)
        with self.database.reading() as session:
            siblings = sources_repo.sibling_shas(session, key, source_sha256)
        # the other versions' text layers are read before the write transaction starts
        layers = {sha: layer for sha in siblings if (layer := self._layer_or_none(sha))}
        with self.database.transaction() as session:
            record = require_record(session, record_id)
            claim = require_claim(record, record_id, claim_position)
            if sources_repo.find_file(session, key, source_sha256) is None:
                raise _not_attached(source_sha256, key)
            who = reviewer_row(session, reviewer)
            row = evidence_repo.add_span(
                session,
                id=str(uuid.uuid4()),
                record_id=key,
                claim_position=claim.position,
                reviewer_id=who.id,
                source_sha256=source_sha256,
                stance=stance.value,
                note=clean_text(note),
                page=first.page,
                quads=[list(q) for q in first.quads],
                continuation=continuation_json(continuation),
                exact=selectors.quote.exact,
                prefix=selectors.quote.prefix,
                suffix=selectors.quote.suffix,
                start=selectors.position.start,
                end=selectors.position.end,
                created_at=datetime.now(UTC),
            )
            for sha, layer in layers.items():
                store_anchorings(session, [row], sha, layer)
            return evidence_span(row, who.name, claim.text)

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
        """Mark the first place ``quote`` occurs (exact case preferred, then any case)."""
        stance = stance_of(stance)
        key = record_key(record_id)
        sha256 = sha256_of_pdf(pdf)
        with self.database.reading() as session:
            require_claim(require_record(session, record_id), record_id, claim_position)
            attached = sources_repo.find_file(session, key, sha256)
        if attached is None:
            raise NotFound(
                f"{pdf}: not attached to record {key} (attach it first: reviewer-app attach {key} "
                f"{pdf})"
            )
        layer = self.layers.get(sha256)
        hits = find_quote(layer, quote, ignore_case=False) or find_quote(layer, quote)
        if not hits:
            shown = quote if len(quote) <= _QUOTE_SHOWN else quote[: _QUOTE_SHOWN - 1] + "…"
            raise QuoteNotFound(f'{attached.file_name}: quote not found: "{shown}"')
        return self.add(
            record_id,
            claim_position,
            reviewer=reviewer,
            source_sha256=sha256,
            span=hits[0],
            doc_text=layer,
            stance=stance,
            note=note,
        )

    def set_removed(self, span_id: str, removed: bool) -> None:
        with self.database.transaction() as session:
            found = evidence_repo.get_span(session, span_id)
            if found is None:
                raise NotFound(f"no evidence span '{span_id}'")
            row, _ = found
            if removed and row.removed_at is None:
                row.removed_at = datetime.now(UTC)
            elif not removed:
                row.removed_at = None

    def views(
        self,
        record_id: str,
        *,
        claim_position: int | None = None,
        source_sha256: str | None = None,
        reviewer: str | None = None,
        include_removed: bool = False,
    ) -> list[SpanView]:
        with self.database.reading() as session:
            key = record_key(record_id)
            claims = {c.position: c.text for c in require_record(session, record_id).claims}
            reviewer_id = None
            if reviewer is not None:
                who = find_reviewer(session, reviewer)
                if who is None:
                    return []
                reviewer_id = who.id
            sources = None
            if source_sha256 is not None:
                if sources_repo.find_file(session, key, source_sha256) is None:
                    raise NotFound(
                        f"no PDF with SHA-256 {source_sha256} is attached to record {key}"
                    )
                sources = [source_sha256, *sources_repo.sibling_shas(session, key, source_sha256)]
            found = evidence_repo.find_spans(
                session,
                key,
                claim_position=claim_position,
                reviewer_id=reviewer_id,
                sources=sources,
                include_removed=include_removed,
            )
            if source_sha256 is None:
                return [
                    original_view(row, name, claims.get(row.claim_position)) for row, name in found
                ]
            elsewhere = [row for row, _ in found if row.source_sha256 != source_sha256]
            anchors = evidence_repo.anchors_in(session, [r.id for r in elsewhere], source_sha256)
        missing = [row for row in elsewhere if row.id not in anchors]
        if missing:
            # spans marked, or brought in by a bundle, after this file was attached
            anchors.update(self._anchor_now(missing, source_sha256))
        return [
            original_view(row, name, claims.get(row.claim_position))
            if row.source_sha256 == source_sha256
            else anchored_view(row, name, anchors[row.id], claims.get(row.claim_position))
            for row, name in found
        ]

    def annotations(self, record_id: str) -> list[dict[str, Any]]:
        with self.database.reading() as session:
            record = require_record(session, record_id)
            found = evidence_repo.find_spans(session, record_key(record_id))
        claims = {claim.position: claim.text for claim in record.claims}
        return [
            to_web_annotation(evidence_span(row, name, claims.get(row.claim_position)))
            for row, name in found
        ]

    def _anchor_now(self, rows: list[EvidenceSpanRow], sha256: str) -> dict[str, SpanAnchorRow]:
        layer = self.layers.get(sha256)
        with self.database.transaction() as session:
            store_anchorings(session, rows, sha256, layer)
            return evidence_repo.anchors_in(session, [row.id for row in rows], sha256)

    def _layer_or_none(self, sha256: str) -> DocumentText | None:
        try:
            return self.layers.get(sha256)
        except PdfError:
            return None  # a missing or altered file; its anchors are computed when it is viewed


def _not_attached(sha256: str, record_key: str) -> NotFound:
    return NotFound(f"no PDF with SHA-256 {sha256} is attached to record {record_key}")
