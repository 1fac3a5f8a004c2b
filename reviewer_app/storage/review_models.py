"""Tables for the review work: reviewers, source PDFs, evidence, verdicts, sheets and policy.

Judgements are append-only: a changed verdict or sheet is a new row, so the history of who
decided what and when is kept (and undo can return to an earlier row). Claims are addressed by
record and 1-based position, so verdicts carry over to a new revision with the same claims.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from reviewer_app.storage.models import Base

_RECORD_FK = "records.id"
_CONTINUATION = JSON(none_as_null=True)
"""A missing continuation is SQL NULL, not the JSON text ``null``."""


class ReviewerRow(Base):
    __tablename__ = "reviewers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    orcid: Mapped[str | None] = mapped_column(String(19))
    colour: Mapped[str | None] = mapped_column(String(9))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    imported_from: Mapped[str | None] = mapped_column(String(80))
    """The bundle that first brought this reviewer; NULL for a reviewer of this workspace."""


class SourceFileRow(Base):
    """A PDF attached to a record, stored content-addressed by its SHA-256."""

    __tablename__ = "source_files"
    __table_args__ = (UniqueConstraint("record_id", "sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(ForeignKey(_RECORD_FK, ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    reference_url: Mapped[str | None] = mapped_column(Text)
    arxiv_id: Mapped[str | None] = mapped_column(String(32))
    arxiv_version: Mapped[int | None] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(Integer)
    page_count: Mapped[int] = mapped_column(Integer)
    attached_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attached_by: Mapped[int | None] = mapped_column(ForeignKey("reviewers.id"))


class EvidenceSpanRow(Base):
    """A passage of a source PDF marked as evidence for a claim (W3C Web Annotation ideas)."""

    __tablename__ = "evidence_spans"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    record_id: Mapped[str] = mapped_column(ForeignKey(_RECORD_FK, ondelete="CASCADE"))
    claim_position: Mapped[int] = mapped_column(Integer)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("reviewers.id"))
    source_sha256: Mapped[str] = mapped_column(String(64))
    stance: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    page: Mapped[int] = mapped_column(Integer)
    quads: Mapped[list[list[float]]] = mapped_column(JSON)
    """Quads on ``page``, the first page the span covers."""
    continuation: Mapped[list[dict[str, Any]] | None] = mapped_column(_CONTINUATION)
    """``[{"page": n, "quads": [...]}, ...]`` for the pages after ``page`` that the span runs
    onto; NULL for a one-page span (and for spans stored before migration 0003)."""
    exact: Mapped[str] = mapped_column(Text)
    prefix: Mapped[str] = mapped_column(Text)
    suffix: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """Set instead of deleting, so undo and bundles keep the history."""


class SpanAnchorRow(Base):
    """Where a span was re-anchored in another file attached for the same source."""

    __tablename__ = "span_anchors"
    __table_args__ = (UniqueConstraint("span_id", "pdf_sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    span_id: Mapped[str] = mapped_column(ForeignKey("evidence_spans.id", ondelete="CASCADE"))
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    page: Mapped[int | None] = mapped_column(Integer)
    quads: Mapped[list[list[float]] | None] = mapped_column(JSON)
    continuation: Mapped[list[dict[str, Any]] | None] = mapped_column(_CONTINUATION)
    """The pages after ``page`` in that file, as in ``EvidenceSpanRow.continuation``."""
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    score: Mapped[float | None] = mapped_column(Float)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ClaimVerdictRow(Base):
    """One reviewer's verdict on one claim; the newest row per (record, claim, reviewer) counts."""

    __tablename__ = "claim_verdicts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(ForeignKey(_RECORD_FK, ondelete="CASCADE"))
    claim_position: Mapped[int] = mapped_column(Integer)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("reviewers.id"))
    verdict: Mapped[str | None] = mapped_column(String(32))
    """None records that the verdict was cleared (an undo of the first verdict)."""
    reason: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    origin: Mapped[str | None] = mapped_column(String(80))
    """Where the row came from: ``local`` or the bundle that brought it."""


