"""Score sheets, blind review, agreement, conflicts, adjudication and tiers (issue 5)."""

from __future__ import annotations

import string
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

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
    RatingsTable,
    RecordAgreement,
    ReviewerSheet,
    WorkspaceAgreement,
    record_agreement,
    workspace_agreement,
)
from reviewer_app.domain.score_sheets import RECOMMENDATIONS, ScoreSheet
from reviewer_app.domain.tier_policy import (
    DEFAULT_TIER_POLICY,
    GroundingCounts,
    TierPolicy,
    TierResult,
    differs,
    evaluate_consensus,
)
from reviewer_app.domain.workspace_settings import BLIND_MODE, HIDE_MACHINE_MARKS
from reviewer_app.errors import NotFound, ReviewerAppError
from reviewer_app.storage import scoring_repository as repo
from reviewer_app.storage.database import Database, UnitOfWork
from reviewer_app.storage.retry import retried
from reviewer_app.storage.reviewers_repository import (
    ensure_reviewer_profile,
    lock_reviewer,
    reviewer_named,
)

# ScoreSheet and RECOMMENDATIONS are the domain's, offered here too for the window and the CLI
__all__ = [
    "BLIND_MODE",
    "HIDE_MACHINE_MARKS",
    "RECOMMENDATIONS",
    "InvalidSheet",
    "RoleRefused",
    "ScoreSheet",
    "ScoringService",
    "TierReport",
]


