"""Find-in-document and ``annotate --quote`` from the stored text layer vs from the PDF.

    .venv/bin/python benchmarks/text_layer_bench.py [--pdf fullrefman.pdf] [--runs 5]

"First find" is what the window does on the first Ctrl+F: the text layer is read (and its
case-folded form prepared) on a pool thread when the PDF is shown, then the term is
found; both parts are printed. Two workspaces hold the same record with the same PDF
attached; one has its passage index (and so its packed text layer), the other not, so it
reads the text layer from the PDF as before issue 12. Each measurement runs in a fresh
process (its peak RSS taken with ``wait4``), several times; medians are printed with the
ratio old / new. Targets: first find <= 100 ms once indexed, ``annotate`` <= 1 s (printed
apart from the CLI's start-up, which every command pays).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.evidence_prepare import pdf_dir  # noqa: E402
from benchmarks.process_env import bytecode_env  # noqa: E402

REPORT = ROOT / "resources" / "demo" / "records" / "report-sparse-multimodal-alignment.txt"
CLI = [sys.executable, "-m", "reviewer_app"]
_STDERR: list[str] = []
"""The last stderr line of each child (the annotate child prints its phases there)."""
TERMS = ("regression", "data frame", "the")
"""A typical word, a phrase, and the worst case (capped at 10,000 hits as in the window)."""
QUOTES = {
    "fullrefman.pdf": "These functions create and draw an x-axis.",  # page 1,200 of 2,415
    "R-intro.pdf": "Permission is granted to make and distribute verbatim copies",
}
_ANNOTATE_CHILD = """
import json, sys, time
started = time.perf_counter()
from reviewer_app.cli import cli
from reviewer_app.services import evidence
imported = time.perf_counter()
spent = []
quote_search = evidence.Evidence.annotate_quote
def timed(*args, **kwargs):
    begun = time.perf_counter()
    try:
        return quote_search(*args, **kwargs)
    finally:
        spent.append(time.perf_counter() - begun)
evidence.Evidence.annotate_quote = timed
try:
    cli.main(sys.argv[1:], prog_name="reviewer-app", standalone_mode=False)
finally:
    done = time.perf_counter()
    print(json.dumps({"start_up": imported - started, "annotate": sum(spent),
                      "command": done - imported}), file=sys.stderr)
"""
_PREPARE_CHILD = """
import json, sys, time
from reviewer_app.pdf import PdfStore
from reviewer_app.services.passage_index import build_lexical_index
from reviewer_app.storage import text_layer_repository
from reviewer_app.storage.database import Database
db, store_dir, sha = sys.argv[1:4]
database = Database.open(db)
started = time.perf_counter()
build_lexical_index(database, PdfStore(store_dir), sha)
seconds = time.perf_counter() - started
with database.reading() as session:
    packed = text_layer_repository.stored_text_layer(session, sha)
print(json.dumps({"index_s": seconds, "packed_mb": len(packed or b"") / 1e6}))
"""

_FIND_CHILD = """
import json, sys, time
started = time.perf_counter()
from reviewer_app.pdf import PdfStore, find_all, open_pdf
from reviewer_app.services.text_layers import TextLayers
from reviewer_app.storage.database import Database
from reviewer_app.pdf.search import prepare_for_find
mode, db, store_dir, sha, term = sys.argv[1:6]
imported = time.perf_counter()
if mode == "stored":
    database = Database.open(db)
    layer = TextLayers(PdfStore(store_dir), database=database).stored(sha)
    assert layer is not None, "no stored text layer"
else:
    with open_pdf(PdfStore(store_dir).path_for(sha)) as document:
        layer = document.text_layer()
prepare_for_find(layer)  # what the window does on its pool thread when the PDF is shown
loaded = time.perf_counter()
hits = find_all(layer, term)
found = time.perf_counter()
print(json.dumps({"load": loaded - imported, "find": found - loaded, "hits": len(hits),
                  "quads": [list(a.quads) for a in hits[0].page_quads] if hits else []}))
"""


def run_measured(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) and stdout of one child process."""
    started = time.perf_counter()
    child = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None and child.stderr is not None
    out, err = child.stdout.read(), child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    lines = err.decode().strip().splitlines()
    _STDERR.append(lines[-1] if lines else "{}")
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(args[:6])}… failed: {err.decode()[-800:]}")
    return wall, usage.ru_maxrss / 1024, out.decode()