class ScoreSheetRow(Base):
    """A version of a reviewer's score sheet for a record; the newest version counts."""

    __tablename__ = "score_sheets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(ForeignKey(_RECORD_FK, ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("reviewers.id"))
    evidence_strength: Mapped[str | None] = mapped_column(String(8))
    citation_grounding: Mapped[str | None] = mapped_column(String(8))
    uncertainty_disclosure: Mapped[str | None] = mapped_column(String(8))
    reproducibility_status: Mapped[str | None] = mapped_column(String(8))
    review_score: Mapped[float | None] = mapped_column(Float)
    recommendation: Mapped[str | None] = mapped_column(String(32))
    comments: Mapped[str | None] = mapped_column(Text)
    submitted: Mapped[bool] = mapped_column(Boolean, default=False)
    first_impression: Mapped[bool] = mapped_column(Boolean, default=False)
    """The version submitted before any discussion; kept beside later revisions."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    origin: Mapped[str | None] = mapped_column(String(80))


class AdjudicationRow(Base):
    __tablename__ = "adjudications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(ForeignKey(_RECORD_FK, ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(40))
    claim_position: Mapped[int | None] = mapped_column(Integer)
    value: Mapped[str] = mapped_column(Text)
    rationale: Mapped[str] = mapped_column(Text)
    adjudicator_id: Mapped[int] = mapped_column(ForeignKey("reviewers.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    origin: Mapped[str | None] = mapped_column(String(80))


class TierPolicyRow(Base):
    __tablename__ = "tier_policies"

    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    definition: Mapped[dict[str, object]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TierResultRow(Base):
    """A computed tier, tied to the policy version that produced it."""

    __tablename__ = "tier_results"
    __table_args__ = (UniqueConstraint("record_id", "policy_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(ForeignKey(_RECORD_FK, ondelete="CASCADE"))
    policy_version: Mapped[int] = mapped_column(ForeignKey("tier_policies.version"))
    tier: Mapped[str] = mapped_column(String(64))
    basis: Mapped[str] = mapped_column(Text)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CorrectionRow(Base):
    """A reviewer's correction to a record: an additive entry in its correction record."""

    __tablename__ = "corrections"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    record_id: Mapped[str] = mapped_column(ForeignKey(_RECORD_FK, ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("reviewers.id"))
    what: Mapped[str] = mapped_column(Text)
    why: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class WorkSignatureRow(Base):
    """A reviewer's signed list of their rows of work, kept as imported to be forwarded."""

    __tablename__ = "work_signatures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    """SHA-256 of ``document``."""
    author: Mapped[str] = mapped_column(String(200), index=True)
    fingerprint: Mapped[str] = mapped_column(String(80))
    document: Mapped[str] = mapped_column(Text)
    """The signed canonical JSON, exactly (UTF-8)."""
    signature: Mapped[str] = mapped_column(Text)
    """Base64 Ed25519 signature."""
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class WorkspaceSettingRow(Base):
    __tablename__ = "workspace_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[object] = mapped_column(JSON)


Index("ix_evidence_spans_claim", EvidenceSpanRow.record_id, EvidenceSpanRow.claim_position)
Index("ix_evidence_spans_page", EvidenceSpanRow.source_sha256, EvidenceSpanRow.page)
Index(
    "ix_claim_verdicts_claim",
    ClaimVerdictRow.record_id,
    ClaimVerdictRow.claim_position,
    ClaimVerdictRow.reviewer_id,
)
Index("ix_score_sheets_record", ScoreSheetRow.record_id, ScoreSheetRow.reviewer_id)
Index(
    "uq_score_sheets_first_impression",
    ScoreSheetRow.record_id,
    ScoreSheetRow.reviewer_id,
    unique=True,
    sqlite_where=text("first_impression"),
    postgresql_where=text("first_impression"),
)
"""One first impression per reviewer and record, whatever races (migration 0005)."""
Index("ix_adjudications_record", AdjudicationRow.record_id)
