"""Reading and writing synthesis records: domain objects in, domain objects out."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.orm import Session, joinedload, selectinload

from reviewer_app.domain.records import (
    Benchmark,
    Claim,
    CorrectionRecord,
    GateVerdict,
    Level,
    Provenance,
    QualityDimensions,
    QualityTier,
    RecordKind,
    Reference,
    SynthesisRecord,
    Verification,
)
from reviewer_app.errors import NotFound
from reviewer_app.storage.models import (
    BenchmarkRow,
    ClaimRow,
    RecordRow,
    ReferenceRow,
    RevisionRow,
)

_SECTIONS: dict[str, type] = {
    "verification": Verification,
    "quality_tier": QualityTier,
    "quality_dimensions": QualityDimensions,
    "correction_record": CorrectionRecord,
    "provenance": Provenance,
    "gate": GateVerdict,
}


# Built once: statements passed parameters at execute time compile once and are cached.
_INSERT_REVISION = insert(RevisionRow.__table__).returning(RevisionRow.__table__.c.id)
_INSERT_RECORD = insert(RecordRow.__table__)
_FIND_RECORD = select(RecordRow.__table__.c.id).where(
    RecordRow.__table__.c.identity_key == bindparam("identity_key")
)
_LATEST_REVISION = (
    select(RevisionRow.__table__.c.revision, RevisionRow.__table__.c.content_sha256)
    .where(RevisionRow.__table__.c.record_id == bindparam("record_id"))
    .order_by(RevisionRow.__table__.c.revision.desc())
    .limit(1)
)


@dataclass(frozen=True)
class SavedRevision:
    local_id: str
    revision: int
    status: str
    """``new`` (first import), ``revised`` (a changed version) or ``unchanged``."""


@dataclass(frozen=True)
class RevisionInfo:
    local_id: str
    revision: int
    revision_count: int
    imported_at: datetime
    source_name: str
    record: SynthesisRecord


def save_revision(session: Session, record: SynthesisRecord, source_name: str) -> SavedRevision:
    """Store ``record`` as a new revision unless its content is already the newest one."""
    record_id = session.scalar(_FIND_RECORD, {"identity_key": record.identity_key})
    now = datetime.now(UTC)
    latest = None
    if record_id is None:
        record_id = record.local_id
        session.execute(
            _INSERT_RECORD,
            {
                "id": record_id,
                "kind": record.kind.value,
                "identity_key": record.identity_key,
                "created_at": now,
            },
        )
    else:
        latest = session.execute(_LATEST_REVISION, {"record_id": record_id}).first()
    content = record.content_sha256
    if latest is not None and latest.content_sha256 == content:
        return SavedRevision(record_id, latest.revision, "unchanged")
    number = 1 if latest is None else latest.revision + 1
    _insert_revision(session, record_id, number, record, content, source_name, now)
    return SavedRevision(record_id, number, "new" if number == 1 else "revised")


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
    count = session.scalar(
        select(func.count()).select_from(RevisionRow).where(RevisionRow.record_id == local_id)
    )
    if not count:
        return None
    query = (
        select(RevisionRow)
        .where(RevisionRow.record_id == local_id)
        .options(
            selectinload(RevisionRow.claims),
            selectinload(RevisionRow.references),
            selectinload(RevisionRow.benchmarks),
            selectinload(RevisionRow.record),
        )
    )
    if revision is None:
        query = query.order_by(RevisionRow.revision.desc()).limit(1)
    else:
        query = query.where(RevisionRow.revision == revision)
    row = session.scalar(query)
    if row is None:
        return None
    return RevisionInfo(
        local_id=local_id,
        revision=row.revision,
        revision_count=count,
        imported_at=row.imported_at,
        source_name=row.source_name,
        record=_record_from_row(row),
    )


def latest_revisions(session: Session) -> list[tuple[RevisionRow, int]]:
    """The newest revision of every record with its revision count, ordered by record id."""
    newest = (
        select(
            RevisionRow.record_id,
            func.max(RevisionRow.revision).label("latest"),
            func.count().label("count"),
        )
        .group_by(RevisionRow.record_id)
        .subquery()
    )
    query = (
        select(RevisionRow, newest.c.count)
        # Callers read each row's kind: load the records with the rows, not one query each.
        .options(joinedload(RevisionRow.record))
        .join(
            newest,
            (RevisionRow.record_id == newest.c.record_id)
            & (RevisionRow.revision == newest.c.latest),
        )
        .order_by(RevisionRow.record_id)
    )
    return [(row, count) for row, count in session.execute(query).all()]


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
    sections = {
        name: _section_to_json(getattr(record, name))
        for name in _SECTIONS
        if getattr(record, name) is not None
    }
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
    children: list[tuple[type, list[dict[str, Any]]]] = [
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
            session.execute(insert(table.__table__), rows)  # type: ignore[attr-defined]


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
