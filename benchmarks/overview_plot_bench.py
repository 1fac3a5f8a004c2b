"""Build and redraw the workspace overview plot with many records, offscreen.

Run: .venv/bin/python benchmarks/overview_plot_bench.py [--points N] [--repeat K]
"build" is a new OverviewPlot, its first ``set_data`` and its first paint; "redraw" is a
``set_data`` with changed scores followed by a paint (what a saved sheet triggers), the median
of ``--repeat`` runs. A paint is forced with ``grab()``, which renders the widget to a pixmap.
Generating the points is not timed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import numpy as np
from PySide6.QtWidgets import QApplication

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from reviewer_app.domain.tier_policy import DEFAULT_TIER_POLICY  # noqa: E402
from reviewer_app.services.plot_data import OverviewPoints, tier_regions  # noqa: E402
from reviewer_app.ui.plots.overview_plot import OverviewPlot  # noqa: E402

SEED = 20261123
SIZE = (900, 600)


def generate(n_points: int, rng: np.random.Generator) -> OverviewPoints:
    scores = np.round(rng.uniform(0, 10, n_points), 1)
    verified = rng.integers(0, 12, n_points).astype(float)
    regions = tier_regions(DEFAULT_TIER_POLICY)
    best = regions[0]
    tiers = tuple(
        best.tier if s >= best.min_score and v >= best.min_verified else regions[-1].tier
        for s, v in zip(scores, verified, strict=True)
    )
    return OverviewPoints(
        record_ids=tuple(f"REC-{i:08X}" for i in range(n_points)),
        scores=scores,
        verified=verified,
        tiers=tiers,
        regions=regions,
        policy_version=DEFAULT_TIER_POLICY.version,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    rng = np.random.default_rng(SEED)
    datasets = [generate(args.points, rng) for _ in range(args.repeat + 1)]

    start = time.perf_counter()
    plot = OverviewPlot()
    plot.resize(*SIZE)
    plot.show()
    plot.set_data(datasets[0])
    app.processEvents()
    plot.grab()
    build = time.perf_counter() - start

    set_data_times: list[float] = []
    redraw_times: list[float] = []
    for data in datasets[1:]:
        start = time.perf_counter()
        plot.set_data(data)
        middle = time.perf_counter()
        app.processEvents()
        plot.grab()
        end = time.perf_counter()
        set_data_times.append(middle - start)
        redraw_times.append(end - start)
    assert len(plot.scatter.data) == args.points  # the plot really holds every point

    print(f"overview plot, {args.points:,} points, {SIZE[0]}x{SIZE[1]} offscreen")
    print(f"  build (widget + first set_data + first paint): {build * 1000:8.1f} ms")
    print(
        f"  redraw, median of {args.repeat}: {statistics.median(redraw_times) * 1000:8.1f} ms "
        f"(set_data {statistics.median(set_data_times) * 1000:.1f} ms, "
        f"min {min(redraw_times) * 1000:.1f}, max {max(redraw_times) * 1000:.1f})"
    )
    plot.close()


if __name__ == "__main__":
    main()
