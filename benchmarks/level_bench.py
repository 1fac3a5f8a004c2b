"""Stored grounding levels on a large workspace: the background pass and the SQL of the
records list sorted and filtered by level (issue 13, item 5).

Run: .venv/bin/python benchmarks/level_bench.py [--records 10000] [--sheets 2000] [--runs 7]
Generates the workspace as benchmarks/workspace_bench.py does (not timed), then prints:
- which records a pass must look at (``records_to_refresh``), before and after a pass;
- the pass itself, cold (no level stored: every record computed) and warm (only records with
  work on them, here the ``--sheets`` records with submitted sheets), without pauses;
- one window of 100 rows of the list sorted by level, and the count of the over-stating
  filter (medians of ``--runs``); for comparison, one window sorted by date.
The window stays usable meanwhile: workspace_bench.py measures it with the pass running.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from workspace_bench import generate  # noqa: E402

from reviewer_app.services.grounding_levels import refresh_levels  # noqa: E402
from reviewer_app.services.workspace import RecordView, Workspace  # noqa: E402
from reviewer_app.storage.grounding_levels import records_to_refresh  # noqa: E402


def median_ms(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--sheets", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["REVIEWER_APP_DATA_DIR"] = str(Path(folder) / "data")
        db = Path(folder) / "big.sqlite3"
        generate(db, args.records, args.sheets)
        with Workspace.open(db) as workspace:
            database = workspace.database

            def to_refresh() -> int:
                with database.reading() as session:
                    return len(records_to_refresh(session))

            print(f"records to look at, nothing stored: {to_refresh()} "
                  f"({median_ms(to_refresh, args.runs):.0f} ms)")  # fmt: skip
            started, cpu = time.perf_counter(), time.process_time()
            cold = refresh_levels(database)
            wall, used = time.perf_counter() - started, time.process_time() - cpu
            print(f"cold pass: {len(cold.changed)} levels stored in {wall:.2f} s "
                  f"({used:.2f} s CPU)")  # fmt: skip
            print(f"records to look at afterwards: {to_refresh()} "
                  f"({median_ms(to_refresh, args.runs):.0f} ms)")  # fmt: skip
            started, cpu = time.perf_counter(), time.process_time()
            warm = refresh_levels(database)
            wall, used = time.perf_counter() - started, time.process_time() - cpu
            print(f"warm pass: {len(warm.badges)} computed, {len(warm.changed)} changed, "
                  f"{wall:.2f} s ({used:.2f} s CPU)")  # fmt: skip
            for label, view in (
                ("window sorted by date", RecordView()),
                ("window sorted by level", RecordView(sort="level")),
                ("window of over-stating records", RecordView(over_states_only=True)),
            ):
                ms = median_ms(lambda view=view: workspace.records_window(view, 0, 100), args.runs)
                print(f"{label}: median {ms:.0f} ms")
            only = RecordView(over_states_only=True)
            count = workspace.count_records(only)
            ms = median_ms(lambda: workspace.count_records(only), args.runs)
            print(f"count of over-stating records ({count}): median {ms:.0f} ms")


if __name__ == "__main__":
    main()
