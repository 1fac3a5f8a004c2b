"""Evidence spans: marking, finding by quote, soft removal (for undo), and viewing per file."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from reviewer_app.domain.evidence import (
    EvidenceSpan,
    Stance,
    to_web_annotation,
    with_anchored_targets,
)
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
    require_reviewer,
    sha256_of_pdf,
    stance_of,
)
from reviewer_app.services.review_types import EvidenceRefused, QuoteNotFound, SpanView, span_pages
from reviewer_app.services.span_anchoring import anchor_spans
from reviewer_app.services.text_layers import TextLayers
from reviewer_app.storage import sources_repository as sources_repo
from reviewer_app.storage import span_repository as span_repo
from reviewer_app.storage.database import Database
from reviewer_app.storage.records_repository import record_key
from reviewer_app.storage.retry import retried
from reviewer_app.storage.reviewers_repository import reviewer_named

_QUOTE_SHOWN = 80


class Evidence:
    def __init__(self, database: Database, layers: TextLayers) -> None:
        self.database = database
        self.layers = layers

    @retried  # concurrent team writers: a deadlock or serialization failure is rerun
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
        pages = span_pages(span)
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
            who = require_reviewer(session, reviewer)
            marked = span_repo.mark_span(
                session,
                span_id=str(uuid.uuid4()),
                record_id=key,
                claim_position=claim.position,
                claim_text=claim.text,
                reviewer=who,
                source_sha256=source_sha256,
                stance=stance,
                note=clean_text(note),
                pages=pages,
                exact=selectors.quote.exact,
                prefix=selectors.quote.prefix,
                suffix=selectors.quote.suffix,
                start=selectors.position.start,
                end=selectors.position.end,
            )
            for sha, layer in layers.items():
                anchor_spans(session, [marked], sha, layer)
            return marked

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
            if not span_repo.set_span_removed(session, span_id, removed):
                raise NotFound(f"no evidence span '{span_id}'")

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
                who = reviewer_named(session, reviewer)
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
            found = span_repo.span_views(
                session,
                key,
                claim_texts=claims,
                claim_position=claim_position,
                reviewer_id=reviewer_id,
                sources=sources,
                include_removed=include_removed,
            )
            if source_sha256 is None:
                return found
            elsewhere = [view for view in found if view.source_sha256 != source_sha256]
            anchored = span_repo.anchored_views(session, elsewhere, source_sha256)
        missing = [view for view in elsewhere if view.span.id not in anchored]
        if missing:
            # spans marked, or brought in by a bundle, after this file was attached
            anchored.update(self._anchor_now(missing, source_sha256))
        return [
            view if view.source_sha256 == source_sha256 else anchored[view.span.id]
            for view in found
        ]

    def annotations(self, record_id: str) -> list[dict[str, Any]]:
        with self.database.reading() as session:
            record = require_record(session, record_id)
            claims = {claim.position: claim.text for claim in record.claims}
            found = span_repo.span_views(session, record_key(record_id), claim_texts=claims)
            targets = span_repo.anchored_targets(session, [view.span for view in found])
        return [
            with_anchored_targets(to_web_annotation(view.span), targets.get(view.span.id, []))
            for view in found
        ]

    def _anchor_now(self, originals: list[SpanView], sha256: str) -> dict[str, SpanView]:
        layer = self.layers.get(sha256)
        with self.database.transaction() as session:
            anchor_spans(session, [view.span for view in originals], sha256, layer)
            return span_repo.anchored_views(session, originals, sha256)

    def _layer_or_none(self, sha256: str) -> DocumentText | None:
        try:
            return self.layers.get(sha256)
        except PdfError:
            return None  # a missing or altered file; its anchors are computed when it is viewed


def _not_attached(sha256: str, record_key: str) -> NotFound:
    return NotFound(f"no PDF with SHA-256 {sha256} is attached to record {record_key}")
