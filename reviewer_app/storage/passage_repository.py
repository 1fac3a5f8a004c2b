"""Passage indexes: storing a PDF's passages, full-text ranking, vectors, rankings, dismissals.

Ranking is each database's own full-text search: FTS5's BM25 on SQLite, ``ts_rank`` over
the GIN-indexed ``tsvector`` on PostgreSQL. Both take the same OR-query of claim terms.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from reviewer_app.storage.passage_models import (
    PassageLayerRow,
    PassageRow,
    SuggestionDismissalRow,
    SuggestionRankingRow,
)

_TERM = re.compile(r"[^\W_]+")
_INSERT_BATCH = 2_000


@dataclass(frozen=True)
class PassageLayer:
    """How far the index of one PDF has come."""

    sha256: str
    page_count: int
    passage_count: int
    index_version: int
    vector_model: str | None
    """The sentence model of the passages' vectors, once every passage has one."""


@dataclass(frozen=True)
class StoredPassage:
    id: int
    sha256: str
    page: int
    start: int
    end: int
    text: str


def layer(session: Session, sha256: str) -> PassageLayer | None:
    row = session.get(PassageLayerRow, sha256)
    if row is None:
        return None
    return PassageLayer(
        row.sha256, row.page_count, row.passage_count, row.index_version, row.vector_model
    )


def start_layer(session: Session, sha256: str, page_count: int, version: int) -> None:
    """Drop any older index of the file and register a new, empty one."""
    if session.get(PassageLayerRow, sha256) is not None:
        if _is_sqlite(session):
            # external-content FTS5 rows must be deleted with the text they were built from
            session.execute(
                text(
                    "INSERT INTO passage_fts(passage_fts, rowid, text) "
                    "SELECT 'delete', id, text FROM passages WHERE sha256 = :sha"
                ),
                {"sha": sha256},
            )
        session.execute(delete(PassageRow).where(PassageRow.sha256 == sha256))
        session.execute(delete(PassageLayerRow).where(PassageLayerRow.sha256 == sha256))
    session.add(
        PassageLayerRow(
            sha256=sha256,
            page_count=page_count,
            passage_count=0,
            index_version=version,
            lexical_at=datetime.now(UTC),
        )
    )
    session.flush()


def add_passages(session: Session, sha256: str, passages: Sequence[dict[str, Any]]) -> None:
    """Insert passages (dicts of ordinal, page, start, end, text) and index their text."""
    if not passages:
        return
    first, last = passages[0]["ordinal"], passages[-1]["ordinal"]
    for offset in range(0, len(passages), _INSERT_BATCH):
        batch = [{"sha256": sha256, **p} for p in passages[offset : offset + _INSERT_BATCH]]
        session.execute(insert(PassageRow), batch)
    if _is_sqlite(session):
        session.execute(
            text(
                "INSERT INTO passage_fts(rowid, text) SELECT id, text FROM passages "
                "WHERE sha256 = :sha AND ordinal BETWEEN :first AND :last"
            ),
            {"sha": sha256, "first": first, "last": last},
        )


def finish_layer(session: Session, sha256: str, passage_count: int) -> None:
    session.execute(
        update(PassageLayerRow)
        .where(PassageLayerRow.sha256 == sha256)
        .values(passage_count=passage_count, lexical_at=datetime.now(UTC))
    )


def lexical_search(
    session: Session, shas: Collection[str], terms: Sequence[str], limit: int
) -> list[tuple[int, float]]:
    """``(passage id, score)`` best first; higher scores are better."""
    words = [w for term in terms for w in _TERM.findall(term.lower())]
    if not shas or not words:
        return []
    words = list(dict.fromkeys(words))
    sha_list = sorted(shas)
    marks = ", ".join(f":s{i}" for i in range(len(sha_list)))
    params: dict[str, Any] = {f"s{i}": sha for i, sha in enumerate(sha_list)}
    params["limit"] = limit
    if _is_sqlite(session):
        params["q"] = " OR ".join(f'"{w}"' for w in words)
        sql = (
            "SELECT passage_fts.rowid, -bm25(passage_fts) FROM passage_fts "
            "JOIN passages ON passages.id = passage_fts.rowid "
            f"WHERE passage_fts MATCH :q AND passages.sha256 IN ({marks}) "
            "ORDER BY bm25(passage_fts) LIMIT :limit"
        )
    else:
        params["q"] = " | ".join(words)
        sql = (
            "SELECT id, ts_rank(tsv, q, 1) AS score FROM passages, "
            "to_tsquery('english', :q) AS q "
            f"WHERE tsv @@ q AND sha256 IN ({marks}) ORDER BY score DESC, id LIMIT :limit"
        )
    return [(int(row[0]), float(row[1])) for row in session.execute(text(sql), params)]


