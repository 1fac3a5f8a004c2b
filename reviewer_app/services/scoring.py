"""Score sheets, blind review, agreement, conflicts, adjudication and tiers (issue 5)."""

from __future__ import annotations

import string
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from reviewer_app.domain.consensus import (
    DEFAULT_SCORE_MARGIN,
    Adjudication,
    Conflict,
    RecordConsensus,
    conflicts,
    workspace_consensus,
)
from reviewer_app.domain.records import QUALITY_DIMENSIONS, Level
from reviewer_app.domain.review_sheets import (
    RecordAgreement,
    ReviewerSheet,
    WorkspaceAgreement,
    record_agreement,
    workspace_agreement,
)
from reviewer_app.domain.tier_policy import (
    DEFAULT_TIER_POLICY,
    TierPolicy,
    TierResult,
    differs,
    evaluate_consensus,
)
from reviewer_app.errors import NotFound, ReviewerAppError
from reviewer_app.storage import scoring_repository as repo
from reviewer_app.storage.database import Database
from reviewer_app.storage.models import RecordRow
from reviewer_app.storage.records_repository import latest_revisions
from reviewer_app.storage.review_models import AdjudicationRow, ScoreSheetRow, TierPolicyRow
from reviewer_app.storage.reviewers_repository import ensure_reviewer, find_reviewer

BLIND_MODE = "blind_mode"
HIDE_MACHINE_MARKS = "hide_machine_marks"
RECOMMENDATIONS = ("accept", "minor-revision", "major-revision", "reject")


class InvalidSheet(ReviewerAppError):
    pass


@dataclass(frozen=True)
class ScoreSheet:
    record_id: str
    reviewer: str
    dimensions: dict[str, Level | None]
    review_score: float | None
    recommendation: str | None
    comments: str | None
    submitted: bool
    first_impression: bool
    created_at: datetime

    @classmethod
    def from_row(cls, row: ScoreSheetRow, reviewer: str) -> ScoreSheet:
        return cls(
            record_id=row.record_id,
            reviewer=reviewer,
            dimensions={
                name: Level(value) if (value := getattr(row, name)) else None
                for name in QUALITY_DIMENSIONS
            },
            review_score=row.review_score,
            recommendation=row.recommendation,
            comments=row.comments,
            submitted=row.submitted,
            first_impression=row.first_impression,
            created_at=row.created_at,
        )


@dataclass(frozen=True)
class TierReport:
    tier: str
    basis: str
    policy_version: int
    automated_tier: str | None
    differs: bool
    result: TierResult

    def to_json(self) -> dict[str, Any]:
        return {
            "tier": self.tier,
            "basis": self.basis,
            "policy_version": self.policy_version,
            "automated_tier": self.automated_tier,
            "differs": self.differs,
        }


