"""Tables of the grounding checks (issue 13): rule sets, gate artifacts and attestations.

The grounding rule sets sit beside the tier policies (``tier_policies``) and are versioned the
same way. Artifacts and attestations are additive: an attestation is never edited; a
reviewer's newest attestation of an artifact counts.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from reviewer_app.storage.models import Base

_RECORD_FK = "records.id"


class GroundingRulesRow(Base):
    __tablename__ = "grounding_rules"

    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    definition: Mapped[dict[str, object]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class GateArtifactRow(Base):
    """A reproducible artifact attached to a record, stored content-addressed by SHA-256."""

    __tablename__ = "gate_artifacts"
    __table_args__ = (UniqueConstraint("record_id", "sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(ForeignKey(_RECORD_FK, ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    file_name: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(Integer)
    attached_by: Mapped[int | None] = mapped_column(ForeignKey("reviewers.id"))
    attached_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    origin: Mapped[str | None] = mapped_column(String(80))


class GateAttestationRow(Base):
    """A reviewer's statement that they did (or did not) reproduce an artifact."""

    __tablename__ = "gate_attestations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    record_id: Mapped[str] = mapped_column(ForeignKey(_RECORD_FK, ondelete="CASCADE"))
    artifact_sha256: Mapped[str] = mapped_column(String(64))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("reviewers.id"))
    reproduced: Mapped[bool] = mapped_column(Boolean)
    results_sha256: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    origin: Mapped[str | None] = mapped_column(String(80))


Index("ix_gate_attestations_record", GateAttestationRow.record_id)
