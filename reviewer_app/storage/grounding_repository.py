"""What the grounding checks read, fetched in a few queries for one record or the workspace."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reviewer_app.domain.grounding_rules import GroundingRules
from reviewer_app.storage.grounding_models import GroundingRulesRow
from reviewer_app.storage.models import ClaimRow, ReferenceRow, RevisionRow
from reviewer_app.storage.review_models import (
    EvidenceSpanRow,
    ReviewerRow,
    SourceFileRow,
    SpanAnchorRow,
)


@dataclass(frozen=True)
class SpanFacts:
    id: str
    claim_position: int
    reviewer: str
    source_sha256: str
    exact: str
    start: int
    end: int


@dataclass(frozen=True)
class AnchorFacts:
    status: str
    start: int | None
    end: int | None


@dataclass
class RecordInputs:
    record_id: str
    claim_positions: list[int]
    references: list[tuple[str, str | None, int | None]]
    """(url, arXiv id, version) in the record's order, duplicates dropped."""
    sections: dict[str, Any]
    claims_verified: int | None = None
    claims_extracted: int | None = None
    files: list[tuple[str, str | None]] = field(default_factory=list)
    """(sha256, reference url) newest first."""
    spans: list[SpanFacts] = field(default_factory=list)
    anchors: dict[tuple[str, str], AnchorFacts] = field(default_factory=dict)
    """By (span id, file sha256)."""
    revision_id: int | None = None
    """The newest revision's row id (a stored level names the revision it was computed on)."""


def grounding_inputs(
    session: Session, record_id: str | None = None, *, among: Collection[str] | None = None
) -> dict[str, RecordInputs]:
    """The inputs of one record, of the records ``among`` names, or of every record."""
    if record_id is not None:
        among = (record_id,)
    # plain column queries, not ORM objects: a workspace has tens of thousands of these rows
    newest = select(RevisionRow.record_id, func.max(RevisionRow.revision).label("latest"))
    if among is not None:
        newest = newest.where(RevisionRow.record_id.in_(list(among)))
    latest = newest.group_by(RevisionRow.record_id).subquery()
    joined = (RevisionRow.record_id == latest.c.record_id) & (
        RevisionRow.revision == latest.c.latest
    )
    revisions = session.execute(
        select(
            RevisionRow.id,
            RevisionRow.record_id,
            RevisionRow.sections,
            RevisionRow.claims_verified,
            RevisionRow.claims_extracted,
        )
        .join(latest, joined)
        .order_by(RevisionRow.record_id)
    ).all()
    inputs: dict[str, RecordInputs] = {}
    by_revision: dict[int, RecordInputs] = {}
    for revision_id, rid, sections, verified, extracted in revisions:
        item = RecordInputs(
            record_id=rid,
            claim_positions=[],
            references=[],
            sections=dict(sections or {}),
            claims_verified=verified,
            claims_extracted=extracted,
            revision_id=revision_id,
        )
        inputs[rid] = by_revision[revision_id] = item
    claims = (
        select(ClaimRow.revision_id, ClaimRow.position)
        .join(RevisionRow, RevisionRow.id == ClaimRow.revision_id)
        .join(latest, joined)
        .order_by(ClaimRow.revision_id, ClaimRow.position)
    )
    for revision_id, position in session.execute(claims).all():
        by_revision[revision_id].claim_positions.append(position)
    references = (
        select(
            ReferenceRow.revision_id,
            ReferenceRow.url,
            ReferenceRow.arxiv_id,
            ReferenceRow.arxiv_version,
        )
        .join(RevisionRow, RevisionRow.id == ReferenceRow.revision_id)
        .join(latest, joined)
        .order_by(ReferenceRow.revision_id, ReferenceRow.position)
    )
    seen: set[tuple[int, str]] = set()
    for revision_id, url, arxiv_id, version in session.execute(references).all():
        if (revision_id, url) not in seen:  # a reference listed twice is checked once
            seen.add((revision_id, url))
            by_revision[revision_id].references.append((url, arxiv_id, version))
    files = select(SourceFileRow.record_id, SourceFileRow.sha256, SourceFileRow.reference_url)
    spans = (
        select(
            EvidenceSpanRow.record_id,
            EvidenceSpanRow.id,
            EvidenceSpanRow.claim_position,
            ReviewerRow.name,
            EvidenceSpanRow.source_sha256,
            EvidenceSpanRow.exact,
            EvidenceSpanRow.start,
            EvidenceSpanRow.end,
        )
        .join(ReviewerRow, ReviewerRow.id == EvidenceSpanRow.reviewer_id)
        .where(EvidenceSpanRow.removed_at.is_(None))
    )
    anchors = select(
        EvidenceSpanRow.record_id,
        SpanAnchorRow.span_id,
        SpanAnchorRow.pdf_sha256,
        SpanAnchorRow.status,
        SpanAnchorRow.start,
        SpanAnchorRow.end,
    ).join(EvidenceSpanRow, EvidenceSpanRow.id == SpanAnchorRow.span_id)
    if among is not None:
        files = files.where(SourceFileRow.record_id.in_(list(among)))
        spans = spans.where(EvidenceSpanRow.record_id.in_(list(among)))
        anchors = anchors.where(EvidenceSpanRow.record_id.in_(list(among)))
    files = files.order_by(SourceFileRow.attached_at.desc(), SourceFileRow.id.desc())
    for rid, sha, reference_url in session.execute(files).all():
        if rid in inputs:
            inputs[rid].files.append((sha, reference_url))
    spans = spans.order_by(EvidenceSpanRow.claim_position, EvidenceSpanRow.created_at)
    for rid, span_id, position, reviewer, sha, exact, start, end in session.execute(spans).all():
        if rid in inputs:
            inputs[rid].spans.append(SpanFacts(span_id, position, reviewer, sha, exact, start, end))
    for rid, span_id, sha, status, anchor_start, anchor_end in session.execute(anchors).all():
        if rid in inputs:
            inputs[rid].anchors[(span_id, sha)] = AnchorFacts(status, anchor_start, anchor_end)
    return inputs