class ScoringService:
    def __init__(self, database: Database) -> None:
        self.database = database

    # -- settings ------------------------------------------------------------------------
    def blind_mode(self) -> bool:
        with self.database.reading() as session:
            return bool(repo.get_setting(session, BLIND_MODE, True))

    def hide_machine_marks(self) -> bool:
        with self.database.reading() as session:
            return bool(repo.get_setting(session, HIDE_MACHINE_MARKS, True))

    def set_setting(self, key: str, value: bool) -> None:
        if key not in (BLIND_MODE, HIDE_MACHINE_MARKS):
            raise ReviewerAppError(f"unknown workspace setting '{key}'")
        with self.database.transaction() as session:
            repo.set_setting(session, key, value)

    # -- sheets --------------------------------------------------------------------------
    def save_sheet(
        self,
        record_id: str,
        reviewer: str,
        *,
        dimensions: dict[str, Level | str | None] | None = None,
        review_score: float | None = None,
        recommendation: str | None = None,
        comments: str | None = None,
        submit: bool = False,
    ) -> ScoreSheet:
        """Save a new version of the reviewer's sheet; fields not given keep their last value."""
        checked = _checked_dimensions(dimensions or {})
        _check_score(review_score)
        if recommendation is not None and recommendation not in RECOMMENDATIONS:
            raise InvalidSheet(
                f"recommendation '{recommendation}' is not one of {', '.join(RECOMMENDATIONS)}"
            )
        with self.database.transaction() as session:
            _require_record(session, record_id)
            person = ensure_reviewer(session, reviewer)
            history = repo.sheet_history(session, record_id, person.id)
            previous = history[-1] if history else None
            values: dict[str, Any] = {
                name: _previous(previous, name) for name in QUALITY_DIMENSIONS
            }
            values.update({name: level.value if level else None for name, level in checked.items()})
            submitted = submit or bool(previous and previous.submitted)
            row = repo.add_sheet_version(
                session,
                record_id=record_id,
                reviewer_id=person.id,
                review_score=review_score
                if review_score is not None
                else _previous(previous, "review_score"),
                recommendation=recommendation or _previous(previous, "recommendation"),
                comments=comments if comments is not None else _previous(previous, "comments"),
                submitted=submitted,
                # The first submitted version is kept as the reviewer's first impression.
                first_impression=submitted and not any(h.submitted for h in history),
                **values,
            )
            if submitted and row.review_score is None:
                raise InvalidSheet(f"{record_id}: a submitted sheet needs a review score")
            return ScoreSheet.from_row(row, person.name)

    def own_sheet(self, record_id: str, reviewer: str) -> ScoreSheet | None:
        with self.database.reading() as session:
            person = find_reviewer(session, reviewer)
            if person is None:
                return None
            history = repo.sheet_history(session, record_id, person.id)
            return ScoreSheet.from_row(history[-1], person.name) if history else None

    def sheet_versions(self, record_id: str, reviewer: str) -> list[ScoreSheet]:
        with self.database.reading() as session:
            person = find_reviewer(session, reviewer)
            if person is None:
                return []
            return [
                ScoreSheet.from_row(row, person.name)
                for row in repo.sheet_history(session, record_id, person.id)
            ]

    def visible_sheets(self, record_id: str, viewer: str) -> list[ScoreSheet]:
        """What ``viewer`` may see: in blind mode, only their own sheet until they submit it."""
        with self.database.reading() as session:
            blind = bool(repo.get_setting(session, BLIND_MODE, True))
            sheets = [
                ScoreSheet.from_row(row, name)
                for row, name in repo.newest_sheets(session, record_id)
            ]
        own = next((s for s in sheets if s.reviewer == viewer), None)
        if blind and not (own and own.submitted):
            return [own] if own else []
        return [s for s in sheets if s.submitted or s.reviewer == viewer]

    def anonymised_sheets(self, record_id: str) -> list[tuple[str, ScoreSheet]]:
        """Submitted sheets labelled Reviewer A, B, C… for adjudicators, in a stable order."""
        with self.database.reading() as session:
            rows = repo.newest_sheets(session, record_id)
        submitted = [ScoreSheet.from_row(row, name) for row, name in rows if row.submitted]
        submitted.sort(key=lambda s: s.created_at)
        return [(f"Reviewer {_letter(i)}", sheet) for i, sheet in enumerate(submitted)]

    # -- agreement and consensus ---------------------------------------------------------
    def reviewer_sheets(self, record_id: str | None = None) -> dict[str, list[ReviewerSheet]]:
        """Submitted sheets with each reviewer's current claim verdicts, by record."""
        with self.database.reading() as session:
            if record_id is not None:
                _require_record(session, record_id)
            rows = repo.newest_sheets(session, record_id)
            verdicts = repo.current_verdicts(session, record_id)
        by_record: dict[str, list[ReviewerSheet]] = defaultdict(list)
        for row, name in rows:
            if not row.submitted:
                continue
            by_record[row.record_id].append(
                ReviewerSheet(
                    reviewer=name,
                    dimensions={n: getattr(row, n) for n in QUALITY_DIMENSIONS},
                    review_score=row.review_score,
                    claim_verdicts=verdicts.get((row.record_id, name), {}),
                )
            )
        if record_id is not None:
            by_record.setdefault(record_id, [])
        return dict(by_record)

    def agreement(self, record_id: str) -> RecordAgreement:
        sheets = self.reviewer_sheets(record_id)[record_id]
        return record_agreement(record_id, sheets)

    def workspace_agreement(self) -> WorkspaceAgreement:
        return workspace_agreement(self.reviewer_sheets())

    def adjudications(self, record_id: str | None = None) -> dict[str, list[Adjudication]]:
        with self.database.reading() as session:
            rows = repo.adjudications(session, record_id)
        found: dict[str, list[Adjudication]] = defaultdict(list)
        for row, name in rows:
            found[row.record_id].append(
                Adjudication(
                    field=row.field,
                    claim_position=row.claim_position,
                    value=_decode_value(row.field, row.value),
                    rationale=row.rationale,
                    adjudicator=name,
                )
            )
        return dict(found)

    def conflicts(self, record_id: str, margin: float = DEFAULT_SCORE_MARGIN) -> list[Conflict]:
        sheets = self.reviewer_sheets(record_id)
        return conflicts(sheets, margin=margin, adjudications=self.adjudications(record_id))

    def consensus(self, record_id: str) -> RecordConsensus:
        sheets = self.reviewer_sheets(record_id)
        return workspace_consensus(sheets, self.adjudications(record_id))[record_id]

    def adjudicate(
        self,
        record_id: str,
        *,
        field: str,
        value: Any,
        rationale: str,
        adjudicator: str,
        claim_position: int | None = None,
    ) -> Adjudication:
        """Settle one item; an additive record, the reviewers' sheets stay as they are."""
        if not rationale.strip():
            raise ReviewerAppError("an adjudication needs a rationale")
        decision = Adjudication(field, claim_position, value, rationale.strip(), adjudicator)
        with self.database.transaction() as session:
            _require_record(session, record_id)
            person = ensure_reviewer(session, adjudicator)
            session.add(
                AdjudicationRow(
                    record_id=record_id,
                    field=field,
                    claim_position=claim_position,
                    value=_encode_value(decision.value),
                    rationale=decision.rationale,
                    adjudicator_id=person.id,
                    created_at=datetime.now().astimezone(),
                    origin="local",
                )
            )
        return decision

    # -- tiers ---------------------------------------------------------------------------
    def policy(self) -> TierPolicy:
        with self.database.transaction() as session:
            return _policy(session)

    def set_policy(self, policy: TierPolicy) -> TierPolicy:
        """Store ``policy`` as the next version and recompute every tier under it."""
        with self.database.transaction() as session:
            current = _policy(session)
            stored = TierPolicy(version=current.version + 1, tiers=policy.tiers)
            _store_policy(session, stored)
        self.recompute_tiers()
        return stored

    def recompute_tiers(self) -> dict[str, TierResult]:
        """Every record's tier under the newest policy; older policies' results are kept."""
        policy = self.policy()
        with self.database.reading() as session:
            record_ids = [row.record_id for row, _ in latest_revisions(session)]
        sheets = self.reviewer_sheets()
        for record_id in record_ids:
            sheets.setdefault(record_id, [])
        results = evaluate_consensus(policy, workspace_consensus(sheets, self.adjudications()))
        with self.database.transaction() as session:
            repo.store_tier_results(
                session, policy.version, {rid: (r.tier, r.basis) for rid, r in results.items()}
            )
        return results

    def tier(self, record_id: str) -> TierReport:
        policy = self.policy()
        sheets = self.reviewer_sheets(record_id)
        result = evaluate_consensus(
            policy, workspace_consensus(sheets, self.adjudications(record_id))
        )[record_id]
        with self.database.transaction() as session:
            repo.store_tier_results(
                session, policy.version, {record_id: (result.tier, result.basis)}
            )
            automated = repo.automated_tier(session, record_id)
        return TierReport(
            tier=result.tier,
            basis=result.basis,
            policy_version=policy.version,
            automated_tier=automated,
            differs=differs(result, automated),
            result=result,
        )

    def tier_history(self, record_id: str) -> list[tuple[int, str, str]]:
        with self.database.reading() as session:
            return [
                (r.policy_version, r.tier, r.basis) for r in repo.tier_results(session, record_id)
            ]