class InvalidSheet(ReviewerAppError):
    pass


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
    @retried  # concurrent team writers: a deadlock or serialization failure is rerun
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
            if _has_adjudicated(session, record_id, reviewer):
                raise RoleRefused(f"{reviewer} adjudicated {record_id} and so cannot also score it")
            person = ensure_reviewer_profile(session, reviewer)
            # the reviewer's other saves wait here, so each builds on the last and only the
            # first submitted one is the first impression (an index enforces that too)
            lock_reviewer(session, person.id)
            history = repo.sheet_history(session, record_id, person)
            previous = history[-1] if history else None
            submitted = submit or bool(previous and previous.submitted)
            sheet = ScoreSheet(
                record_id=record_id,
                reviewer=person.name,
                dimensions={
                    name: checked[name]
                    if name in checked
                    else (previous.dimensions[name] if previous else None)
                    for name in QUALITY_DIMENSIONS
                },
                review_score=review_score
                if review_score is not None
                else (previous.review_score if previous else None),
                recommendation=recommendation or (previous.recommendation if previous else None),
                comments=comments
                if comments is not None
                else (previous.comments if previous else None),
                submitted=submitted,
                # The first submitted version is kept as the reviewer's first impression.
                first_impression=submitted and not any(h.submitted for h in history),
                created_at=datetime.now(UTC),
            )
            repo.add_sheet_version(session, sheet, person)
            if submitted and sheet.review_score is None:
                raise InvalidSheet(f"{record_id}: a submitted sheet needs a review score")
            return sheet

    def own_sheet(self, record_id: str, reviewer: str) -> ScoreSheet | None:
        with self.database.reading() as session:
            person = reviewer_named(session, reviewer)
            if person is None:
                return None
            history = repo.sheet_history(session, record_id, person)
            return history[-1] if history else None

    def sheet_versions(self, record_id: str, reviewer: str) -> list[ScoreSheet]:
        with self.database.reading() as session:
            person = reviewer_named(session, reviewer)
            if person is None:
                return []
            return repo.sheet_history(session, record_id, person)

    def visible_sheets(self, record_id: str, viewer: str) -> list[ScoreSheet]:
        """What ``viewer`` may see: in blind mode, only their own sheet until they submit it."""
        with self.database.reading() as session:
            blind = bool(repo.get_setting(session, BLIND_MODE, True))
            sheets = repo.newest_sheets(session, record_id)
        own = next((s for s in sheets if s.reviewer == viewer), None)
        if blind and not (own and own.submitted):
            return [own] if own else []
        return [s for s in sheets if s.submitted or s.reviewer == viewer]

    def hides_others_from(self, viewer: str, submitted: Sequence[ReviewerSheet]) -> bool:
        """Blind review hides the other reviewers' judgements on a record from ``viewer``:
        blind mode is on and ``viewer`` is not among the record's ``submitted`` sheets."""
        return self.blind_mode() and all(sheet.reviewer != viewer for sheet in submitted)

    def is_party(self, record_id: str, reviewer: str) -> bool:
        """``reviewer`` has worked on the record: a score sheet (draft or submitted), a verdict
        or an evidence span (the team server's row-level security counts the same)."""
        with self.database.reading() as session:
            return _party_work(session, record_id, reviewer) is not None

    def can_adjudicate(self, record_id: str, reviewer: str) -> bool:
        """The adjudicator role is only for records the reviewer has not worked on."""
        return not self.is_party(record_id, reviewer)

    def anonymised_sheets(self, record_id: str, adjudicator: str) -> list[tuple[str, ScoreSheet]]:
        """Submitted sheets labelled Reviewer A, B, C… for an adjudicator, in a stable order.

        Refused to anyone who has worked on the record: for them the rule of blind review holds
        (``visible_sheets``), whatever they call themselves."""
        with self.database.reading() as session:
            _require_record(session, record_id)
            work = _party_work(session, record_id, adjudicator)
            if work is not None:
                raise RoleRefused(
                    f"{adjudicator} has {work} on {record_id}, so cannot act as its "
                    "adjudicator; the other reviewers' sheets appear once the own sheet is "
                    "submitted"
                )
            newest = repo.newest_sheets(session, record_id)
        submitted = [sheet for sheet in newest if sheet.submitted]
        submitted.sort(key=lambda s: s.created_at)
        return [(f"Reviewer {_letter(i)}", sheet) for i, sheet in enumerate(submitted)]

    # -- agreement and consensus ---------------------------------------------------------
    def reviewer_sheets(self, record_id: str | None = None) -> dict[str, list[ReviewerSheet]]:
        """Submitted sheets with each reviewer's current claim verdicts, by record."""
        with self.database.snapshot() as session:  # sheets and verdicts of the same moment
            if record_id is not None:
                _require_record(session, record_id)
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

    def agreement(self, record_id: str) -> RecordAgreement:
        sheets = self.reviewer_sheets(record_id)[record_id]
        return record_agreement(record_id, sheets)

    def workspace_ratings(self, *, every_record: bool = False) -> RatingsTable:
        """Every submitted sheet's ratings with its reviewer's current verdicts, as columns;
        with ``every_record`` its records are all the workspace's (those without sheets too)."""
        with self.database.snapshot() as session:  # sheets and verdicts of the same moment
            return repo.workspace_ratings(session, every_record=every_record)

    def workspace_agreement(self) -> WorkspaceAgreement:
        return workspace_agreement(self.workspace_ratings())

    def adjudications(self, record_id: str | None = None) -> dict[str, list[Adjudication]]:
        with self.database.reading() as session:
            stored = repo.adjudications(session, record_id)
        found: dict[str, list[Adjudication]] = defaultdict(list)
        for record, adjudication in stored:
            found[record].append(adjudication)
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
            work = _party_work(session, record_id, adjudicator)
            if work is not None:
                raise RoleRefused(
                    f"{adjudicator} has {work} on {record_id} and so is a party to its "
                    "conflicts: another reviewer must adjudicate them"
                )
            person = ensure_reviewer_profile(session, adjudicator)
            repo.add_adjudication(session, record_id, decision, person)
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
            repo.store_policy(session, stored)
        self.recompute_tiers()
        return stored

    def recompute_tiers(self) -> dict[str, TierResult]:
        """Every record's tier under the newest policy; older policies' results are kept."""
        policy = self.policy()
        results = evaluate_consensus(
            policy,
            workspace_consensus(self.workspace_ratings(every_record=True), self.adjudications()),
            self._grounding_counts(policy, None),
        )
        with self.database.transaction() as session:
            repo.store_tier_results(
                session, policy.version, {rid: (r.tier, r.basis) for rid, r in results.items()}
            )
        return results

    def tier(self, record_id: str) -> TierReport:
        policy = self.policy()
        sheets = self.reviewer_sheets(record_id)
        result = evaluate_consensus(
            policy,
            workspace_consensus(sheets, self.adjudications(record_id)),
            self._grounding_counts(policy, record_id),
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

    def _grounding_counts(
        self, policy: TierPolicy, record_id: str | None
    ) -> dict[str, GroundingCounts] | None:
        """The computed grounding, only for a policy with rules on it (it reads every PDF)."""
        if not policy.uses_grounding:
            return None
        # imported here: the grounding service builds on this one
        from reviewer_app.services.grounding import grounding_counts

        return grounding_counts(self.database, record_id)

    def tier_history(self, record_id: str) -> list[tuple[int, str, str]]:
        with self.database.reading() as session:
            return repo.tier_results(session, record_id)


def _policy(session: UnitOfWork) -> TierPolicy:
    stored = repo.latest_policy(session)
    if stored is None:
        repo.store_policy(session, DEFAULT_TIER_POLICY)
        return DEFAULT_TIER_POLICY
    return stored


class RoleRefused(ReviewerAppError):
    """What the reviewer's role on the record does not allow (blind review, adjudication)."""


def _party_work(session: UnitOfWork, record_id: str, reviewer: str) -> str | None:
    person = reviewer_named(session, reviewer)
    return None if person is None else repo.work_on_record(session, record_id, person)


def _has_adjudicated(session: UnitOfWork, record_id: str, reviewer: str) -> bool:
    return any(a.adjudicator == reviewer for _, a in repo.adjudications(session, record_id))


def _require_record(session: UnitOfWork, record_id: str) -> None:
    if not repo.record_exists(session, record_id):
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


def _letter(index: int) -> str:
    letters = string.ascii_uppercase
    return (
        letters[index]
        if index < len(letters)
        else f"{letters[index // 26 - 1]}{letters[index % 26]}"
    )
