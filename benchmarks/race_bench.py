"""Writers racing (issue 16): 4 processes at once, on SQLite and PostgreSQL, counted.

Each round of each scenario starts 4 ``python -m reviewer_app`` processes held at a start line
(tests/race_child.py) on a fresh workspace: a new reviewer's first writes, the same file
imported 4 times, a brand-new database opened by all 4, and 4 simultaneous ``score --submit``
by one reviewer. Prints, per scenario and database, the totals of tracebacks, failed exits,
duplicated natural keys and lost writes over the rounds (all must be 0), and the median time
from the start line to the last process's exit.

Run: .venv/bin/python benchmarks/race_bench.py [--rounds N] [--no-postgres]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import create_engine, text  # noqa: E402

from tests.pg_server import PostgresServer, start_server  # noqa: E402
from tests.race_support import RACERS, SCENARIOS, RaceCounts  # noqa: E402


@contextmanager
def postgres() -> Iterator[PostgresServer]:
    server = start_server()
    try:
        yield server
    finally:
        server.stop()


def fresh_postgres_db(server: PostgresServer) -> str:
    name = f"race_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server.url_for(name)


def run_rounds(backend: str, rounds: int, server: PostgresServer | None) -> list[RaceCounts]:
    results: list[RaceCounts] = []
    for name, scenario in SCENARIOS.items():
        for _ in range(rounds):
            with tempfile.TemporaryDirectory(prefix=f"race-{name}-") as temp:
                folder = Path(temp)
                db = (
                    fresh_postgres_db(server)
                    if backend == "postgresql" and server
                    else str(folder / "w.db")
                )
                results.append(scenario(db, folder / "data"))
    return results


def report(results: list[RaceCounts]) -> int:
    print(
        f"{'scenario':<22}{'database':<12}{'rounds':>7}{'tracebacks':>12}{'failed':>8}"
        f"{'duplicates':>12}{'lost':>6}{'median s':>10}"
    )
    bad = 0
    keys = sorted({(r.scenario, r.backend) for r in results}, key=lambda k: (k[1], k[0]))
    for scenario, backend in keys:
        rows = [r for r in results if (r.scenario, r.backend) == (scenario, backend)]
        sums = [
            sum(getattr(r, f) for r in rows)
            for f in ("tracebacks", "failures", "duplicates", "lost_writes")
        ]
        bad += sum(sums)
        median = statistics.median(r.seconds for r in rows)
        print(
            f"{scenario:<22}{backend:<12}{len(rows):>7}{sums[0]:>12}{sums[1]:>8}"
            f"{sums[2]:>12}{sums[3]:>6}{median:>10.2f}"
        )
        for r in rows:
            if not r.clean:
                print(r.details, file=sys.stderr)
    print(f"{RACERS} processes per round; target: 0 tracebacks, 0 duplicates, 0 lost writes")
    return 1 if bad else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    results = run_rounds("sqlite", args.rounds, None)
    if not args.no_postgres:
        with postgres() as server:
            results += run_rounds("postgresql", args.rounds, server)
    return report(results)


if __name__ == "__main__":
    sys.exit(main())
