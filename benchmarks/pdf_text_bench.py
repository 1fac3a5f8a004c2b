"""Text-layer and quote-search timings on a generated 300-page PDF and the largest R manual.

    .venv/bin/python benchmarks/pdf_text_bench.py [--pages 300] [--pdf-dir DIR]

The R manuals come from ``scripts/fetch-test-pdfs`` (default dir: ``.cache/test-pdfs``, or
``$REVIEWER_TEST_PDF_DIR``); without them only the generated PDF is measured.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # for tests.pdf_factory when run as a script

from reviewer_app.pdf import (  # noqa: E402
    DocumentText,
    SpanSelectors,
    find_all,
    find_quote,
    make_selectors,
    open_pdf,
    reanchor,
)
from tests.pdf_factory import make_numbered_pages  # noqa: E402

T = TypeVar("T")


def timed(action: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def row(label: str, seconds: float, pages: int | None = None, note: str = "") -> None:
    per_page = f"  ({seconds / pages * 1000:.2f} ms/page)" if pages else ""
    print(f"  {label:<24}{seconds * 1000:9.2f} ms{per_page}{note}")


def bench(path: Path) -> None:
    size_mb = path.stat().st_size / 1e6
    with open_pdf(path) as document:
        pages = document.page_count
        layer, build_s = timed(document.text_layer)
    print(f"\n{path.name}: {pages} pages, {size_mb:.1f} MB, {len(layer.text):,} characters")
    row("text layer build", build_s, pages)
    row("normalise, ignoring case", timed(lambda: layer.normalized(ignore_case=True))[1], pages)
    # reanchoring compares case-sensitively: build that form here, not in the first reanchor
    row("normalise, with case", timed(lambda: layer.normalized(ignore_case=False))[1], pages)
    quote = _quote_from_middle(layer)
    hits = find_quote(layer, quote)
    row(
        "find_quote, 10 words",
        median_s(lambda: find_quote(layer, quote)),
        note=f"  {len(hits)} hit",
    )
    missing = "a sentence that appears nowhere in this document at all"
    row("find_quote, no hit", median_s(lambda: find_quote(layer, missing)))
    common = find_all(layer, "the")
    row("find_all('the')", median_s(lambda: find_all(layer, "the")), note=f"  {len(common)} hits")
    selectors = make_selectors(layer, hits[0])
    row("reanchor, exact", median_s(lambda: reanchor(selectors, layer)))
    edited = _with_quote(selectors, _edit_two_words(selectors.quote.exact))
    changed, changed_s = timed(lambda: reanchor(edited, layer))
    row("reanchor, edited quote", changed_s, note=f"  {changed.status}")
    # ordinary English that is in neither document: the costly case for partial_ratio
    lost = _with_quote(selectors, "Nobody expected the pooled estimate to fade within a year")
    orphan, orphan_s = timed(lambda: reanchor(lost, layer))
    row("reanchor, orphan", orphan_s, note=f"  {orphan.status} (searches the whole text)")


def median_s(action: Callable[[], object], repeats: int = 7) -> float:
    return statistics.median(timed(action)[1] for _ in range(repeats))


def _quote_from_middle(layer: DocumentText) -> str:
    middle = layer.word_indices_on_page(layer.page_count // 2)
    first = middle[len(middle) // 2]
    return layer.words_span(first, first + 9).quote


def _edit_two_words(quote: str) -> str:
    words = quote.split()
    words[2], words[6] = "replaced", "altered"
    return " ".join(words)


def _with_quote(selectors: SpanSelectors, exact: str) -> SpanSelectors:
    return replace(selectors, quote=replace(selectors.quote, exact=exact))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    default_dir = os.environ.get("REVIEWER_TEST_PDF_DIR", str(REPO / ".cache" / "test-pdfs"))
    parser.add_argument("--pdf-dir", type=Path, default=Path(default_dir))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        generated, make_s = timed(
            lambda: make_numbered_pages(Path(folder) / "generated.pdf", args.pages)
        )
        print(f"generated {args.pages}-page PDF in {make_s:.1f} s")
        bench(generated)
    manuals = sorted(args.pdf_dir.glob("*.pdf"), key=lambda p: p.stat().st_size)
    if manuals:
        bench(manuals[-1])
    else:
        print(f"\nno R manuals in {args.pdf_dir}: run scripts/fetch-test-pdfs")


if __name__ == "__main__":
    main()
