"""Review rows as bundle JSON: one function per table, used for export and to dedupe imports.

No local row id, origin or import time reaches the JSON, so the same work exported from two
workspaces gives equal JSON, and a row that is already present is recognised by its JSON form.
Times are UTC ISO 8601 with microseconds (SQLite hands back naive datetimes; they are UTC).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar, Protocol, TypeVar

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from reviewer_app.domain.evidence import to_web_annotation
from reviewer_app.domain.records import QUALITY_DIMENSIONS, CorrectionRecord, SynthesisRecord
from reviewer_app.storage.review_models import (
    AdjudicationRow,
    ClaimVerdictRow,
    CorrectionRow,
    EvidenceSpanRow,
    ReviewerRow,
    ScoreSheetRow,
    SourceFileRow,
    SpanAnchorRow,
    TierPolicyRow,
    TierResultRow,
)
from reviewer_app.storage.row_values import anchor_continuation, evidence_span, quads_of


class _PerRecord(Protocol):
    """A row class with a ``record_id`` column (sheets, verdicts, spans, …)."""

    __table__: ClassVar[Table]

    @property
    def record_id(self) -> str: ...


Row = TypeVar("Row", bound=_PerRecord)
Names = Mapping[int, str]
_CHUNK = 500


def iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def reviewer_directory(session: Session) -> dict[int, tuple[str, str | None]]:
    """Every reviewer's (name, ORCID) by local id."""
    rows = session.execute(select(ReviewerRow.id, ReviewerRow.name, ReviewerRow.orcid))
    return {row.id: (row.name, row.orcid) for row in rows}


def rows_by_record(
    session: Session, table: type[Row], record_ids: Sequence[str], *order: Any
) -> dict[str, list[Row]]:
    """Rows of ``table`` for the records, grouped by record id (queried in chunks)."""
    grouped: dict[str, list[Row]] = defaultdict(list)
    column = table.__table__.c.record_id
    for start in range(0, len(record_ids), _CHUNK):
        chunk = record_ids[start : start + _CHUNK]
        for row in session.scalars(select(table).where(column.in_(chunk)).order_by(*order)):
            grouped[row.record_id].append(row)
    return grouped


def verdict_json(row: ClaimVerdictRow, names: Names) -> dict[str, Any]:
    return {
        "reviewer": names[row.reviewer_id],
        "verdict": row.verdict,
        "reason": row.reason,
        "note": row.note,
        "created": iso(row.created_at),
    }


def sheet_json(row: ScoreSheetRow, names: Names) -> dict[str, Any]:
    return {
        "reviewer": names[row.reviewer_id],
        **{name: getattr(row, name) for name in QUALITY_DIMENSIONS},
        "review_score": row.review_score,
        "recommendation": row.recommendation,
        "comments": row.comments,
        "submitted": bool(row.submitted),
        "first_impression": bool(row.first_impression),
        "created": iso(row.created_at),
    }


def adjudication_json(row: AdjudicationRow, names: Names) -> dict[str, Any]:
    return {
        "field": row.field,
        "claim_position": row.claim_position,
        "value": row.value,
        "rationale": row.rationale,
        "adjudicator": names[row.adjudicator_id],
        "created": iso(row.created_at),
    }


def tier_result_json(row: TierResultRow) -> dict[str, Any]:
    return {
        "policy_version": row.policy_version,
        "tier": row.tier,
        "basis": row.basis,
        "computed": iso(row.computed_at),
    }


def correction_json(row: CorrectionRow, names: Names) -> dict[str, Any]:
    return {
        "id": row.id,
        "reviewer": names[row.reviewer_id],
        "what": row.what,
        "why": row.why,
        "evidence": row.evidence,
        "created": iso(row.created_at),
    }


def source_json(row: SourceFileRow, names: Names, *, included: bool) -> dict[str, Any]:
    return {
        "sha256": row.sha256,
        "file_name": row.file_name,
        "size": row.size,
        "page_count": row.page_count,
        "reference_url": row.reference_url,
        "arxiv_id": row.arxiv_id,
        "arxiv_version": row.arxiv_version,
        "attached": iso(row.attached_at),
        "attached_by": None if row.attached_by is None else names[row.attached_by],
        "included": included,
    }


def anchor_json(row: SpanAnchorRow) -> dict[str, Any]:
    document: dict[str, Any] = {
        "pdf_sha256": row.pdf_sha256,
        "status": row.status,
        "page": row.page,
        "quads": None if row.quads is None else [list(q) for q in quads_of(row.quads)],
        "start": row.start,
        "end": row.end,
        "score": row.score,
        "computed": iso(row.computed_at),
    }
    continuation = anchor_continuation(row.continuation, row.page)
    if continuation:
        # as in the PdfQuadSelector: only a span placed over a page break carries the key
        document["continuation"] = continuation
    return document


def span_annotation(
    row: EvidenceSpanRow,
    names: Names,
    claim_text: str | None,
    anchors: Sequence[SpanAnchorRow] = (),
) -> dict[str, Any]:
    """The span as a W3C Web Annotation, plus its removal time and re-anchorings if any."""
    span = evidence_span(row, names[row.reviewer_id], claim_text)
    annotation = to_web_annotation(span)
    if row.removed_at is not None:
        annotation["sr:removed"] = iso(row.removed_at)
    if anchors:
        annotation["sr:anchors"] = sorted(
            (anchor_json(a) for a in anchors), key=lambda a: a["pdf_sha256"]
        )
    return annotation


