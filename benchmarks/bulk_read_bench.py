"""Workspace-wide reads end to end through the CLI, each command a fresh process (issue 11).

Run: .venv/bin/python benchmarks/bulk_read_bench.py [--records 10000] [--reviewers 3]
     [--repeat 5] [--compare /work/main/.venv/bin/reviewer-app]
Generates a SQLite workspace (not timed): ``--records`` records made from the three sample
formats with new ids (a third of them reports with claims), and a submitted score sheet plus a
verdict on every claim by each of ``--reviewers`` reviewers. Then times, as whole processes:
- ``agreement --json`` over the workspace (target 1 s);
- ``policy --set FILE``: stores a policy version and recomputes every record's tier (target 1 s);
- ``list --json`` (target 0.3 s over the process floor: the CLI's interpreter importing the
  CLI and running no command; ``--help`` is no floor, it loads every command to list them).
Each figure is the median of ``--repeat`` runs (min and max beside it), in CPU seconds of the
process (user + system; ``--wall`` for wall time). ``--compare`` times the
same commands with another build of the CLI (e.g. main's checkout) on the same database.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from process_env import bytecode_env  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from reviewer_app.domain.records import QUALITY_DIMENSIONS, Level, SynthesisRecord  # noqa: E402
from reviewer_app.domain.review_sheets import VERDICTS  # noqa: E402
from reviewer_app.domain.tier_policy import DEFAULT_TIER_POLICY  # noqa: E402
from reviewer_app.importers import read_synthesis  # noqa: E402
from reviewer_app.services.workspace import Workspace  # noqa: E402
from reviewer_app.storage.records_repository import save_revision  # noqa: E402
from reviewer_app.storage.review_models import ClaimVerdictRow, ScoreSheetRow  # noqa: E402
from reviewer_app.storage.reviewers_repository import ensure_reviewer  # noqa: E402

SAMPLES = REPO / "resources" / "demo" / "records"
TEMPLATES = (
    "report-sparse-multimodal-alignment.txt",
    "record-page-label-value.txt",
    "paper-page-benchmarks.txt",
)
TARGETS = {"agreement --json": 1.0, "policy --set (tier recompute)": 1.0}
LIST_OVER_FLOOR = 0.3
FLOOR = "process floor (import the CLI)"
SEED = 20261202


def generate(path: Path, n_records: int, n_reviewers: int) -> int:
    """The workspace; returns how many claim verdicts it holds."""
    rng = random.Random(SEED)
    templates = [read_synthesis(SAMPLES / name) for name in TEMPLATES]
    now = datetime.now(UTC)
    sheets, verdicts = [], []
    with Workspace.open(path) as workspace, workspace.database.transaction() as session:
        reviewers = [ensure_reviewer(session, f"reviewer-{i}").id for i in range(n_reviewers)]
        for i in range(n_records):
            template = templates[i % 3]
            changes: dict[str, object] = {"title": f"{template.title} no. {i}",
                                          "source_sha256": f"{i:064x}"}  # fmt: skip
            if template.record_id:
                changes["record_id"] = f"SRCH:{i:08X}"
            record: SynthesisRecord = dataclasses.replace(template, **changes)  # type: ignore[arg-type]
            saved = save_revision(session, record, f"generated-{i}.txt")
            true_score = rng.uniform(3, 9)
            for reviewer in reviewers:
                levels = {d: rng.choice(list(Level)).value for d in QUALITY_DIMENSIONS}
                sheets.append({
                    "record_id": saved.local_id, "reviewer_id": reviewer, **levels,
                    "review_score": round(min(10.0, true_score + rng.uniform(-1, 1)), 1),
                    "recommendation": None, "comments": None, "submitted": True,
                    "first_impression": True, "created_at": now, "origin": "local",
                })  # fmt: skip
                verdicts.extend({
                    "record_id": saved.local_id, "claim_position": claim.position,
                    "reviewer_id": reviewer, "verdict": rng.choice(VERDICTS), "reason": "bench",
                    "note": None, "created_at": now, "origin": "local",
                } for claim in record.claims)  # fmt: skip
        session.execute(insert(ScoreSheetRow), sheets)
        session.execute(insert(ClaimVerdictRow), verdicts)
    return len(verdicts)


def timed_run(command: list[str], wall: bool, bytecode: Path) -> float:
    """CPU seconds (user + system) of one run of ``command``, or with ``wall`` its wall time:
    on a machine shared with other work the wall time measures the neighbours too."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                   env=bytecode_env(bytecode))  # fmt: skip
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed if wall else cpu


