"""Tiers: the workspace's tier policy (versioned), and the tier each record earns under it
from the reviewers' consensus (and, for rules on it, the computed grounding)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reviewer_app.domain.consensus import workspace_consensus
from reviewer_app.domain.tier_policy import (
    DEFAULT_TIER_POLICY,
    GroundingCounts,
    TierPolicy,
    TierResult,
    differs,
    evaluate_consensus,
)
from reviewer_app.services.adjudication import AdjudicationService
from reviewer_app.services.ratings import RatingsService
from reviewer_app.storage import scoring_repository as repo
from reviewer_app.storage.database import Database, UnitOfWork


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


class TierService:
    def __init__(
        self, database: Database, ratings: RatingsService, adjudication: AdjudicationService
    ) -> None:
        self.database = database
        self.ratings = ratings
        self.adjudication = adjudication

    def policy(self) -> TierPolicy:
        with self.database.transaction() as session:
            return _policy(session)

    def set_policy(self, policy: TierPolicy) -> TierPolicy:
        """Store ``policy`` as the next version and recompute every tier under it."""
        with self.database.transaction() as session:
            current = _policy(session)
            stored = TierPolicy(version=current.version + 1, tiers=policy.tiers)
            repo.store_policy(session, stored)
        self.recompute()
        return stored

    def recompute(self) -> dict[str, TierResult]:
        """Every record's tier under the newest policy; older policies' results are kept."""
        policy = self.policy()
        results = evaluate_consensus(
            policy,
            workspace_consensus(
                self.ratings.workspace_ratings(every_record=True),
                self.adjudication.adjudications(),
            ),
            self._grounding_counts(policy, None),
        )
        with self.database.transaction() as session:
            repo.store_tier_results(
                session, policy.version, {rid: (r.tier, r.basis) for rid, r in results.items()}
            )
        return results

    def tier(self, record_id: str) -> TierReport:
        """The record's tier under the newest policy, stored as its result."""
        policy = self.policy()
        sheets = self.ratings.reviewer_sheets(record_id)
        result = evaluate_consensus(
            policy,
            workspace_consensus(sheets, self.adjudication.adjudications(record_id)),
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

    def history(self, record_id: str) -> list[tuple[int, str, str]]:
        """(policy version, tier, basis) of every result stored for the record."""
        with self.database.reading() as session:
            return repo.tier_results(session, record_id)

    def _grounding_counts(
        self, policy: TierPolicy, record_id: str | None
    ) -> dict[str, GroundingCounts] | None:
        """The computed grounding, only for a policy with rules on it (it reads every PDF)."""
        if not policy.uses_grounding:
            return None
        # imported here: the grounding service builds on the scoring services
        from reviewer_app.services.grounding import grounding_counts

        return grounding_counts(self.database, record_id)


def _policy(session: UnitOfWork) -> TierPolicy:
    stored = repo.latest_policy(session)
    if stored is None:
        repo.store_policy(session, DEFAULT_TIER_POLICY)
        return DEFAULT_TIER_POLICY
    return stored
