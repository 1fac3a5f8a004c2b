"""Plain arrays for the scoring plots: the plots draw these and compute nothing themselves.

Levels are drawn on a 1-2-3 axis (LOW, MEDIUM, HIGH); a missing rating is NaN. Blind mode is
respected: a record's arrays only hold what the viewer may see (``visible_sheets``), and the
consensus only once the viewer may see the other sheets.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from reviewer_app.domain.calibration import Calibration, pooled_calibration, record_calibration
from reviewer_app.domain.consensus import workspace_consensus
from reviewer_app.domain.records import QUALITY_DIMENSIONS, Level
from reviewer_app.domain.review_sheets import ReviewerSheet
from reviewer_app.domain.tier_policy import RuleKind, TierPolicy, evaluate_consensus
from reviewer_app.services.reviewers import ReviewerService
from reviewer_app.services.scoring import ScoringService
from reviewer_app.services.workspace import Workspace

CONSENSUS = "Consensus"
CONSENSUS_COLOUR = "#444444"
FALLBACK_COLOUR = "#888888"
LEVEL_AXIS = {1.0: Level.LOW.value, 2.0: Level.MEDIUM.value, 3.0: Level.HIGH.value}
SCORE_RANGE = (0.0, 10.0)


@dataclass(frozen=True, eq=False)
class DimensionSeries:
    """``values[series, dimension]`` on the 1-3 level axis; the last series may be consensus."""

    record_id: str
    dimensions: tuple[str, ...]
    series: tuple[str, ...]
    colours: tuple[str, ...]
    values: np.ndarray


@dataclass(frozen=True)
class Threshold:
    tier: str
    value: float


@dataclass(frozen=True, eq=False)
class ScoreSeries:
    record_id: str
    reviewers: tuple[str, ...]
    colours: tuple[str, ...]
    scores: np.ndarray
    consensus: float | None
    thresholds: tuple[Threshold, ...]
    """Minimum consensus scores of the policy's tiers, best tier first."""


@dataclass(frozen=True)
class TierRegion:
    """Where a tier's score and verified-claim rules pass (its other rules are not drawn)."""

    tier: str
    min_score: float
    min_verified: float


@dataclass(frozen=True, eq=False)
class OverviewPoints:
    record_ids: tuple[str, ...]
    scores: np.ndarray
    """Consensus review score per record; records without one are left out."""
    verified: np.ndarray
    tiers: tuple[str, ...]
    regions: tuple[TierRegion, ...]
    """Best tier first; the last tier covers the whole plane."""
    policy_version: int
    withheld: int = 0
    """Records left out because blind mode hides their consensus from the viewer."""


