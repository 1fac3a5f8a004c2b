"""ORM tables. A record is a logical synthesis; each import of a changed version adds a revision."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    if TYPE_CHECKING:
        # every class here maps a plain Table (none maps a join or a select), so Core inserts
        # may take ``Row.__table__`` as it is
        __table__: ClassVar[Table]


class RecordRow(Base):
    __tablename__ = "records"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    identity_key: Mapped[str] = mapped_column(Text, unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    revisions: Mapped[list[RevisionRow]] = relationship(
        back_populates="record", order_by="RevisionRow.revision", cascade="all, delete-orphan"
    )


class RevisionRow(Base):
    """One imported version of a record. Never updated: corrections are additive."""

    __tablename__ = "record_revisions"
    __table_args__ = (
        UniqueConstraint("record_id", "revision"),
        UniqueConstraint("record_id", "content_sha256"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column(Integer)
    source_name: Mapped[str] = mapped_column(Text)
    source_sha256: Mapped[str] = mapped_column(String(64), index=True)
    content_sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    title: Mapped[str] = mapped_column(Text)
    publisher: Mapped[str | None] = mapped_column(Text)
    published_on: Mapped[date | None] = mapped_column(Date)
    record_code: Mapped[str | None] = mapped_column(String(64))
    abstract: Mapped[str | None] = mapped_column(Text)
    research_question: Mapped[str | None] = mapped_column(Text)
    papers_retrieved: Mapped[int | None] = mapped_column(Integer)
    claims_extracted: Mapped[int | None] = mapped_column(Integer)
    claims_verified: Mapped[int | None] = mapped_column(Integer)
    review_score: Mapped[float | None] = mapped_column(Float)
    authors: Mapped[list[str]] = mapped_column(JSON, default=list)
    year: Mapped[int | None] = mapped_column(Integer)
    # The structured sections (verification, tier, dimensions, corrections, provenance, gate)
    # are read together and never queried field by field, so one JSON document holds them.
    # JSON documents: SQLAlchemy's JSON type gives no shape to check them against
    sections: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    automated_tier: Mapped[str | None] = mapped_column(String(64))

    record: Mapped[RecordRow] = relationship(back_populates="revisions")
    claims: Mapped[list[ClaimRow]] = relationship(
        order_by="ClaimRow.position", cascade="all, delete-orphan"
    )
    references: Mapped[list[ReferenceRow]] = relationship(
        order_by="ReferenceRow.position", cascade="all, delete-orphan"
    )
    benchmarks: Mapped[list[BenchmarkRow]] = relationship(
        order_by="BenchmarkRow.position", cascade="all, delete-orphan"
    )


class ClaimRow(Base):
    __tablename__ = "claims"
    __table_args__ = (UniqueConstraint("revision_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("record_revisions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    verified: Mapped[bool] = mapped_column(Boolean)
    confidence: Mapped[float] = mapped_column(Float)


class ReferenceRow(Base):
    __tablename__ = "references"
    __table_args__ = (UniqueConstraint("revision_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("record_revisions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    url: Mapped[str] = mapped_column(Text)
    arxiv_id: Mapped[str | None] = mapped_column(String(32))
    arxiv_version: Mapped[int | None] = mapped_column(Integer)


class BenchmarkRow(Base):
    __tablename__ = "benchmarks"
    __table_args__ = (UniqueConstraint("revision_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("record_revisions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    task: Mapped[str] = mapped_column(Text)
    dataset: Mapped[str] = mapped_column(Text)
    metric: Mapped[str | None] = mapped_column(Text)
    result: Mapped[float | None] = mapped_column(Float)
    rank: Mapped[int | None] = mapped_column(Integer)


Index("ix_record_revisions_record", RevisionRow.record_id, RevisionRow.revision)
