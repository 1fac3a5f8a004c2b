"""What the bundle trust model reads and keeps: who the reviewers of this workspace are, and
the work signatures that came with imported bundles (forwarded unchanged on export)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from reviewer_app.bundles.work_signatures import WorkSignature, parse_work_signature
from reviewer_app.storage.review_models import ReviewerRow, WorkSignatureRow


def local_reviewer_names(session: Session) -> set[str]:
    """Reviewers whose work is made in this workspace (not first brought by a bundle)."""
    return set(session.scalars(select(ReviewerRow.name).where(ReviewerRow.imported_from.is_(None))))


def reviewer_names(session: Session) -> set[str]:
    return set(session.scalars(select(ReviewerRow.name)))


def keep_work_signatures(session: Session, signatures: Iterable[WorkSignature]) -> int:
    """Store the signatures not yet stored; returns how many were added."""
    wanted = {s.digest: s for s in signatures}
    if not wanted:
        return 0
    present = set(
        session.scalars(
            select(WorkSignatureRow.digest).where(WorkSignatureRow.digest.in_(sorted(wanted)))
        )
    )
    now = datetime.now(UTC)
    added = 0
    for digest, signature in sorted(wanted.items()):
        if digest in present:
            continue
        session.add(
            WorkSignatureRow(
                digest=digest,
                author=signature.author,
                fingerprint=signature.fingerprint,
                document=signature.document.decode("utf-8"),
                signature=signature.signature_text().decode("ascii"),
                imported_at=now,
            )
        )
        added += 1
    session.flush()
    return added


def work_signatures_of(session: Session, authors: Collection[str]) -> list[WorkSignature]:
    """The stored work signatures of ``authors`` (each checked again as it is read)."""
    rows = session.scalars(
        select(WorkSignatureRow)
        .where(WorkSignatureRow.author.in_(sorted(authors)))
        .order_by(WorkSignatureRow.digest)
    )
    signatures = []
    for row in rows:
        try:
            signatures.append(
                parse_work_signature(row.document.encode("utf-8"), row.signature.encode("ascii"))
            )
        except ValueError:
            continue  # a damaged stored signature vouches for nothing; its rows go unsigned
    return signatures
