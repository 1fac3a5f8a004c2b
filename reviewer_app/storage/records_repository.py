"""Reading and writing synthesis records: domain objects in, domain objects out."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Date, bindparam, func, insert, select, text
from sqlalchemy.orm import Session, selectinload

from reviewer_app.domain.records import (
    RECORD_SECTIONS,
    Benchmark,
    Claim,
    Level,
    QualityDimensions,
    RecordKind,
    Reference,
    SynthesisRecord,
    Unrecognised,
)
from reviewer_app.errors import NotFound
from reviewer_app.storage.models import (
    Base,
    BenchmarkRow,
    ClaimRow,
    RecordRow,
    ReferenceRow,
    RevisionRow,
)
from reviewer_app.storage.record_listing import LATEST_REVISIONS_SQL, LatestRevision
from reviewer_app.storage.upsert import insert_unless_present

_SECTIONS = RECORD_SECTIONS

_UNRECOGNISED = "unrecognised"
"""Key of the kept unrecognised content in a revision's ``sections`` JSON."""

# Built once: statements passed parameters at execute time compile once and are cached.
_INSERT_REVISION = insert(RevisionRow.__table__).returning(RevisionRow.__table__.c.id)
_INSERT_RECORD = insert(RecordRow.__table__)
# No row lock is needed to number revisions one at a time: every write transaction already
# excludes other writers (BEGIN IMMEDIATE on SQLite, the write advisory lock on PostgreSQL;
# storage/database.py). FOR UPDATE would also need UPDATE on records, which team members lack.
_RECORD_ID = select(RecordRow.__table__.c.id).where(
    RecordRow.__table__.c.identity_key == bindparam("identity_key")
)
_REVISIONS = select(RevisionRow.__table__.c.revision, RevisionRow.__table__.c.content_sha256).where(
    RevisionRow.__table__.c.record_id == bindparam("record_id")
)


@dataclass(frozen=True)
class SavedRevision:
    local_id: str
    revision: int
    status: str
    """``new`` (first import), ``revised`` (a changed version) or ``unchanged`` (the content
    of ``revision``, which may be older than the newest, was imported before)."""
    newest_revision: int


@dataclass(frozen=True)
class RevisionInfo:
    local_id: str
    revision: int
    revision_count: int
    imported_at: datetime
    source_name: str
    record: SynthesisRecord


def save_revision(session: Session, record: SynthesisRecord, source_name: str) -> SavedRevision:
    """Store ``record`` as a new revision unless one of its revisions has the same content.

    Safe against other processes importing the same record at once: the record row is created
    with ``ON CONFLICT DO NOTHING`` inside a write transaction, which excludes other writers, so
    revisions are numbered one at a time.
    """
    now = datetime.now(UTC)
    insert_unless_present(
        session,
        RecordRow.__table__,
        {
            "id": record.local_id,
            "kind": record.kind.value,
            "identity_key": record.identity_key,
            "created_at": now,
        },
        key=["identity_key"],
    )
    record_id: str | None = session.scalar(_RECORD_ID, {"identity_key": record.identity_key})
    assert record_id is not None  # inserted now or by the transaction that won the race
    known = session.execute(_REVISIONS, {"record_id": record_id}).all()
    content = record.content_sha256
    # an earlier version imported again (v1, v2, then v1) is no new revision either
    same = next((r for r in known if r.content_sha256 == content), None)
    newest = max((r.revision for r in known), default=0)
    if same is not None:
        return SavedRevision(record_id, same.revision, "unchanged", newest)
    number = newest + 1
    _insert_revision(session, record_id, number, record, content, source_name, now)
    return SavedRevision(record_id, number, "new" if number == 1 else "revised", number)


def record_key(local_id: str) -> str:
    """Ids are matched as the app prints them: upper case, no surrounding spaces."""
    return local_id.strip().upper()


def require_revision(session: Session, local_id: str) -> RevisionInfo:
    """The newest revision of ``local_id``; ``NotFound`` naming the id when there is none."""
    info = load_revision(session, record_key(local_id))
    if info is None:
        raise NotFound(f"no record '{local_id}' in the workspace")
    return info


def load_revision(
    session: Session, local_id: str, revision: int | None = None
) -> RevisionInfo | None:
    head = (
        select(RevisionRow.id, RevisionRow.content_sha256, RevisionRow.revision,
               RevisionRow.imported_at, RevisionRow.source_name,
               select(func.count()).select_from(RevisionRow)
               .where(RevisionRow.record_id == local_id).scalar_subquery())
        .where(RevisionRow.record_id == local_id)
    )  # fmt: skip
    if revision is None:
        head = head.order_by(RevisionRow.revision.desc()).limit(1)
    else:
        head = head.where(RevisionRow.revision == revision)
    found = session.execute(head).first()
    if found is None:
        return None
    row_id, content_sha256, number, imported_at, source_name, count = found
    # The content hash too: a database file made anew at the same path reuses row ids.
    cache_key = (str(session.get_bind().engine.url), row_id, content_sha256)
    record = _RECORDS.get(cache_key)
    if record is None:
        query = (
            select(RevisionRow)
            .where(RevisionRow.id == row_id)
            .options(
                selectinload(RevisionRow.claims),
                selectinload(RevisionRow.references),
                selectinload(RevisionRow.benchmarks),
                selectinload(RevisionRow.record),
            )
        )
        row = session.scalar(query)
        if row is None:
            return None
        record = _RECORDS.put(cache_key, _record_from_row(row))
    return RevisionInfo(
        local_id=local_id,
        revision=number,
        revision_count=count,
        imported_at=imported_at,
        source_name=source_name,
        record=record,
    )


