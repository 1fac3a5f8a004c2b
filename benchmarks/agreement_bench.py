"""Workspace-wide agreement, consensus, conflicts and tiers on generated score sheets.

Run: .venv/bin/python benchmarks/agreement_bench.py [--records N] [--reviewers R] [--repeat K]
Target: under 1 s in total for 10,000 records x 3 reviewers. Each stage reports the median
of ``--repeat`` runs; generating the sheets is not timed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from reviewer_app.domain.calibration import pooled_calibration  # noqa: E402
from reviewer_app.domain.consensus import conflicts, workspace_consensus  # noqa: E402
from reviewer_app.domain.records import QUALITY_DIMENSIONS, Claim, Level  # noqa: E402
from reviewer_app.domain.review_sheets import (  # noqa: E402
    VERDICTS,
    ReviewerSheet,
    collect_ratings,
    workspace_agreement,
)
from reviewer_app.domain.tier_policy import DEFAULT_TIER_POLICY, evaluate_consensus  # noqa: E402

TARGET_SECONDS = 1.0
SEED = 20261123
LEVELS = list(Level)


def generate(
    n_records: int, n_reviewers: int, seed: int
) -> tuple[dict[str, list[ReviewerSheet]], dict[str, list[Claim]]]:
    """Reviewers who mostly agree: each rating is the record's true value, sometimes off by one."""
    rng = np.random.default_rng(seed)
    reviewers = [f"reviewer-{i}" for i in range(n_reviewers)]
    sheets: dict[str, list[ReviewerSheet]] = {}
    claims: dict[str, list[Claim]] = {}
    for index in range(n_records):
        record = f"SRCH:{index:08X}"
        true_levels = rng.integers(0, 3, size=len(QUALITY_DIMENSIONS))
        true_score = rng.uniform(3, 10)
        n_claims = int(rng.integers(3, 9))
        true_verdicts = rng.choice(len(VERDICTS), size=n_claims, p=[0.5, 0.15, 0.15, 0.1, 0.1])
        confidences = rng.uniform(0, 1, size=n_claims).round(2)
        claims[record] = [
            Claim(p + 1, f"claim {p + 1}", False, float(c)) for p, c in enumerate(confidences)
        ]
        record_sheets = []
        for name in reviewers:
            shifted = np.clip(true_levels + rng.choice([-1, 0, 0, 0, 1], size=4), 0, 2)
            dimensions = {d: LEVELS[r] for d, r in zip(QUALITY_DIMENSIONS, shifted, strict=True)}
            score = float(np.clip(round(true_score + rng.normal(0, 0.8), 1), 0, 10))
            flips = rng.random(n_claims) < 0.2
            verdicts = np.where(flips, rng.integers(0, len(VERDICTS), n_claims), true_verdicts)
            record_sheets.append(
                ReviewerSheet(
                    name,
                    dimensions,
                    score,
                    {p + 1: VERDICTS[v] for p, v in enumerate(verdicts.tolist())},
                )
            )
        sheets[record] = record_sheets
    return sheets, claims


def timed(repeat: int, work: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--reviewers", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    sheets, claims = generate(args.records, args.reviewers, SEED)
    print(f"{args.records:,} records x {args.reviewers} reviewers, median of {args.repeat} runs")

    stages: list[tuple[str, float]] = []
    elapsed, ratings = timed(args.repeat, lambda: collect_ratings(sheets))
    stages.append(("collect ratings (sheets -> matrices)", elapsed))
    elapsed, agreement = timed(args.repeat, lambda: workspace_agreement(sheets, ratings))
    stages.append(("agreement, all 6 fields", elapsed))
    elapsed, consensus = timed(args.repeat, lambda: workspace_consensus(sheets, ratings=ratings))
    stages.append(("consensus", elapsed))
    elapsed, found = timed(args.repeat, lambda: conflicts(sheets, ratings=ratings))
    stages.append(("conflicts", elapsed))
    elapsed, tiers = timed(args.repeat, lambda: evaluate_consensus(DEFAULT_TIER_POLICY, consensus))
    stages.append(("tier evaluation", elapsed))
    total = sum(seconds for _, seconds in stages)
    elapsed, calibration = timed(
        args.repeat,
        lambda: pooled_calibration((claims[r], consensus[r].verdicts()) for r in consensus),
    )

    for label, seconds in stages:
        print(f"  {label:<38} {seconds * 1000:8.1f} ms")
    print(f"  {'total':<38} {total * 1000:8.1f} ms  (target < {TARGET_SECONDS * 1000:.0f} ms)")
    print(f"  {'(extra) pooled calibration':<38} {elapsed * 1000:8.1f} ms")
    print()
    for name, result in agreement.fields.items():
        alpha = result.krippendorff_alpha
        print(f"  {name:<24} alpha {alpha:.3f}  fleiss {result.fleiss_kappa:.3f}")
    doi = sum(result.tier == "DOI-grade" for result in tiers.values())
    print(f"  conflicts {len(found):,}; DOI-grade {doi:,} of {len(tiers):,}")
    print(f"  Brier score {calibration.brier_score:.3f} over {calibration.n_claims:,} claims")
    return 0 if total < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