def passages_by_id(session: Session, ids: Iterable[int]) -> dict[int, StoredPassage]:
    wanted = list(ids)
    if not wanted:
        return {}
    query = select(
        PassageRow.id,
        PassageRow.sha256,
        PassageRow.page,
        PassageRow.start,
        PassageRow.end,
        PassageRow.text,
    ).where(PassageRow.id.in_(wanted))
    return {
        pid: StoredPassage(pid, sha256, page, start, end, text)
        for pid, sha256, page, start, end, text in session.execute(query)
    }


def passage_texts(
    session: Session, sha256: str, *, missing_vectors_only: bool
) -> list[tuple[int, str]]:
    query = select(PassageRow.id, PassageRow.text).where(PassageRow.sha256 == sha256)
    if missing_vectors_only:
        query = query.where(PassageRow.dense.is_(None))
    return [(int(i), t) for i, t in session.execute(query.order_by(PassageRow.ordinal))]


def static_vectors(session: Session, sha256: str) -> list[tuple[int, bytes]]:
    """Every stored static vector of the file's passages, by passage id."""
    return _file_vectors(session, sha256, PassageRow.vector)


def dense_vectors(session: Session, ids: Collection[int]) -> dict[int, bytes]:
    if not ids:
        return {}
    query = select(PassageRow.id, PassageRow.dense).where(
        PassageRow.id.in_(list(ids)), PassageRow.dense.is_not(None)
    )
    return {int(i): bytes(v) for i, v in session.execute(query) if v is not None}


def file_dense_vectors(session: Session, sha256: str) -> list[tuple[int, bytes]]:
    """Every stored sentence vector of the file's passages, by passage id."""
    return _file_vectors(session, sha256, PassageRow.dense)


def _file_vectors(
    session: Session, sha256: str, column: InstrumentedAttribute[bytes | None]
) -> list[tuple[int, bytes]]:
    query = select(PassageRow.id, column).where(PassageRow.sha256 == sha256, column.is_not(None))
    # the query keeps only rows whose vector is set
    return [
        (int(i), bytes(v))
        for i, v in session.execute(query.order_by(PassageRow.id))
        if v is not None
    ]


def set_dense(session: Session, vectors: Sequence[tuple[int, bytes]]) -> None:
    for passage_id, vector in vectors:
        session.execute(update(PassageRow).where(PassageRow.id == passage_id).values(dense=vector))


def finish_vectors(session: Session, sha256: str, model: str) -> None:
    session.execute(
        update(PassageLayerRow)
        .where(PassageLayerRow.sha256 == sha256)
        .values(vector_model=model, vectors_at=datetime.now(UTC))
    )


def save_ranking(
    session: Session, record_id: str, claim_position: int, candidates: list[dict[str, Any]]
) -> None:
    row = session.get(SuggestionRankingRow, (record_id, claim_position))
    if row is None:
        row = SuggestionRankingRow(record_id=record_id, claim_position=claim_position)
        session.add(row)
    row.candidates = candidates
    row.created_at = datetime.now(UTC)
    session.flush()


def ranking(session: Session, record_id: str, claim_position: int) -> list[dict[str, Any]] | None:
    row = session.get(SuggestionRankingRow, (record_id, claim_position))
    return None if row is None else list(row.candidates)


def dismiss(session: Session, **values: Any) -> None:
    exists = session.scalar(
        select(SuggestionDismissalRow.id).where(
            *(getattr(SuggestionDismissalRow, k) == v for k, v in values.items())
        )
    )
    if exists is None:
        session.add(SuggestionDismissalRow(created_at=datetime.now(UTC), **values))
        session.flush()


def dismissed(
    session: Session, record_id: str, claim_position: int, reviewer_id: int
) -> set[tuple[str, int, int]]:
    query = select(
        SuggestionDismissalRow.source_sha256,
        SuggestionDismissalRow.start,
        SuggestionDismissalRow.end,
    ).where(
        SuggestionDismissalRow.record_id == record_id,
        SuggestionDismissalRow.claim_position == claim_position,
        SuggestionDismissalRow.reviewer_id == reviewer_id,
    )
    return {(sha, int(start), int(end)) for sha, start, end in session.execute(query)}


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"
