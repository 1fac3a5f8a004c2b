"""Everything the paper page importer knows by name: headings, the author line, metrics.

A new heading alias, author/year separator or metric name is a one-line change here;
tests/test_import_vocabulary.py imports a sample rewritten with every alias listed.
"""

from __future__ import annotations

import re

ABOUT_HEADING = "About"
BENCHMARKS_HEADING = "Related benchmarks"
AUTHOR_YEAR_SEPARATORS = ("•", "·", "∙", "‧")
"""Between the author names and the year: ``Feng Zhao• 2024``, ``Feng Zhao · 2024``."""
PUBLICATION_YEARS = range(1900, 2101)
"""A four-digit number outside these years after a bullet is not an author line's year."""
PAPER_HEADINGS: dict[str, tuple[str, ...]] = {
    ABOUT_HEADING: ("Overview",),
    BENCHMARKS_HEADING: ("Benchmarks", "Benchmark results"),
}
"""Headings with their aliases (matched in any case, with or without ``##`` or a colon)."""

BENCHMARK_TABLE_HEADER = re.compile(
    r"Task\s{0,8}Dataset\s{0,8}(?:Metric\s{0,8})?Result\s{0,8}Rank", re.IGNORECASE
)
NO_RESULT = "--"

# Metric names that end in digits: without this list "F190.1" would read as metric "F" and
# result 190.1. Matched as the end of the metric name, longest first ("mAP50" ends in "AP50").
KNOWN_DIGIT_METRICS: tuple[str, ...] = tuple(
    sorted(
        (
            "F1",
            "Top-1",
            "Top-5",
            "R@1",
            "R@5",
            "R@10",
            "Recall@1",
            "Recall@5",
            "Recall@10",
            "Hits@1",
            "Hits@10",
            "Pass@1",
            "pass@1",
            "NDCG@10",
            "MRR@10",
            "BLEU-1",
            "BLEU-2",
            "BLEU-3",
            "BLEU-4",
            "ROUGE-1",
            "ROUGE-2",
            "AP50",
            "AP75",
        ),
        key=len,
        reverse=True,
    )
)

PLAUSIBLE_K = frozenset((*range(1, 21), 25, 30, 32, 50, 64, 100, 128, 200, 256, 500, 1000))
"""The k of a metric ``@k`` (Recall@10): small, or one of the round values papers use."""
PREFERRED_K = (1, 5, 10, 20, 50, 100, 3, 1000)
"""When two readings are plausible, the more common k wins (and the cell is marked ambiguous)."""
RESULT_RANGE = (0.0, 100.0)
"""@k metrics (recall, precision, hits, NDCG, pass) are fractions or percentages."""
