"""The reviewers' submitted ratings of records: as sheets with their claim verdicts, as the
workspace's columns, and what they add up to (agreement, conflicts, consensus)."""

from __future__ import annotations

from collections import defaultdict

from reviewer_app.domain.consensus import (
    DEFAULT_SCORE_MARGIN,
    Conflict,
    RecordConsensus,
    conflicts,
    workspace_consensus,
)
from reviewer_app.domain.records import QUALITY_DIMENSIONS
from reviewer_app.domain.review_sheets import (
    RatingsTable,
    RecordAgreement,
    ReviewerSheet,
    WorkspaceAgreement,
    record_agreement,
    workspace_agreement,
)
from reviewer_app.services.adjudication import AdjudicationService
from reviewer_app.services.scoring_rules import require_record
from reviewer_app.storage import scoring_repository as repo
from reviewer_app.storage.database import Database


class RatingsService:
    def __init__(self, database: Database, adjudication: AdjudicationService) -> None:
        self.database = database
        self.adjudication = adjudication

    def reviewer_sheets(self, record_id: str | None = None) -> dict[str, list[ReviewerSheet]]:
        """Submitted sheets with each reviewer's current claim verdicts, by record."""
        with self.database.snapshot() as session:  # sheets and verdicts of the same moment
            if record_id is not None:
                require_record(session, record_id)
            ratings = repo.submitted_ratings(session, record_id)
            verdicts = repo.current_verdicts(session, record_id)
        by_record: dict[str, list[ReviewerSheet]] = defaultdict(list)
        no_verdicts: dict[int, str | None] = {}
        for record, reviewer, levels, score, recommendation in ratings:
            by_record[record].append(
                ReviewerSheet.stored(
                    reviewer=reviewer,
                    dimensions=dict(zip(QUALITY_DIMENSIONS, levels, strict=True)),
                    review_score=score,
                    claim_verdicts=verdicts.get((record, reviewer), no_verdicts),
                    recommendation=recommendation,
                )
            )
        if record_id is not None:
            by_record.setdefault(record_id, [])
        return dict(by_record)

    def workspace_ratings(self, *, every_record: bool = False) -> RatingsTable:
        """Every submitted sheet's ratings with its reviewer's current verdicts, as columns;
        with ``every_record`` its records are all the workspace's (those without sheets too)."""
        with self.database.snapshot() as session:  # sheets and verdicts of the same moment
            return repo.workspace_ratings(session, every_record=every_record)

    def agreement(self, record_id: str) -> RecordAgreement:
        sheets = self.reviewer_sheets(record_id)[record_id]
        return record_agreement(record_id, sheets)

    def workspace_agreement(self) -> WorkspaceAgreement:
        return workspace_agreement(self.workspace_ratings())

    def conflicts(self, record_id: str, margin: float = DEFAULT_SCORE_MARGIN) -> list[Conflict]:
        sheets = self.reviewer_sheets(record_id)
        settled = self.adjudication.adjudications(record_id)
        return conflicts(sheets, margin=margin, adjudications=settled)

    def consensus(self, record_id: str) -> RecordConsensus:
        sheets = self.reviewer_sheets(record_id)
        return workspace_consensus(sheets, self.adjudication.adjudications(record_id))[record_id]