# -- rule sets ---------------------------------------------------------------------------
def latest_rules(session: Session) -> GroundingRules | None:
    """The newest stored rule set, or None when none is stored yet."""
    row = session.scalar(
        select(GroundingRulesRow).order_by(GroundingRulesRow.version.desc()).limit(1)
    )
    if row is None:
        return None
    return GroundingRules.from_json(row.definition, source=f"stored grounding rules v{row.version}")


def store_rules(session: Session, version: int, definition: dict[str, Any]) -> None:
    session.add(
        GroundingRulesRow(version=version, definition=definition, created_at=datetime.now(UTC))
    )
    session.flush()


def latest_sections(session: Session, record_id: str) -> dict[str, Any] | None:
    """The structured sections (gate, verification, …) of the record's newest revision; None
    for an unknown record. One small query: the gate needs no claims or references."""
    row = session.execute(
        select(RevisionRow.sections)
        .where(RevisionRow.record_id == record_id)
        .order_by(RevisionRow.revision.desc())
        .limit(1)
    ).first()
    return None if row is None else dict(row[0] or {})


def all_latest_sections(session: Session) -> dict[str, dict[str, Any]]:
    """``latest_sections`` of every record, in one query."""
    latest = (
        select(RevisionRow.record_id, func.max(RevisionRow.revision).label("latest"))
        .group_by(RevisionRow.record_id)
        .subquery()
    )
    rows = session.execute(
        select(RevisionRow.record_id, RevisionRow.sections).join(
            latest,
            (RevisionRow.record_id == latest.c.record_id)
            & (RevisionRow.revision == latest.c.latest),
        )
    ).all()
    return {rid: dict(sections or {}) for rid, sections in rows}