def prepare(work: Path, pdf: Path, env: dict[str, str]) -> dict[str, object]:
    """Both workspaces; returns record id, SHA-256 and the index build figures (in child
    processes: a child's peak RSS starts from its parent's, which must stay small)."""
    facts: dict[str, object] = {}
    for name in ("indexed", "plain"):
        db = str(work / f"{name}.sqlite3")
        out = subprocess.run(
            [*CLI, "--db", db, "import", str(REPORT)], env=env, check=True, capture_output=True
        ).stdout.decode()
        facts["record"] = out.split("\t")[0]
        out = subprocess.run(
            [*CLI, "--db", db, "attach", str(facts["record"]), str(pdf)],
            env=env, check=True, capture_output=True,
        ).stdout.decode()  # fmt: skip
        facts["sha"] = out.split("\t")[0]
    args = [sys.executable, "-c", _PREPARE_CHILD, str(work / "indexed.sqlite3"),
            str(work / "data" / "pdfs"), str(facts["sha"])]  # fmt: skip
    _, rss, out = run_measured(args, env)
    facts.update(json.loads(out), index_rss=rss)
    return facts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pdf", default="fullrefman.pdf")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quote", default="the", help="annotate's quote for another PDF")
    parser.add_argument("--skip-find", action="store_true", help="measure annotate only")
    options = parser.parse_args()
    pdf = pdf_dir() / options.pdf
    if not pdf.is_file():
        raise SystemExit(f"{pdf}: absent (run scripts/fetch-test-pdfs)")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        env = {**bytecode_env(work / "bytecode"), "REVIEWER_APP_DATA_DIR": str(work / "data"),
               "REVIEWER_APP_REVIEWER": "bench", "PYTHONPATH": str(ROOT)}  # fmt: skip
        facts = prepare(work, pdf, env)
        print(
            f"{options.pdf}: passage index with packed text layer {facts['index_s']:.1f} s, "
            f"peak {facts['index_rss']:.0f} MB; layer {facts['packed_mb']:.1f} MB stored"
        )
        quote = QUOTES.get(options.pdf, options.quote)
        store_dir = str(work / "data" / "pdfs")
        sha, record = str(facts["sha"]), str(facts["record"])
        for term in () if options.skip_find else TERMS:
            figures: dict[str, list[tuple[float, float, float]]] = {"stored": [], "pdf": []}
            shown: dict[str, object] = {}
            for _ in range(options.runs):
                for mode, db in (("stored", "indexed"), ("pdf", "plain")):
                    args = [sys.executable, "-c", _FIND_CHILD, mode,
                            str(work / f"{db}.sqlite3"), store_dir, sha, term]  # fmt: skip
                    _, rss, out = run_measured(args, env)
                    result = json.loads(out)
                    figures[mode].append((result["load"], result["find"], rss))
                    shown[mode] = (result["hits"], result["quads"])
            assert shown["stored"] == shown["pdf"], f"{term}: hits differ"
            _print_find(term, figures, int(shown["stored"][0]))  # type: ignore[index]
        annotate: dict[str, list[tuple[float, ...]]] = {"stored": [], "pdf": []}
        for _ in range(options.runs):
            for mode, db in (("stored", "indexed"), ("pdf", "plain")):
                args = [sys.executable, "-c", _ANNOTATE_CHILD, "--db", str(work / f"{db}.sqlite3"),
                        "annotate", record, "--claim", "1", "--pdf", sha, "--quote", quote,
                        "--stance", "context"]  # fmt: skip
                wall, rss, _ = run_measured(args, env)
                phases = json.loads(_STDERR.pop())
                annotate[mode].append(
                    (wall, rss, phases["start_up"], phases["annotate"], phases["command"])
                )
        _print_annotate(annotate, options.runs)


def _print_annotate(figures: dict[str, list[tuple[float, ...]]], runs: int) -> None:
    def med(mode: str, i: int) -> float:
        return statistics.median(f[i] for f in figures[mode])

    print(
        f"annotate --quote ({runs} runs): quote search and storing the span "
        f"{med('stored', 3):.2f} s from the stored layer vs {med('pdf', 3):.2f} s from the PDF "
        f"(ratio {med('pdf', 3) / med('stored', 3):.1f}x; target <= 1 s); the whole command "
        f"{med('stored', 4):.2f} vs {med('pdf', 4):.2f} s after {med('stored', 2):.2f} s of "
        f"importing the CLI ({med('stored', 0):.2f} vs {med('pdf', 0):.2f} s wall); peak RSS "
        f"{med('stored', 1):.0f} vs {med('pdf', 1):.0f} MB "
        f"({med('pdf', 1) / med('stored', 1):.1f}x)"
    )


def _print_find(term: str, figures: dict[str, list[tuple[float, float, float]]], hits: int) -> None:
    def med(mode: str, i: int) -> float:
        return statistics.median(f[i] for f in figures[mode])

    new_first = statistics.median(f[0] + f[1] for f in figures["stored"])
    old_first = statistics.median(f[0] + f[1] for f in figures["pdf"])
    print(
        f"find {term!r} ({hits} hits): stored layer load {med('stored', 0) * 1e3:.0f} ms + "
        f"find {med('stored', 1) * 1e3:.0f} ms (peak {med('stored', 2):.0f} MB); from the PDF "
        f"{med('pdf', 0) * 1e3:.0f} ms + {med('pdf', 1) * 1e3:.0f} ms (peak "
        f"{med('pdf', 2):.0f} MB); first find {new_first * 1e3:.0f} vs {old_first * 1e3:.0f} ms, "
        f"ratio {old_first / new_first:.1f}x (target: find <= 100 ms once the layer is loaded)"
    )


if __name__ == "__main__":
    sys.exit(main())
