"""How well a synthesis's claim confidences match what the reviewers concluded.

A claim's outcome is its consensus verdict: "supports" and "special-case" count as true (1),
"contradicts" as false (0). "conflicting", "not-enough-evidence" and claims without a consensus
say nothing about truth, so they are left out. The Brier score is the mean squared difference
between confidence and outcome (0 is perfect). Reliability bins split [0, 1] into equal widths;
a confidence on a boundary goes to the upper bin, and 1.0 to the last.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from reviewer_app.domain.records import Claim
from reviewer_app.errors import ReviewerAppError

VERDICT_OUTCOMES: Mapping[str, float] = {"supports": 1.0, "special-case": 1.0, "contradicts": 0.0}
DEFAULT_BINS = 10


class InvalidCalibrationInput(ReviewerAppError):
    """Confidences outside [0, 1] or an impossible number of bins."""


@dataclass(frozen=True)
class ReliabilityBin:
    lower: float
    upper: float
    count: int
    mean_confidence: float | None
    observed_frequency: float | None
    """Share of the bin's claims whose outcome is true; ``None`` for an empty bin."""


@dataclass(frozen=True)
class Calibration:
    n_claims: int
    """Claims with an outcome, the ones scored."""
    brier_score: float | None
    bins: tuple[ReliabilityBin, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "n_claims": self.n_claims,
            "brier_score": self.brier_score,
            "bins": [
                {
                    "lower": b.lower,
                    "upper": b.upper,
                    "count": b.count,
                    "mean_confidence": b.mean_confidence,
                    "observed_frequency": b.observed_frequency,
                }
                for b in self.bins
            ],
        }


def calibration(
    confidences: Sequence[float],
    verdicts: Sequence[str | None],
    n_bins: int = DEFAULT_BINS,
) -> Calibration:
    """Brier score and reliability bins of confidences against the verdicts at the same index."""
    if len(confidences) != len(verdicts):
        raise InvalidCalibrationInput(
            f"{len(confidences)} confidences but {len(verdicts)} verdicts"
        )
    if isinstance(n_bins, bool) or not isinstance(n_bins, int) or n_bins < 1:
        raise InvalidCalibrationInput(f"the number of bins must be at least 1, not {n_bins!r}")
    values = np.asarray(confidences, dtype=float).reshape(-1)
    if not ((values >= 0) & (values <= 1)).all():
        raise InvalidCalibrationInput("claim confidences must lie between 0 and 1")
    outcomes = np.array(
        [np.nan if v is None else VERDICT_OUTCOMES.get(v, np.nan) for v in verdicts], dtype=float
    )
    scored = ~np.isnan(outcomes)
    values, outcomes = values[scored], outcomes[scored]
    brier = float(np.mean((values - outcomes) ** 2)) if values.size else None
    return Calibration(int(values.size), brier, _bins(values, outcomes, n_bins))


def _bins(values: np.ndarray, outcomes: np.ndarray, n_bins: int) -> tuple[ReliabilityBin, ...]:
    # Round first: 0.57 * 100 is 56.99999999999999, yet 0.57 opens bin 57.
    index = np.minimum(np.floor(np.round(values * n_bins, 9)).astype(int), n_bins - 1)
    counts = np.bincount(index, minlength=n_bins)
    confidence_sums = np.bincount(index, weights=values, minlength=n_bins)
    outcome_sums = np.bincount(index, weights=outcomes, minlength=n_bins)
    return tuple(
        ReliabilityBin(
            lower=b / n_bins,
            upper=(b + 1) / n_bins,
            count=int(counts[b]),
            mean_confidence=float(confidence_sums[b] / counts[b]) if counts[b] else None,
            observed_frequency=float(outcome_sums[b] / counts[b]) if counts[b] else None,
        )
        for b in range(n_bins)
    )


def record_calibration(
    claims: Sequence[Claim],
    consensus_verdicts: Mapping[int, str | None],
    n_bins: int = DEFAULT_BINS,
) -> Calibration:
    """Calibration of one record: its claims against the consensus verdict at each position."""
    return calibration(
        [claim.confidence for claim in claims],
        [consensus_verdicts.get(claim.position) for claim in claims],
        n_bins,
    )


def pooled_calibration(
    records: Iterable[tuple[Sequence[Claim], Mapping[int, str | None]]],
    n_bins: int = DEFAULT_BINS,
) -> Calibration:
    """Calibration over the claims of many records, each given with its consensus verdicts."""
    confidences: list[float] = []
    verdicts: list[str | None] = []
    for claims, consensus_verdicts in records:
        confidences.extend(claim.confidence for claim in claims)
        verdicts.extend(consensus_verdicts.get(claim.position) for claim in claims)
    return calibration(confidences, verdicts, n_bins)
