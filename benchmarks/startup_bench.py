"""Start-up and memory of the app against a minimal PySide6 + PyMuPDF viewer, in the same run.

Run: .venv/bin/python benchmarks/startup_bench.py [--pdf .cache/test-pdfs/fullrefman.pdf]
     [--runs 5] [--pages 500]
Each figure is the median of ``--runs`` fresh processes:
- process start to the window shown with the PDF's first page drawn: the app
  (``MainWindow`` on an empty workspace, the PDF opened as ``gui --pdf`` does) against a
  minimal viewer (a QLabel showing page 1 rendered by PyMuPDF); target 2 s;
- ``reviewer-app list`` on a workspace of 3 records; target 0.5 s (``python -c pass`` shown
  for scale);
- RSS after stepping through ``--pages`` pages of the PDF (each drawn before the next), for
  both; target 300 MB for the app.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from process_env import bytecode_env  # noqa: E402

DEFAULT_PDF = REPO / ".cache" / "test-pdfs" / "fullrefman.pdf"
TARGETS = {"window_s": 2.0, "list_s": 0.5, "rss_mb": 300.0}

_COMMON = """
import json, os, sys, time
T0 = float(os.environ["BENCH_T0"])
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
def wait_until(app, condition):
    from PySide6.QtCore import QEventLoop
    deadline = time.monotonic() + 120
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 20)
"""

APP_PROBE = (
    _COMMON
    + """
sys.path.insert(0, sys.argv[3])
from PySide6.QtWidgets import QApplication
app = QApplication([])
from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.main_window import MainWindow
workspace = Workspace.open(sys.argv[1])
window = MainWindow(workspace)
window.resize(1440, 900)
window.open_pdf(sys.argv[2])
window.show()
view = window.pdf_pane.view
wait_until(app, lambda: view.page_count and 0 in view.visible_pages() and view.is_fully_rendered())
first = time.time() - T0
import resource
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu = usage.ru_utime + usage.ru_stime
at_first = rss_mb()
for index in range(min(int(sys.argv[4]), view.page_count)):
    view.go_to_page(index)
    wait_until(app, view.is_fully_rendered)
print(json.dumps({"first_page_s": first, "cpu_first_s": cpu, "rss_first_mb": at_first,
                  "rss_scrolled_mb": rss_mb()}))
window.close()
"""
)

VIEWER_PROBE = (
    _COMMON
    + """
import pymupdf
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea
app = QApplication([])
document = pymupdf.open(sys.argv[2])
label = QLabel()
area = QScrollArea()
area.setWidget(label)
area.resize(1440, 900)
def show(index):
    pix = document[index].get_pixmap(dpi=110)
    image = QImage(pix.samples, pix.width, pix.height, pix.stride, QImage.Format.Format_RGB888)
    label.setPixmap(QPixmap.fromImage(image))
    label.adjustSize()
    app.processEvents()
show(0)
area.show()
app.processEvents()
first = time.time() - T0
import resource
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu = usage.ru_utime + usage.ru_stime
at_first = rss_mb()
for index in range(min(int(sys.argv[4]), document.page_count)):
    show(index)
print(json.dumps({"first_page_s": first, "cpu_first_s": cpu, "rss_first_mb": at_first,
                  "rss_scrolled_mb": rss_mb()}))
"""
)


def run_probe(code: str, db: Path, pdf: Path, pages: int, cache: Path) -> dict[str, float]:
    env = dict(bytecode_env(cache), BENCH_T0=repr(time.time()))
    done = subprocess.run(
        [sys.executable, "-c", code, str(db), str(pdf), str(REPO), str(pages)],
        capture_output=True, text=True, env=env, check=True, timeout=600,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def wall(command: list[str], cache: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, timeout=120, env=bytecode_env(cache))
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def median_of(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf", type=Path, default=DEFAULT_PDF)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", type=int, default=500)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from reviewer_app.services.workspace import Workspace

    with tempfile.TemporaryDirectory() as folder:
        os.environ["REVIEWER_APP_DATA_DIR"] = str(Path(folder) / "data")
        db = Path(folder) / "w.sqlite3"
        with Workspace.open(db) as workspace:
            for path in sorted((REPO / "resources" / "demo" / "records").glob("*.txt")):
                workspace.import_file(path)
        cache = Path(folder) / "pycache"
        run_probe(APP_PROBE, db, args.pdf, 1, cache)  # warm-up: compiles the bytecode once
        run_probe(VIEWER_PROBE, db, args.pdf, 1, cache)
        app_runs, viewer_runs = [], []
        for _ in range(args.runs):  # interleaved, so both see the same machine load
            viewer_runs.append(run_probe(VIEWER_PROBE, db, args.pdf, args.pages, cache))
            app_runs.append(run_probe(APP_PROBE, db, args.pdf, args.pages, cache))
        cli = [str(Path(sys.executable).with_name("reviewer-app")), "--db", str(db), "list"]
        list_runs = [wall(cli, cache) for _ in range(args.runs)]
        list_s, list_cpu = (statistics.median(r[i] for r in list_runs) for i in (0, 1))
        bare = [sys.executable, "-c", "pass"]
        bare_s = statistics.median(wall(bare, cache)[0] for _ in range(args.runs))

    app_first, viewer_first = (
        median_of(app_runs, "first_page_s"),
        median_of(viewer_runs, "first_page_s"),
    )
    print(f"{args.pdf.name}, median of {args.runs} processes each, {args.pages} pages scrolled")
    print(
        f"process start to first page: app {app_first:.2f} s, minimal viewer "
        f"{viewer_first:.2f} s, ratio {app_first / viewer_first:.2f}x "
        f"(target {TARGETS['window_s']} s: {app_first / TARGETS['window_s']:.2f}x of it)"
    )
    app_cpu, viewer_cpu = median_of(app_runs, "cpu_first_s"), median_of(viewer_runs, "cpu_first_s")
    print(
        f"  CPU time to first page (load stretches wall time): app {app_cpu:.2f} s, "
        f"minimal viewer {viewer_cpu:.2f} s, ratio {app_cpu / viewer_cpu:.2f}x"
    )
    print(
        f"reviewer-app list: {list_s:.2f} s (target {TARGETS['list_s']} s: "
        f"{list_s / TARGETS['list_s']:.2f}x of it; CPU {list_cpu:.2f} s; "
        f"python -c pass {bare_s:.2f} s)"
    )
    for key, what in (
        ("rss_first_mb", "RSS at the first page"),
        ("rss_scrolled_mb", f"RSS after {args.pages} pages"),
    ):
        app_mb, viewer_mb = median_of(app_runs, key), median_of(viewer_runs, key)
        print(f"{what}: app {app_mb:.0f} MB, minimal viewer {viewer_mb:.0f} MB, ratio "
              f"{app_mb / viewer_mb:.2f}x" + (f" (target {TARGETS['rss_mb']:.0f} MB)"
                                              if key == "rss_scrolled_mb" else ""))  # fmt: skip


if __name__ == "__main__":
    main()