class _RevisionCache:
    """Records already read, by revision row: a revision is never changed once written (a
    changed record is a new revision), so the window's many reads of the record it shows cost
    one deserialisation. Keyed by database URL too; guarded, as background ops read as well."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, int, str], SynthesisRecord] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, int, str]) -> SynthesisRecord | None:
        with self._lock:
            record = self._items.get(key)
            if record is not None:
                self._items.move_to_end(key)
            return record

    def put(self, key: tuple[str, int, str], record: SynthesisRecord) -> SynthesisRecord:
        with self._lock:
            self._items[key] = record
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return record


_RECORDS = _RevisionCache()


# The same SQL as the quick list of a SQLite file (record_listing); Date: SQLite keeps ISO text
_LATEST_REVISIONS = text(LATEST_REVISIONS_SQL).columns(published_on=Date)


def latest_revisions(session: Session) -> list[LatestRevision]:
    """The newest revision of every record with its revision count, ordered by record id."""
    return [LatestRevision(*row) for row in session.execute(_LATEST_REVISIONS).all()]


def _insert_revision(
    session: Session,
    record_id: str,
    number: int,
    record: SynthesisRecord,
    content_sha256: str,
    source_name: str,
    now: datetime,
) -> None:
    # Core-style inserts with executemany: the ORM unit of work cost more than parsing did.
    sections: dict[str, dict[str, Any] | list[dict[str, Any]]] = {
        name: _section_to_json(getattr(record, name))
        for name in _SECTIONS
        if getattr(record, name) is not None
    }
    if record.unrecognised:
        # Read with the record, never queried on its own: kept in the same JSON document.
        sections[_UNRECOGNISED] = [_section_to_json(item) for item in record.unrecognised]
    revision_id = session.scalar(
        _INSERT_REVISION,
        dict(
            record_id=record_id,
            revision=number,
            source_name=source_name,
            source_sha256=record.source_sha256,
            content_sha256=content_sha256,
            imported_at=now,
            title=record.title,
            publisher=record.publisher,
            published_on=record.date,
            record_code=record.record_id,
            abstract=record.abstract,
            research_question=record.research_question,
            papers_retrieved=record.papers_retrieved,
            claims_extracted=record.claims_extracted,
            claims_verified=record.claims_verified,
            review_score=record.review_score,
            authors=list(record.authors),
            year=record.year,
            sections=sections,
            automated_tier=record.quality_tier.tier if record.quality_tier else None,
        ),
    )
    children: list[tuple[type[Base], list[dict[str, Any]]]] = [
        (
            ClaimRow,
            [
                {
                    "revision_id": revision_id,
                    "position": c.position,
                    "text": c.text,
                    "verified": c.verified,
                    "confidence": c.confidence,
                }
                for c in record.claims
            ],
        ),
        (
            ReferenceRow,
            [
                {
                    "revision_id": revision_id,
                    "position": i,
                    "url": r.url,
                    "arxiv_id": r.arxiv_id,
                    "arxiv_version": r.arxiv_version,
                }
                for i, r in enumerate(record.references, start=1)
            ],
        ),
        (
            BenchmarkRow,
            [
                {
                    "revision_id": revision_id,
                    "position": i,
                    "task": b.task,
                    "dataset": b.dataset,
                    "metric": b.metric,
                    "result": b.result,
                    "rank": b.rank,
                }
                for i, b in enumerate(record.benchmarks, start=1)
            ],
        ),
    ]
    for table, rows in children:
        if rows:
            session.execute(insert(table.__table__), rows)


def _record_from_row(row: RevisionRow) -> SynthesisRecord:
    sections = {
        name: _section_from_json(cls, row.sections[name])
        for name, cls in _SECTIONS.items()
        if name in row.sections
    }
    return SynthesisRecord(
        kind=RecordKind(row.record.kind),
        title=row.title,
        source_sha256=row.source_sha256,
        publisher=row.publisher,
        date=row.published_on,
        record_id=row.record_code,
        abstract=row.abstract,
        research_question=row.research_question,
        papers_retrieved=row.papers_retrieved,
        claims_extracted=row.claims_extracted,
        claims_verified=row.claims_verified,
        claims=tuple(
            Claim(position=c.position, text=c.text, verified=c.verified, confidence=c.confidence)
            for c in row.claims
        ),
        references=tuple(
            Reference(url=r.url, arxiv_id=r.arxiv_id, arxiv_version=r.arxiv_version)
            for r in row.references
        ),
        review_score=row.review_score,
        authors=tuple(row.authors or ()),
        year=row.year,
        benchmarks=tuple(
            Benchmark(task=b.task, dataset=b.dataset, metric=b.metric, result=b.result, rank=b.rank)
            for b in row.benchmarks
        ),
        unrecognised=tuple(Unrecognised(**item) for item in row.sections.get(_UNRECOGNISED, ())),
        **sections,
    )


def _section_to_json(section: Any) -> dict[str, Any]:
    return {
        f.name: (v.value if isinstance(v := getattr(section, f.name), Level) else v)
        for f in fields(section)
    }


def _section_from_json(cls: type, data: dict[str, Any]) -> Any:
    if cls is QualityDimensions:
        return cls(**{k: Level(v) if v is not None else None for k, v in data.items()})
    return cls(**data)