class PlotDataService:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.scoring = ScoringService(workspace.database)
        self.reviewers = ReviewerService(workspace.database)

    def colours(self) -> dict[str, str]:
        return {r.name: r.colour or FALLBACK_COLOUR for r in self.reviewers.list()}

    def sees_consensus(self, record_id: str, viewer: str) -> bool:
        """Blind mode withholds the consensus until the viewer has submitted a sheet."""
        own = self.scoring.sheets.own(record_id, viewer)
        return not self.scoring.settings.blind_mode() or bool(own and own.submitted)

    def dimensions(self, record_id: str, viewer: str) -> DimensionSeries:
        sheets = self.scoring.blind.visible_sheets(record_id, viewer)
        colours = self.colours()
        names = [s.reviewer for s in sheets]
        rows = [[_level_value(s.dimensions.get(d)) for d in QUALITY_DIMENSIONS] for s in sheets]
        series_colours = [colours.get(n, FALLBACK_COLOUR) for n in names]
        if self.sees_consensus(record_id, viewer):
            consensus = self.scoring.ratings.consensus(record_id)
            names.append(CONSENSUS)
            series_colours.append(CONSENSUS_COLOUR)
            rows.append([_level_value(consensus.dimensions[d].value) for d in QUALITY_DIMENSIONS])
        values = np.array(rows, dtype=float).reshape(len(names), len(QUALITY_DIMENSIONS))
        return DimensionSeries(
            record_id, QUALITY_DIMENSIONS, tuple(names), tuple(series_colours), values
        )

    def scores(self, record_id: str, viewer: str) -> ScoreSeries:
        sheets = self.scoring.blind.visible_sheets(record_id, viewer)
        colours = self.colours()
        consensus = None
        if self.sees_consensus(record_id, viewer):
            value = self.scoring.ratings.consensus(record_id).review_score.value
            consensus = float(value) if isinstance(value, int | float) else None
        return ScoreSeries(
            record_id=record_id,
            reviewers=tuple(s.reviewer for s in sheets),
            colours=tuple(colours.get(s.reviewer, FALLBACK_COLOUR) for s in sheets),
            scores=np.array(
                [math.nan if s.review_score is None else s.review_score for s in sheets],
                dtype=float,
            ),
            consensus=consensus,
            thresholds=score_thresholds(self.scoring.tiers.policy()),
        )

    def overview(self, viewer: str | None = None) -> OverviewPoints:
        """Every record with a consensus score, from one pass over the workspace.

        With a ``viewer`` and blind mode on, records the viewer has not submitted a sheet for
        are left out: their consensus is built from sheets the viewer may not see yet.
        """
        policy = self.scoring.tiers.policy()
        sheets = self.scoring.ratings.reviewer_sheets()
        for summary in self.workspace.list_records():
            sheets.setdefault(summary.local_id, [])
        consensus = workspace_consensus(sheets, self.scoring.adjudication.adjudications())
        tiers = evaluate_consensus(policy, consensus)
        scored = [
            (rid, float(c.review_score.value), c.verified_claims, tiers[rid].tier)
            for rid, c in consensus.items()
            if isinstance(c.review_score.value, int | float)
        ]
        withheld = 0
        if viewer is not None and self.scoring.settings.blind_mode():
            shown = [item for item in scored if _submitted_by(sheets[item[0]], viewer)]
            withheld, scored = len(scored) - len(shown), shown
        return OverviewPoints(
            record_ids=tuple(item[0] for item in scored),
            scores=np.array([item[1] for item in scored], dtype=float),
            verified=np.array([item[2] for item in scored], dtype=float),
            tiers=tuple(item[3] for item in scored),
            regions=tier_regions(policy),
            policy_version=policy.version,
            withheld=withheld,
        )

    def workspace_calibration(self, viewer: str | None = None) -> Calibration:
        """Claim confidences against consensus verdicts, pooled over the workspace.

        With a ``viewer`` and blind mode on, only records the viewer has submitted a sheet for
        count, as in :meth:`overview`.
        """
        sheets = self.scoring.ratings.reviewer_sheets()
        consensus = workspace_consensus(sheets, self.scoring.adjudication.adjudications())
        blind = viewer is not None and self.scoring.settings.blind_mode()
        pooled = [
            (self.workspace.get_record(record_id).record.claims, found.verdicts())
            for record_id, found in consensus.items()
            if found.claim_verdicts
            and not (blind and viewer is not None and not _submitted_by(sheets[record_id], viewer))
        ]
        return pooled_calibration(pooled)

    def calibration(self, record_id: str) -> Calibration:
        """The record's claim confidences against the reviewers' consensus verdicts."""
        claims = self.workspace.get_record(record_id).record.claims
        return record_calibration(claims, self.scoring.ratings.consensus(record_id).verdicts())


def score_thresholds(policy: TierPolicy) -> tuple[Threshold, ...]:
    return tuple(
        Threshold(tier.name, float(rule.threshold))
        for tier in policy.tiers
        for rule in tier.rules
        if rule.kind is RuleKind.MIN_CONSENSUS_SCORE and rule.threshold is not None
    )


def tier_regions(policy: TierPolicy) -> tuple[TierRegion, ...]:
    regions = []
    for tier in policy.tiers:
        limits = {rule.kind: float(rule.threshold or 0) for rule in tier.rules}
        regions.append(
            TierRegion(
                tier.name,
                limits.get(RuleKind.MIN_CONSENSUS_SCORE, SCORE_RANGE[0]),
                limits.get(RuleKind.MIN_VERIFIED_CLAIMS, 0.0),
            )
        )
    return tuple(regions)


def _submitted_by(sheets: Sequence[ReviewerSheet], viewer: str) -> bool:
    return any(sheet.reviewer == viewer for sheet in sheets)


def _level_value(level: object) -> float:
    """A level's plot value, NaN for none. ``object``: a consensus value is typed for every
    field at once, and for a quality dimension it is a level (or its name) or None."""
    return math.nan if level is None else float(Level(str(level)).rank + 1)
