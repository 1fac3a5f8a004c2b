"""Import throughput: 1,000 generated records into SQLite and into PostgreSQL.

Run: .venv/bin/python benchmarks/import_bench.py [--records N] [--no-postgres]
Target (issue 3): at least 500 records/s into SQLite on a 2-core machine.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from reviewer_app.services.workspace import Workspace  # noqa: E402

SAMPLES = REPO / "resources" / "demo" / "records"
TARGET_RECORDS_PER_SECOND = 500


def generate_records(folder: Path, count: int) -> list[Path]:
    """Variants of the three sample formats with distinct titles, ids, scores and claims."""
    rng = random.Random(20261123)
    report = (SAMPLES / "report-sparse-multimodal-alignment.txt").read_text()
    record_page = (SAMPLES / "record-page-label-value.txt").read_text()
    paper = (SAMPLES / "paper-page-benchmarks.txt").read_text()
    paths = []
    for i in range(count):
        kind = i % 3
        if kind == 0:
            text = report.replace(
                "Sparse Multimodal Model Alignment", f"Sparse Multimodal Model Alignment {i}"
            ).replace("0.07", f"{rng.random():.2f}")
        elif kind == 1:
            text = record_page.replace("SRCH:8F12A054", f"SRCH:{i:08X}").replace(
                "7.33/10", f"{rng.uniform(0, 10):.2f}/10"
            )
        else:
            text = paper.replace("SEA: Supervised", f"SEA-{i}: Supervised").replace(
                "Accuracy68", f"Accuracy{rng.uniform(40, 90):.1f}"
            )
        path = folder / f"record-{i:05d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def measure(label: str, db: str, paths: list[Path]) -> float:
    workspace = Workspace.open(db)
    try:
        start = time.perf_counter()
        result = workspace.import_files(paths)
        elapsed = time.perf_counter() - start
        listed = len(workspace.list_records())
    finally:
        workspace.close()
    if result.refused or listed != len(paths):
        raise SystemExit(f"{label}: {len(result.refused)} refused, {listed} listed")
    rate = len(paths) / elapsed
    print(
        f"{label:<11} {len(paths):>6} records  {elapsed:7.2f} s  {rate:8.0f} records/s  "
        f"({rate / TARGET_RECORDS_PER_SECOND:.2f}x the {TARGET_RECORDS_PER_SECOND}/s target)"
    )
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = generate_records(folder, args.records)
        measure("SQLite", str(folder / "bench.sqlite3"), paths)
        if args.no_postgres:
            return
        from tests.pg_server import PostgresUnavailable, start_server

        sys.path.insert(0, str(REPO))
        try:
            server = start_server()
        except PostgresUnavailable as exc:
            print(f"PostgreSQL  skipped: {exc}")
            return
        try:
            measure("PostgreSQL", server.admin_url, paths)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
