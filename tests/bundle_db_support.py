"""Helpers for the bundle tests: workspaces filled with review rows made directly through
SQLAlchemy and row counts of every table. No tests here; the in-memory keyring fixtures
(``memory_keyring``, ``no_keyring``) are in ``conftest.py``."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reviewer_app.domain.tier_policy import DEFAULT_TIER_POLICY
from reviewer_app.importers import read_synthesis
from reviewer_app.storage.database import Database
from reviewer_app.storage.models import Base
from reviewer_app.storage.records_repository import save_revision
from reviewer_app.storage.review_models import (
    AdjudicationRow,
    ClaimVerdictRow,
    CorrectionRow,
    EvidenceSpanRow,
    ScoreSheetRow,
    SourceFileRow,
    SpanAnchorRow,
    TierPolicyRow,
    TierResultRow,
)
from reviewer_app.storage.reviewers_repository import ensure_reviewer
from tests.conftest import SAMPLES

T0 = datetime(2026, 3, 1, 9, 0, 0, 123456, tzinfo=UTC)
DEMO_PDF = SAMPLES.parent / "pdfs" / "2407.17856v4.pdf"
DEMO_PDF_SHA256 = hashlib.sha256(DEMO_PDF.read_bytes()).hexdigest()
REPORT = "report-sparse-multimodal-alignment.txt"  # RPT-60A47641: 10 claims, 3 references
RECORD_PAGE = "record-page-label-value.txt"  # SRCH:8F12A054: a correction record, no claims
REVIEWERS = ("alice", "bob", "carol")
QUAD = (72.0, 100.5, 300.0, 100.5, 72.0, 112.0, 300.0, 112.0)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def import_samples(database: Database, *names: str) -> list[str]:
    """Import demo records by file name; returns their ids."""
    ids = []
    with database.transaction() as session:
        for name in names:
            record = read_synthesis(SAMPLES / name)
            ids.append(save_revision(session, record, name).local_id)
    return ids


def table_counts(database: Database) -> dict[str, int]:
    """Rows in every table of the schema."""
    with database.reading() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }


def add_policy(session: Session, definition: dict | None = None, version: int = 1) -> None:
    session.add(
        TierPolicyRow(
            version=version,
            definition=definition or DEFAULT_TIER_POLICY.to_json(),
            created_at=at(-60),
        )
    )
    session.flush()


def add_sheet(
    session: Session,
    record_id: str,
    reviewer: str,
    *,
    minutes: float,
    levels: Sequence[str | None] = ("HIGH", "MEDIUM", "LOW", "MEDIUM"),
    score: float | None = 7.5,
    submitted: bool = True,
    first_impression: bool = False,
) -> None:
    dimensions = ("evidence_strength", "citation_grounding", "uncertainty_disclosure")
    session.add(
        ScoreSheetRow(
            record_id=record_id,
            reviewer_id=ensure_reviewer(session, reviewer).id,
            **dict(zip((*dimensions, "reproducibility_status"), levels, strict=True)),
            review_score=score,
            recommendation="accept" if (score or 0) >= 7 else "revise",
            comments=f"{reviewer}'s view <b>&</b> notes",
            submitted=submitted,
            first_impression=first_impression,
            created_at=at(minutes),
            origin="local",
        )
    )


def add_verdict(
    session: Session,
    record_id: str,
    position: int,
    reviewer: str,
    verdict: str | None,
    *,
    minutes: float,
    reason: str | None = None,
) -> None:
    session.add(
        ClaimVerdictRow(
            record_id=record_id,
            claim_position=position,
            reviewer_id=ensure_reviewer(session, reviewer).id,
            verdict=verdict,
            reason=reason,
            note=None,
            created_at=at(minutes),
            origin="local",
        )
    )


def add_span(
    session: Session,
    record_id: str,
    position: int,
    reviewer: str,
    *,
    minutes: float,
    exact: str = "sparse mixture of experts",
    page: int = 0,
    removed: bool = False,
    source_sha256: str = DEMO_PDF_SHA256,
) -> str:
    span_id = str(uuid.uuid4())
    session.add(
        EvidenceSpanRow(
            id=span_id,
            record_id=record_id,
            claim_position=position,
            reviewer_id=ensure_reviewer(session, reviewer).id,
            source_sha256=source_sha256,
            stance="supports",
            note=f"{reviewer} marked this",
            page=page,
            quads=[list(QUAD)],
            exact=exact,
            prefix="we train a ",
            suffix=" model",
            start=1000 + position,
            end=1000 + position + len(exact),
            created_at=at(minutes),
            removed_at=at(minutes + 1) if removed else None,
        )
    )
    return span_id


def populate(database: Database, record_ids: Sequence[str], *, spans_per_reviewer: int = 1) -> None:
    """Three reviewers' full review of each record: two sheet versions each (the first a first
    impression), verdicts on the first claims, spans (one removed), an anchor, an adjudication,
    a tier under the default policy, a correction and an attached source PDF."""
    with database.transaction() as session:
        if session.get(TierPolicyRow, 1) is None:
            add_policy(session)
        for r, record_id in enumerate(record_ids):
            base = r * 100
            for i, reviewer in enumerate(REVIEWERS):
                ensure_reviewer(session, reviewer, orcid="0000-0002-1825-0097" if i == 0 else None)
                add_sheet(
                    session,
                    record_id,
                    reviewer,
                    minutes=base + i,
                    first_impression=True,
                    score=6.0 + i,
                )
                add_sheet(
                    session,
                    record_id,
                    reviewer,
                    minutes=base + 10 + i,
                    score=6.5 + i,
                    levels=("HIGH", "HIGH", "MEDIUM", None),
                )
                for position in (1, 2, 3):
                    verdict = "supports" if (position + i) % 3 else "contradicts"
                    add_verdict(
                        session,
                        record_id,
                        position,
                        reviewer,
                        verdict,
                        minutes=base + 20 + position + i / 10,
                    )
                for n in range(spans_per_reviewer):
                    add_span(
                        session,
                        record_id,
                        1 + n % 3,
                        reviewer,
                        minutes=base + 30 + i + n,
                        removed=(i == 2 and n == 0),
                    )
            session.flush()
            first_span = session.scalars(
                select(EvidenceSpanRow.id).where(EvidenceSpanRow.record_id == record_id)
            ).first()
            session.add(
                SpanAnchorRow(
                    span_id=first_span,
                    pdf_sha256="b" * 64,
                    status="moved",
                    page=1,
                    quads=[list(QUAD)],
                    start=5,
                    end=30,
                    score=0.93,
                    computed_at=at(base + 40),
                )
            )
            adjudicator = ensure_reviewer(session, "dana").id
            session.add(
                AdjudicationRow(
                    record_id=record_id,
                    field="claim_verdict",
                    claim_position=1,
                    value="supports",
                    rationale="two of three agree",
                    adjudicator_id=adjudicator,
                    created_at=at(base + 50),
                    origin="local",
                )
            )
            session.add(
                TierResultRow(
                    record_id=record_id,
                    policy_version=1,
                    tier="Watchlist",
                    basis="Watchlist: consensus score 7.5 is below 7.0.",
                    computed_at=at(base + 51),
                )
            )
            session.add(
                CorrectionRow(
                    id=str(uuid.uuid4()),
                    record_id=record_id,
                    reviewer_id=ensure_reviewer(session, "bob").id,
                    what="Claim 2 cites the wrong table",
                    why="Table 3 shows otherwise",
                    evidence="p. 4, Table 3",
                    created_at=at(base + 52),
                )
            )
            session.add(
                SourceFileRow(
                    record_id=record_id,
                    sha256=DEMO_PDF_SHA256,
                    reference_url="https://arxiv.org/abs/2407.17856v4",
                    arxiv_id="2407.17856",
                    arxiv_version=4,
                    file_name=DEMO_PDF.name,
                    size=DEMO_PDF.stat().st_size,
                    page_count=1,
                    attached_at=at(base + 5),
                    attached_by=ensure_reviewer(session, "alice").id,
                )
            )


WORK_AUTHORS = (*REVIEWERS, "dana")
"""Everyone with work in ``populate``'s workspace (dana adjudicates)."""


def sign_own_work(
    database: Database,
    record_ids: Sequence[str],
    folder: Path,
    authors: Sequence[str] = WORK_AUTHORS,
    trust: object | None = None,
) -> None:
    """Each author exports once from the workspace (a keyring is needed): that signs their own
    rows, and keeps the signature there for a colleague's export to forward."""
    from reviewer_app.services.bundles import BundleService

    for author in authors:
        BundleService(database, trust=trust).export(  # type: ignore[arg-type]
            record_ids, folder / f"own-work-{author}.zip", reviewer=author
        )


def store_demo_pdf(root: Path) -> str:
    from reviewer_app.pdf.store import PdfStore

    return PdfStore(root).add(DEMO_PDF).sha256
