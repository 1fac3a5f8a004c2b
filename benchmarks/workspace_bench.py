"""The window on a large workspace: opening, record switches, verdict keys, SQL per action.

Run: .venv/bin/python benchmarks/workspace_bench.py [--records 10000] [--sheets 2000]
Generates the workspace itself (records made from the three sample formats with new ids and
titles, submitted score sheets by two reviewers on the first ``--sheets`` records; not timed),
then, in an offscreen window:
- window usable: MainWindow built and shown until the records are listed and the first record
  is shown (target 2 s on 10,000 records);
- record switch: selecting another record in the list until its details, claims and sources are
  shown (target p95 50 ms), once the background pass that computes every record's grounding
  level (``level_sweep``, on a workspace opened for the first time) has ended; the same
  figure while that pass runs is printed beside it, and how long the pass took;
- verdict keypress: key "1".."5" in the claims table until the window has repainted what the
  key changed and then the whole window (target p95 30 ms); the same without the whole-window
  repaint is printed beside it;
- SQL statements per record click and per verdict keypress (counted on the engine).
Wall times are printed with the process's CPU time for the same action: on a shared machine
the CPU time is the steadier figure to compare two versions by.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import event  # noqa: E402

from reviewer_app.domain.records import SynthesisRecord  # noqa: E402
from reviewer_app.importers import read_synthesis  # noqa: E402
from reviewer_app.services.scoring import ScoringService  # noqa: E402
from reviewer_app.services.workspace import Workspace  # noqa: E402
from reviewer_app.storage.records_repository import save_revision  # noqa: E402

SAMPLES = REPO / "resources" / "demo" / "records"
TARGETS = {"usable_s": 2.0, "switch_p95_ms": 50.0, "verdict_p95_ms": 30.0}
SEED = 20261201


def generate(path: Path, n_records: int, n_sheets: int) -> None:
    rng = random.Random(SEED)
    templates = [
        read_synthesis(SAMPLES / name)
        for name in ("report-sparse-multimodal-alignment.txt", "record-page-label-value.txt",
                     "paper-page-benchmarks.txt")
    ]  # fmt: skip
    with Workspace.open(path) as workspace, workspace.database.transaction() as session:
        for i in range(n_records):
            template = templates[i % 3]
            changes: dict[str, object] = {"title": f"{template.title} no. {i}",
                                          "source_sha256": f"{i:064x}"}  # fmt: skip
            if template.record_id:
                changes["record_id"] = f"SRCH:{i:08X}"
            if template.review_score is not None:
                changes["review_score"] = round(rng.uniform(0, 10), 2)
            record: SynthesisRecord = dataclasses.replace(template, **changes)  # type: ignore[arg-type]
            save_revision(session, record, f"generated-{i}.txt")
    with Workspace.open(path) as workspace:
        scoring = ScoringService(workspace.database)
        ids = [s.local_id for s in workspace.list_records()][:n_sheets]
        for local_id in ids:
            for reviewer in ("ana", "ben"):
                scoring.sheets.save(local_id, reviewer, review_score=round(rng.uniform(3, 9), 1),
                                   dimensions={"evidence_strength": rng.choice("LMH")
                                               .replace("L", "LOW").replace("M", "MEDIUM")
                                               .replace("H", "HIGH")}, submit=True)  # fmt: skip


class StatementCounter:
    def __init__(self, engine: object) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._on_execute)

    def _on_execute(self, *_args: object) -> None:
        self.count += 1

    def during(self, action: Callable[[], None]) -> int:
        before = self.count
        action()
        return self.count - before


def timed(counter: StatementCounter, action: Callable[[], None]) -> tuple[float, float, int]:
    """Wall and CPU milliseconds of ``action`` (CPU of the whole process, so work it starts on
    other threads counts too; on a shared machine it moves far less than wall time), and the
    SQL statements it ran."""
    wall, cpu = time.perf_counter(), time.process_time()
    statements = counter.during(action)
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000, statements


def settle(app: QApplication) -> None:
    """Deliver everything queued (posted events, zero timers) without waiting for more."""
    for _ in range(3):
        app.processEvents()


def quiesce(app: QApplication, window: object, limit_s: float = 300.0) -> bool:
    """Until the background work the last actions started (grounding levels, the pass over
    every record, suggestions) is done, so the next figure does not count it: settling alone
    leaves it running. False when it was still running after ``limit_s``."""
    from reviewer_app.ui.ops import BackgroundOp

    deadline = time.monotonic() + limit_s
    refresh = getattr(window, "grounding_refresh", None)
    sweep = getattr(window, "level_sweep", None)
    while time.monotonic() < deadline:
        app.processEvents()
        ops = window.findChildren(BackgroundOp)  # type: ignore[attr-defined]
        busy = any(op.outcome is None for op in ops)
        busy = busy or (refresh is not None and refresh.is_pending())
        if not busy and not (sweep is not None and sweep.running):
            return True
        time.sleep(0.01)
    return False


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--sheets", type=int, default=2_000)
    parser.add_argument("--switches", type=int, default=40)
    parser.add_argument("--keys", type=int, default=30)
    parser.add_argument(
        "--reuse",
        type=Path,
        help="Keep the generated workspace in this folder "
        "and start from a copy of it next time (to compare two versions).",
    )
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    from reviewer_app.ui.main_window import MainWindow  # Qt ready: the window module loads
    from reviewer_app.ui.models import Roles

    with tempfile.TemporaryDirectory() as folder:
        os.environ["REVIEWER_APP_DATA_DIR"] = str(Path(folder) / "data")
        db = Path(folder) / "big.sqlite3"
        started = time.perf_counter()
        kept = (
            args.reuse / f"workspace-{args.records}-{args.sheets}.sqlite3" if args.reuse else None
        )
        if kept is not None and kept.is_file():
            shutil.copyfile(kept, db)
        else:
            generate(db, args.records, args.sheets)
            if kept is not None:
                kept.parent.mkdir(parents=True, exist_ok=True)
                with Workspace.open(db) as made:  # one file: the WAL checkpointed into it
                    made.database.engine.dispose()
                shutil.copyfile(db, kept)
        print(f"generated {args.records} records, sheets by 2 reviewers on {args.sheets} "
              f"({time.perf_counter() - started:.1f} s, not timed)")  # fmt: skip
        workspace = Workspace.open(db)
        counter = StatementCounter(workspace.database.engine)
        shown: list[str] = []
        t0 = time.perf_counter()
        window = MainWindow(workspace)
        window.sig_record_shown.connect(shown.append)
        window.resize(1440, 900)
        window.show()
        if not shown:
            window.records.select_first()
        settle(app)
        usable = time.perf_counter() - t0
        listed = window.records.model.rowCount()
        print(f"window usable: {usable:.2f} s (target {TARGETS['usable_s']} s, "
              f"{usable / TARGETS['usable_s']:.2f}x of it); {listed} rows listed, "
              f"first record shown: {bool(shown)}")  # fmt: skip

        rng = random.Random(SEED)
        ids = [window.records.model.index(r, 0).data(Roles.ID) for r in range(min(listed, 500))]

        def switches(n: int) -> tuple[list[float], list[float], list[int]]:
            walls, cpus, counts = [], [], []
            for _ in range(n):
                target = rng.choice(ids)

                def switch(target: str = target) -> None:
                    window.records.select(target)
                    settle(app)

                wall, cpu, count = timed(counter, switch)
                walls.append(wall)
                cpus.append(cpu)
                counts.append(count)
            return walls, cpus, counts

        sweep_started = time.perf_counter()
        while not window.level_sweep.running and time.perf_counter() - sweep_started < 10:
            app.processEvents()  # the pass starts a moment after the window is shown
            time.sleep(0.01)
        during, _cpu, _count = switches(min(20, args.switches))
        quiet = quiesce(app, window)
        swept = time.perf_counter() - t0
        print(f"record switch while the level pass runs: median {statistics.median(during):.1f} "
              f"ms, p95 {p95(during):.1f} ms; the pass over {args.records} records ended "
              f"{swept:.1f} s after the window opened"
              + ("" if quiet else " (NOT ended: still running)"))  # fmt: skip
        switch_ms, switch_cpu, statements = switches(args.switches)
        print(f"record switch: median {statistics.median(switch_ms):.1f} ms, p95 "
              f"{p95(switch_ms):.1f} ms (target {TARGETS['switch_p95_ms']:.0f} ms, "
              f"{p95(switch_ms) / TARGETS['switch_p95_ms']:.2f}x); CPU median "
              f"{statistics.median(switch_cpu):.1f} ms, p95 {p95(switch_cpu):.1f} ms; "
              f"SQL statements per click: median {statistics.median(statements):.0f}")  # fmt: skip

        report = next((i for i in ids if i.startswith("RPT-")), ids[0])  # it has claims
        window.records.select(report)
        settle(app)
        window.reviewer_combo.set_reviewer("ana")
        table = window.claims.table
        table.setFocus()
        table.selectRow(0)
        settle(app)
        quiesce(app, window)  # what the switches started is not the keys' work
        key_ms, key_cpu, key_statements, settled_ms = [], [], [], []
        keys = [Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4, Qt.Key.Key_5]
        window.ask_reason = lambda _verdict: "benchmark: no span marked"
        for n in range(args.keys):
            key = keys[n % len(keys)]

            def press(key: Qt.Key = key, full_repaint: bool = True) -> None:
                QTest.keyClick(table, key)
                settle(app)  # what the key changed is repainted here
                if full_repaint:  # the headline figure: the whole window repainted as well
                    window.repaint()

            wall, cpu, count = timed(counter, press)
            key_ms.append(wall)
            key_cpu.append(cpu)
            key_statements.append(count)
            settled_ms.append(timed(counter, lambda key=key: press(key, False))[0])
        print(f"verdict keypress to repaint: median {statistics.median(key_ms):.1f} ms, p95 "
              f"{p95(key_ms):.1f} ms (target {TARGETS['verdict_p95_ms']:.0f} ms, "
              f"{p95(key_ms) / TARGETS['verdict_p95_ms']:.2f}x); CPU median "
              f"{statistics.median(key_cpu):.1f} ms, p95 {p95(key_cpu):.1f} ms; "
              f"SQL statements per keypress: "
              f"median {statistics.median(key_statements):.0f}")  # fmt: skip
        print(
            f"verdict keypress until the window has settled (only what changed repainted): "
            f"median {statistics.median(settled_ms):.1f} ms, p95 {p95(settled_ms):.1f} ms"
        )
        load = os.getloadavg()[0]
        print(f"load average during the run: {load:.1f} on {os.cpu_count()} cores")
        window.close()
        workspace.close()


if __name__ == "__main__":
    main()
