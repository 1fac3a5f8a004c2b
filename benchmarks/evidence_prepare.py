"""Index the evaluation PDFs for ``evidence_bench.py`` into a cached workspace (run once).

Builds the lexical index (with static vectors) for every PDF and the sentence model's vectors
for the smaller ones; the 2,415-page manual gets sentence vectors only for passages that
reach a ranking's pool (computed and stored on first use), as in the app.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from reviewer_app.pdf import PdfStore
from reviewer_app.services.passage_index import build_lexical_index, compute_dense_vectors
from reviewer_app.storage.database import Database

PDF_DIR = Path(__file__).resolve().parent.parent / ".cache" / "test-pdfs"
WORK_DIR = Path(__file__).resolve().parent.parent / ".cache" / "evidence-bench"
SMALL = ("R-intro.pdf", "R-FAQ.pdf", "R-data.pdf", "R-lang.pdf", "R-admin.pdf")
LARGE = ("fullrefman.pdf",)


def pdf_dir() -> Path:
    import os

    return Path(os.environ.get("REVIEWER_TEST_PDF_DIR", PDF_DIR))


def open_bench(work_dir: Path = WORK_DIR) -> tuple[Database, PdfStore, dict[str, str]]:
    """The cached workspace, its store, and file name → SHA-256 of every evaluation PDF."""
    work_dir.mkdir(parents=True, exist_ok=True)
    database = Database.open(work_dir / "bench.sqlite3")
    store = PdfStore(work_dir / "pdfs")
    shas = {}
    for name in SMALL + LARGE:
        path = pdf_dir() / name
        if path.is_file():
            shas[name] = store.add(path).sha256
    return database, store, shas


def main() -> None:
    database, store, shas = open_bench()
    for name, sha in shas.items():
        started = time.perf_counter()
        count = build_lexical_index(database, store, sha)
        print(
            f"{name}: {count} passages, lexical {time.perf_counter() - started:.1f} s", flush=True
        )
    for name in SMALL:
        if name in shas:
            started = time.perf_counter()
            compute_dense_vectors(database, shas[name])
            print(f"{name}: sentence vectors {time.perf_counter() - started:.1f} s", flush=True)
    database.close()


if __name__ == "__main__":
    sys.exit(main())