def review_documents(
    session: Session,
    heads: Mapping[str, SynthesisRecord],
    *,
    include_pdfs: bool,
) -> Iterator[tuple[str, dict[str, Any], list[dict[str, Any]]]]:
    """(record id, review JSON, annotation JSON list) for each record in ``heads``.

    ``heads`` maps a record id to its newest revision.
    """
    directory = reviewer_directory(session)
    names = {rid: name for rid, (name, _) in directory.items()}
    ids = list(heads)
    verdicts = rows_by_record(session, ClaimVerdictRow, ids, ClaimVerdictRow.created_at)
    sheets = rows_by_record(session, ScoreSheetRow, ids, ScoreSheetRow.created_at)
    adjudications = rows_by_record(session, AdjudicationRow, ids, AdjudicationRow.created_at)
    tiers = rows_by_record(session, TierResultRow, ids, TierResultRow.policy_version)
    corrections = rows_by_record(session, CorrectionRow, ids, CorrectionRow.created_at)
    sources = rows_by_record(session, SourceFileRow, ids, SourceFileRow.sha256)
    spans = rows_by_record(session, EvidenceSpanRow, ids, EvidenceSpanRow.created_at)
    anchors = _anchors_by_span(session, [s.id for rows in spans.values() for s in rows])
    for record_id, head in heads.items():
        texts = {claim.position: claim.text for claim in head.claims}
        used: set[int] = set()
        for rows in (verdicts, sheets, corrections, spans):
            used.update(row.reviewer_id for row in rows.get(record_id, ()))
        used.update(row.adjudicator_id for row in adjudications.get(record_id, ()))
        used.update(r.attached_by for r in sources.get(record_id, ()) if r.attached_by)
        review = {
            "record": record_id,
            "source_sha256": head.source_sha256,
            "reviewers": sorted(
                ({"name": directory[r][0], "orcid": directory[r][1]} for r in used),
                key=lambda reviewer: reviewer["name"] or "",  # every reviewer has a name
            ),
            "claims": _claims_json(texts, verdicts.get(record_id, []), names),
            "score_sheets": _sorted(sheet_json(r, names) for r in sheets.get(record_id, [])),
            "adjudications": _sorted(
                adjudication_json(r, names) for r in adjudications.get(record_id, [])
            ),
            "tier_results": [tier_result_json(r) for r in tiers.get(record_id, [])],
            "corrections": correction_record_json(
                head.correction_record,
                [correction_json(r, names) for r in corrections.get(record_id, [])],
            ),
            "sources": [
                source_json(r, names, included=include_pdfs) for r in sources.get(record_id, [])
            ],
        }
        annotations = [
            span_annotation(row, names, texts.get(row.claim_position), anchors.get(row.id, ()))
            for row in sorted(spans.get(record_id, []), key=lambda s: (iso(s.created_at), s.id))
        ]
        yield record_id, review, annotations


def correction_record_json(
    imported: CorrectionRecord | None, entries: Sequence[dict[str, Any]]
) -> dict[str, Any]:
    """A record's correction record: the imported status and count plus the reviewers' entries.

    The count adds the entries to the imported count; any entry makes the status CORRECTED.
    """
    imported_count = (imported.count if imported else None) or 0
    status = "CORRECTED" if entries else (imported.status if imported else None)
    return {"status": status, "count": imported_count + len(entries), "history": _sorted(entries)}


def tier_policy_documents(session: Session, versions: Collection[int]) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(TierPolicyRow)
        .where(TierPolicyRow.version.in_(sorted(versions)))
        .order_by(TierPolicyRow.version)
    )
    return [
        {"version": r.version, "definition": r.definition, "created": iso(r.created_at)}
        for r in rows
    ]


def _claims_json(
    texts: Mapping[int, str], verdicts: Sequence[ClaimVerdictRow], names: Names
) -> list[dict[str, Any]]:
    by_position: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in verdicts:
        by_position[row.claim_position].append(verdict_json(row, names))
    return [
        {"position": p, "text": texts.get(p), "verdicts": _sorted(by_position.get(p, []))}
        for p in sorted(set(texts) | set(by_position))
    ]


def _anchors_by_span(session: Session, span_ids: Sequence[str]) -> dict[str, list[SpanAnchorRow]]:
    grouped: dict[str, list[SpanAnchorRow]] = defaultdict(list)
    for start in range(0, len(span_ids), _CHUNK):
        chunk = span_ids[start : start + _CHUNK]
        for row in session.scalars(select(SpanAnchorRow).where(SpanAnchorRow.span_id.in_(chunk))):
            grouped[row.span_id].append(row)
    return grouped


def _sorted(items: Any) -> list[dict[str, Any]]:
    """History in time order; ties broken by content so the order never depends on row ids."""
    return sorted(items, key=lambda item: (item["created"], repr(sorted(item.items()))))
