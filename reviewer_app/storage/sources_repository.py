"""Source PDFs attached to records (rows of ``source_files``)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewer_app.storage.review_models import ReviewerRow, SourceFileRow


def attached_files(session: Session, record_id: str) -> list[tuple[SourceFileRow, str | None]]:
    """Every file attached to the record with the name of who attached it, newest first."""
    query = (
        select(SourceFileRow, ReviewerRow.name)
        .outerjoin(ReviewerRow, ReviewerRow.id == SourceFileRow.attached_by)
        .where(SourceFileRow.record_id == record_id)
        .order_by(SourceFileRow.attached_at.desc(), SourceFileRow.id.desc())
    )
    return [(row, name) for row, name in session.execute(query).all()]


def find_file(session: Session, record_id: str, sha256: str) -> SourceFileRow | None:
    return session.scalar(
        select(SourceFileRow).where(
            SourceFileRow.record_id == record_id, SourceFileRow.sha256 == sha256
        )
    )


def sibling_shas(session: Session, record_id: str, sha256: str) -> list[str]:
    """Other files attached for the same reference as ``sha256`` (none for unmatched files)."""
    row = find_file(session, record_id, sha256)
    if row is None or row.reference_url is None:
        return []
    return files_for_reference(session, record_id, row.reference_url, excluding=sha256)


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
    attached_by: int | None,
) -> SourceFileRow:
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
        attached_by=attached_by,
    )
    session.add(row)
    session.flush()
    return row


def reviewer_name(session: Session, reviewer_id: int | None) -> str | None:
    if reviewer_id is None:
        return None
    row = session.get(ReviewerRow, reviewer_id)
    return row.name if row else None