def _policy(session: Session) -> TierPolicy:
    row = repo.latest_policy(session)
    if row is None:
        _store_policy(session, DEFAULT_TIER_POLICY)
        return DEFAULT_TIER_POLICY
    return TierPolicy.from_json(row.definition, source=f"stored tier policy v{row.version}")


def _store_policy(session: Session, policy: TierPolicy) -> None:
    session.add(
        TierPolicyRow(
            version=policy.version,
            definition=policy.to_json(),
            created_at=datetime.now().astimezone(),
        )
    )
    session.flush()


def _require_record(session: Session, record_id: str) -> None:
    if session.get(RecordRow, record_id) is None:
        raise NotFound(f"no record '{record_id}' in the workspace")


def _checked_dimensions(dimensions: dict[str, Level | str | None]) -> dict[str, Level | None]:
    checked: dict[str, Level | None] = {}
    for name, value in dimensions.items():
        if name not in QUALITY_DIMENSIONS:
            raise InvalidSheet(
                f"'{name}' is not a quality dimension ({', '.join(QUALITY_DIMENSIONS)})"
            )
        if value is None:
            checked[name] = None
            continue
        try:
            checked[name] = Level(str(value).upper())
        except ValueError:
            raise InvalidSheet(f"{name} must be LOW, MEDIUM or HIGH, not '{value}'") from None
    return checked


def _check_score(score: float | None) -> None:
    if score is None:
        return
    if not 0 <= score <= 10:
        raise InvalidSheet(f"review score {score} is outside 0-10")
    if round(score, 1) != score:
        raise InvalidSheet(f"review score {score} has more than one decimal")


def _previous(row: ScoreSheetRow | None, name: str) -> Any:
    return getattr(row, name) if row is not None else None


def _encode_value(value: Any) -> str:
    return value.value if isinstance(value, Level) else str(value)


def _decode_value(field: str, value: str) -> Any:
    if field == "review_score":
        return float(value)
    return value


def _letter(index: int) -> str:
    letters = string.ascii_uppercase
    return (
        letters[index]
        if index < len(letters)
        else f"{letters[index // 26 - 1]}{letters[index % 26]}"
    )
