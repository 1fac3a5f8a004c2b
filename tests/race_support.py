"""Writers racing each other: N processes started together on one workspace, then counted.

Shared by ``tests/test_races.py`` and ``benchmarks/race_bench.py``. Each scenario starts its
processes through ``tests/race_child.py`` (the real ``python -m reviewer_app``, held at a start
line), then counts what went wrong: tracebacks or failed exits, duplicated natural keys, and
writes that a process reported but the database does not hold.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from reviewer_app.storage.database import Database
from reviewer_app.storage.models import RecordRow, RevisionRow
from reviewer_app.storage.review_models import ReviewerRow, ScoreSheetRow

REPO = Path(__file__).resolve().parents[1]
CHILD = REPO / "tests" / "race_child.py"
RECORDS = REPO / "resources" / "demo" / "records"
RACERS = 4


@dataclass(frozen=True)
class RaceRun:
    returncodes: list[int]
    stdouts: list[str]
    stderrs: list[str]
    seconds: float

    @property
    def tracebacks(self) -> int:
        return sum("Traceback (most recent call last)" in err for err in self.stderrs)

    @property
    def failures(self) -> int:
        return sum(code != 0 for code in self.returncodes)

    def problems(self) -> str:
        return "\n".join(
            f"--- racer {i}: exit {code}\n{err}"
            for i, (code, err) in enumerate(zip(self.returncodes, self.stderrs, strict=True))
            if code != 0 or "Traceback" in err
        )


@dataclass(frozen=True)
class RaceCounts:
    scenario: str
    backend: str
    tracebacks: int
    failures: int
    duplicates: int
    lost_writes: int
    seconds: float
    details: str = ""

    @property
    def clean(self) -> bool:
        return not (self.tracebacks or self.failures or self.duplicates or self.lost_writes)


def race(db: str, commands: list[list[str]], data_dir: Path) -> RaceRun:
    """Run each command as ``python -m reviewer_app --db DB …``, all released at once."""
    env = {**os.environ, "REVIEWER_APP_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO)}
    children = [
        subprocess.Popen(
            [sys.executable, str(CHILD), "--db", db, *command],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=REPO,
        )
        for command in commands
    ]
    for child in children:  # blocks until each has imported the app
        assert child.stderr is not None
        line = child.stderr.readline()
        if line.strip() != b"ready":
            raise RuntimeError(f"racer did not start: {line!r}")
    start = time.perf_counter()
    for child in children:
        assert child.stdin is not None
        child.stdin.write(b"g")
        child.stdin.flush()  # communicate() closes it
    outputs = [child.communicate(timeout=300) for child in children]
    seconds = time.perf_counter() - start
    return RaceRun(
        [child.returncode for child in children],
        [out.decode() for out, _ in outputs],
        [err.decode() for _, err in outputs],
        seconds,
    )


def _count(database: Database, query: object) -> int:
    with database.reading() as session:
        return int(session.scalar(query) or 0)  # type: ignore[call-overload]


def record_files() -> list[Path]:
    return sorted(RECORDS.glob("*.txt"))


def _seeded(db: str) -> str:
    """Open (create) the workspace and import one record; its local id."""
    from reviewer_app.services.workspace import Workspace

    with Workspace.open(db) as workspace:
        return workspace.import_file(record_files()[0]).local_id


def first_writes(db: str, data_dir: Path) -> RaceCounts:
    """A reviewer nobody has seen writes a draft sheet from every process at once."""
    record = _seeded(db)
    run = race(
        db,
        [
            ["score", record, "--reviewer", "newcomer", "--review-score", f"{i + 5}"]
            for i in range(RACERS)
        ],
        data_dir,
    )
    database = Database.open(db)
    try:
        reviewers = _count(
            database,
            select(func.count()).select_from(ReviewerRow).where(ReviewerRow.name == "newcomer"),
        )
        sheets = _count(database, select(func.count()).select_from(ScoreSheetRow))
    finally:
        database.close()
    ok = RACERS - run.failures
    return _counts("first writes", db, run, max(reviewers - 1, 0), max(ok - sheets, 0))


def same_file_imports(db: str, data_dir: Path) -> RaceCounts:
    """The same file imported by every process at once: one record, one revision."""
    _seeded(db)
    path = str(record_files()[1])
    run = race(db, [["import", path] for _ in range(RACERS)], data_dir)
    database = Database.open(db)
    try:
        records = _count(database, select(func.count()).select_from(RecordRow))
        revisions = _count(database, select(func.count()).select_from(RevisionRow))
    finally:
        database.close()
    # the seed plus this file: 2 records of 1 revision each
    duplicates = max(records - 2, 0) + max(revisions - 2, 0)
    lost = max(2 - records, 0) + max(2 - revisions, 0)
    return _counts("same-file imports", db, run, duplicates, lost)


def first_open(db: str, data_dir: Path) -> RaceCounts:
    """A brand-new database opened by every process at once, each importing its own file."""
    files = record_files()[:RACERS]
    run = race(db, [["import", str(path)] for path in files], data_dir)
    database = Database.open(db)
    try:
        records = _count(database, select(func.count()).select_from(RecordRow))
        at_head = database.schema_revision() == Database.head_revision()
    finally:
        database.close()
    lost = max(len(files) - records, 0) + (0 if at_head else 1)
    return _counts("first open", db, run, max(records - len(files), 0), lost)


def simultaneous_submits(db: str, data_dir: Path) -> RaceCounts:
    """One reviewer submits from every process at once: one first impression, every version."""
    record = _seeded(db)
    run = race(
        db,
        [
            ["score", record, "--reviewer", "ana", "--review-score", f"{i + 5}", "--submit"]
            for i in range(RACERS)
        ],
        data_dir,
    )
    database = Database.open(db)
    try:
        first = _count(
            database,
            select(func.count())
            .select_from(ScoreSheetRow)
            .where(ScoreSheetRow.first_impression.is_(True)),
        )
        sheets = _count(database, select(func.count()).select_from(ScoreSheetRow))
    finally:
        database.close()
    ok = RACERS - run.failures
    lost = max(ok - sheets, 0) + (1 if first == 0 and ok else 0)
    return _counts("simultaneous submits", db, run, max(first - 1, 0), lost)


SCENARIOS: dict[str, Callable[[str, Path], RaceCounts]] = {
    "first_writes": first_writes,
    "same_file_imports": same_file_imports,
    "first_open": first_open,
    "simultaneous_submits": simultaneous_submits,
}


def _counts(scenario: str, db: str, run: RaceRun, duplicates: int, lost: int) -> RaceCounts:
    return RaceCounts(
        scenario=scenario,
        backend="postgresql" if "://" in db else "sqlite",
        tracebacks=run.tracebacks,
        failures=run.failures,
        duplicates=duplicates,
        lost_writes=lost,
        seconds=run.seconds,
        details=run.problems(),
    )
