"""Tables of the evidence finder: passage indexes per PDF, suggestion rankings, dismissals.

Indexes are keyed by the file's SHA-256, not by record: the same file attached to another
record (or attached again) reuses its index. The full-text part is not an ORM column: on
SQLite it is the FTS5 table ``passage_fts`` (external content over ``passages``), on
PostgreSQL the generated ``tsv`` column of ``passages`` with a GIN index (migration 0006).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from reviewer_app.storage.models import Base


class PassageLayerRow(Base):
    """One indexed PDF: how far its index has come."""

    __tablename__ = "passage_layers"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    page_count: Mapped[int] = mapped_column(Integer)
    passage_count: Mapped[int] = mapped_column(Integer)
    index_version: Mapped[int] = mapped_column(Integer)
    lexical_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    vector_model: Mapped[str | None] = mapped_column(String(80))
    """The sentence model of ``passages.dense``; every passage has one once ``vectors_at``
    is set."""
    vectors_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    text_layer: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    """The packed text layer (``pdf/packed_layer.py``, migration 0011); deferred: megabytes
    for a long manual, read only by find and quote search."""


class PassageRow(Base):
    __tablename__ = "passages"
    __table_args__ = (UniqueConstraint("sha256", "ordinal"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sha256: Mapped[str] = mapped_column(
        ForeignKey("passage_layers.sha256", ondelete="CASCADE"), index=True
    )
    ordinal: Mapped[int] = mapped_column(Integer)
    page: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    vector: Mapped[bytes | None] = mapped_column(LargeBinary)
    """float16 static embedding of ``text`` (cheap: computed with the lexical index)."""
    dense: Mapped[bytes | None] = mapped_column(LargeBinary)
    """float16 sentence-model embedding, computed in the background (or on first ranking)."""


class SuggestionRankingRow(Base):
    """The last ranking shown for a claim, so ``annotate --suggestion RANK`` means what was seen."""

    __tablename__ = "suggestion_rankings"

    record_id: Mapped[str] = mapped_column(
        ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
    )
    claim_position: Mapped[int] = mapped_column(Integer, primary_key=True)
    candidates: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SuggestionDismissalRow(Base):
    """A suggestion one reviewer dismissed for one claim; it stays hidden for them."""

    __tablename__ = "suggestion_dismissals"
    __table_args__ = (
        UniqueConstraint(
            "record_id", "claim_position", "reviewer_id", "source_sha256", "start", "end"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    claim_position: Mapped[int] = mapped_column(Integer)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("reviewers.id"))
    source_sha256: Mapped[str] = mapped_column(String(64))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


Index(
    "ix_suggestion_dismissals_claim",
    SuggestionDismissalRow.record_id,
    SuggestionDismissalRow.claim_position,
    SuggestionDismissalRow.reviewer_id,
)
