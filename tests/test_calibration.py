"""Brier score and reliability bins on data small enough to compute by hand."""

from __future__ import annotations

import pytest

from reviewer_app.domain.calibration import (
    InvalidCalibrationInput,
    calibration,
    pooled_calibration,
    record_calibration,
)
from reviewer_app.domain.records import Claim


def _claims(*confidences: float) -> list[Claim]:
    return [Claim(i, f"claim {i}", False, c) for i, c in enumerate(confidences, start=1)]


def test_brier_score_and_bins_by_hand() -> None:
    # Scored: (0.9, 1), (0.8, 0), (0.3, 1); "conflicting" and no verdict are left out.
    # Brier = (0.1² + 0.8² + 0.7²) / 3 = (0.01 + 0.64 + 0.49) / 3 = 0.38.
    result = calibration(
        [0.9, 0.8, 0.3, 0.5, 0.6],
        ["supports", "contradicts", "special-case", "conflicting", None],
        n_bins=2,
    )
    assert result.n_claims == 3
    assert result.brier_score == pytest.approx(0.38)
    low, high = result.bins
    assert (low.lower, low.upper, low.count) == (0.0, 0.5, 1)
    assert low.mean_confidence == pytest.approx(0.3) and low.observed_frequency == 1.0
    assert high.count == 2
    assert high.mean_confidence == pytest.approx(0.85) and high.observed_frequency == 0.5


def test_boundaries_go_to_the_upper_bin_and_one_to_the_last() -> None:
    result = calibration([0.0, 0.57, 1.0], ["supports"] * 3, n_bins=100)
    counts = {i: b.count for i, b in enumerate(result.bins) if b.count}
    assert counts == {0: 1, 57: 1, 99: 1}


def test_nothing_to_score_gives_empty_bins_and_no_score() -> None:
    result = calibration([0.4, 0.7], ["not-enough-evidence", "conflicting"], n_bins=4)
    assert result.n_claims == 0 and result.brier_score is None
    assert all(b.count == 0 and b.mean_confidence is None for b in result.bins)
    assert len(result.to_json()["bins"]) == 4


def test_record_matches_verdicts_by_position_and_pooled_concatenates() -> None:
    first = _claims(0.9, 0.2)
    second = _claims(0.6)
    first_verdicts = {2: "contradicts", 1: "supports"}
    second_verdicts = {1: "contradicts"}
    one = record_calibration(first, first_verdicts)
    assert one.brier_score == pytest.approx((0.1**2 + 0.2**2) / 2)
    pooled = pooled_calibration([(first, first_verdicts), (second, second_verdicts)])
    assert pooled.n_claims == 3
    assert pooled.brier_score == pytest.approx((0.1**2 + 0.2**2 + 0.6**2) / 3)


def test_bad_input_is_refused() -> None:
    with pytest.raises(InvalidCalibrationInput, match="between 0 and 1"):
        calibration([1.2], ["supports"])
    with pytest.raises(InvalidCalibrationInput, match="bins"):
        calibration([0.5], ["supports"], n_bins=0)
    with pytest.raises(InvalidCalibrationInput, match="1 confidences but 2 verdicts"):
        calibration([0.5], ["supports", "supports"])