def figure(times: list[float]) -> str:
    return f"median {statistics.median(times):.3f} s (min {min(times):.3f}, max {max(times):.3f})"


def commands(cli: str, db: Path, policy: Path) -> dict[str, list[str]]:
    base = [cli, "--db", str(db)]
    return {
        FLOOR: [str(Path(cli).with_name("python")), "-c", "import reviewer_app.cli"],
        "agreement --json": [*base, "agreement", "--json"],
        "policy --set (tier recompute)": [*base, "policy", "--set", str(policy)],
        "list --json": [*base, "list", "--json"],
    }


def measure(
    clis: list[str], db: Path, policy: Path, repeat: int, wall: bool, bytecode: Path
) -> list[dict[str, list[float]]]:
    """Each command ``repeat`` times per CLI, the CLIs taking turns run by run, so that a change
    in the machine's load hits them alike; each once first, untimed, to compile its bytecode."""
    results: list[dict[str, list[float]]] = [{} for _ in clis]
    for name in commands(clis[0], db, policy):
        for cli in clis:
            timed_run(commands(cli, db, policy)[name], wall, bytecode)
        for _ in range(repeat):
            for cli, found in zip(clis, results, strict=True):
                command = commands(cli, db, policy)[name]
                found.setdefault(name, []).append(timed_run(command, wall, bytecode))
    return results


def report(label: str, results: dict[str, list[float]]) -> None:
    print(f"-- {label}")
    floor = statistics.median(results[FLOOR])
    for name, times in results.items():
        line = f"{name:32} {figure(times)}"
        if name in TARGETS:
            line += (
                f"; target {TARGETS[name]:.1f} s: {statistics.median(times) / TARGETS[name]:.2f}x"
            )
        if name == "list --json":
            over = statistics.median(times) - floor
            line += f"; {over:.3f} s over the floor, target {LIST_OVER_FLOOR} s"
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--reviewers", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--compare", help="another reviewer-app executable to time the same way")
    parser.add_argument("--wall", action="store_true", help="wall time instead of CPU time")
    args = parser.parse_args()
    cli = str(Path(sys.executable).parent / "reviewer-app")
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bulk.sqlite3"
        policy = Path(folder) / "policy.json"
        policy.write_text(json.dumps(DEFAULT_TIER_POLICY.to_json()), encoding="utf-8")
        started = time.perf_counter()
        n_verdicts = generate(db, args.records, args.reviewers)
        took = time.perf_counter() - started
        print(f"generated {args.records} records x {args.reviewers} reviewers, {n_verdicts} claim")
        print(f"  verdicts, in {took:.1f} s (not timed)")
        clis = [cli, args.compare] if args.compare else [cli]
        results = measure(clis, db, policy, args.repeat, args.wall, Path(folder) / "bytecode")
        print("CPU seconds of each process (user + system)" if not args.wall else "wall seconds")
        report(f"this checkout ({cli})", results[0])
        if args.compare:
            report(f"compared with {args.compare}", results[1])
            print("-- this checkout against the other: ratio of medians (below 1: faster)")
            for name in results[0]:
                ratio = statistics.median(results[0][name]) / statistics.median(results[1][name])
                print(f"{name:32} {ratio:.2f}")


if __name__ == "__main__":
    main()
