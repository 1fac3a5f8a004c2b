"""Source PDFs attached to records (rows of ``source_files``), handed out as ``AttachedSource``."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from reviewer_app.domain.reviewers import Reviewer
from reviewer_app.domain.sources import AttachedSource
from reviewer_app.storage.review_models import ReviewerRow, SourceFileRow
from reviewer_app.storage.row_values import as_utc

_WITH_ATTACHER = select(
    SourceFileRow.sha256,
    SourceFileRow.file_name,
    SourceFileRow.reference_url,
    SourceFileRow.arxiv_id,
    SourceFileRow.arxiv_version,
    SourceFileRow.size,
    SourceFileRow.page_count,
    SourceFileRow.attached_at,
    ReviewerRow.name,  # None (outer join) once the attacher is unknown here
).outerjoin(ReviewerRow, ReviewerRow.id == SourceFileRow.attached_by)
_AttachedRow = Row[str, str, str | None, str | None, int | None, int, int, datetime, str]


def _attached(row: _AttachedRow) -> AttachedSource:
    sha256, file_name, url, arxiv_id, version, size, pages, attached_at, name = row
    return AttachedSource(
        sha256=sha256,
        file_name=file_name,
        reference_url=url,
        arxiv_id=arxiv_id,
        arxiv_version=version,
        size=size,
        page_count=pages,
        attached_at=as_utc(attached_at),
        attached_by=name,
    )


def attached_files(session: Session, record_id: str) -> list[AttachedSource]:
    """Every file attached to the record with the name of who attached it, newest first."""
    query = _WITH_ATTACHER.where(SourceFileRow.record_id == record_id)
    query = query.order_by(SourceFileRow.attached_at.desc(), SourceFileRow.id.desc())
    return [_attached(row) for row in session.execute(query)]


def find_file(session: Session, record_id: str, sha256: str) -> AttachedSource | None:
    query = _WITH_ATTACHER.where(
        SourceFileRow.record_id == record_id, SourceFileRow.sha256 == sha256
    )
    row = session.execute(query).first()
    return None if row is None else _attached(row)


def sibling_shas(session: Session, record_id: str, sha256: str) -> list[str]:
    """Other files attached for the same reference as ``sha256`` (none for unmatched files)."""
    found = find_file(session, record_id, sha256)
    if found is None or found.reference_url is None:
        return []
    return files_for_reference(session, record_id, found.reference_url, excluding=sha256)


def files_for_reference(
    session: Session, record_id: str, reference_url: str, *, excluding: str | None = None
) -> list[str]:
    query = select(SourceFileRow.sha256).where(
        SourceFileRow.record_id == record_id, SourceFileRow.reference_url == reference_url
    )
    if excluding is not None:
        query = query.where(SourceFileRow.sha256 != excluding)
    return list(session.scalars(query.order_by(SourceFileRow.id)))


def add_file(
    session: Session,
    *,
    record_id: str,
    sha256: str,
    reference_url: str | None,
    arxiv_id: str | None,
    arxiv_version: int | None,
    file_name: str,
    size: int,
    page_count: int,
    attached_by: Reviewer,
) -> AttachedSource:
    row = SourceFileRow(
        record_id=record_id,
        sha256=sha256,
        reference_url=reference_url,
        arxiv_id=arxiv_id,
        arxiv_version=arxiv_version,
        file_name=file_name,
        size=size,
        page_count=page_count,
        attached_at=datetime.now(UTC),
        attached_by=attached_by.id,
    )
    session.add(row)
    return _written(session, record_id, sha256)


def reattach_file(
    session: Session,
    *,
    record_id: str,
    sha256: str,
    reference_url: str | None,
    arxiv_id: str | None,
    arxiv_version: int | None,
    attached_by: Reviewer,
) -> AttachedSource:
    """Attach a file already on the record to another reference, by ``attached_by``, now."""
    row = session.scalar(
        select(SourceFileRow).where(
            SourceFileRow.record_id == record_id, SourceFileRow.sha256 == sha256
        )
    )
    if row is None:
        raise LookupError(f"{record_id} has no attached file {sha256}")
    row.reference_url, row.arxiv_id, row.arxiv_version = reference_url, arxiv_id, arxiv_version
    row.attached_at, row.attached_by = datetime.now(UTC), attached_by.id
    return _written(session, record_id, sha256)


def _written(session: Session, record_id: str, sha256: str) -> AttachedSource:
    """The file just added or changed, read back as every other read sees it."""
    session.flush()
    written = find_file(session, record_id, sha256)
    assert written is not None  # flushed into this transaction just now
    return written
