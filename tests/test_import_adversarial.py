"""Inputs built to make a backtracking pattern quadratic: each must finish in linear time.

Before the patterns were bounded, a 52 KB report with a run of 50,000 digits or a line of
100,000 spaces ran for minutes (the author-line pattern during format detection, the claims
count, the glued-banner suffix of an abstract). The timeout is a hang guard, not a speed
target: linear parsing takes milliseconds here; benchmarks/import_variations.py prints the
slowest input per KB.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from reviewer_app.errors import ImportRefused
from reviewer_app.importers import parse_synthesis

RECORDS = Path(__file__).parents[1] / "resources/demo/records"
REPORT = (RECORDS / "report-sparse-multimodal-alignment.txt").read_text(encoding="utf-8")
PIPE_PAGE = (RECORDS / "record-page-pipe-table.txt").read_text(encoding="utf-8")
LABEL_PAGE = (RECORDS / "record-page-label-value.txt").read_text(encoding="utf-8")
PAPER = (RECORDS / "paper-page-benchmarks.txt").read_text(encoding="utf-8")

DIGITS = "1" * 50_000
SPACES = " " * 100_000

ADVERSARIAL: dict[str, Callable[[], str]] = {
    "report: 50,000 digits before 'papers retrieved'": lambda: REPORT.replace(
        "11 papers retrieved.", DIGITS + " papers retrieved."
    ),
    "report: 50,000 digits before 'claims extracted'": lambda: REPORT.replace(
        "10 claims extracted", DIGITS + "0 claims extracted"
    ),
    "report: 50,000 digits in the Results sentence, no count word after": lambda: REPORT.replace(
        "11 papers retrieved.", DIGITS + " x. 11 papers retrieved."
    ),
    "report: a line of 50,000 digits": lambda: REPORT.replace(
        "\n3 Results\n", f"\n{DIGITS}\n3 Results\n"
    ),
    "report: 100,000 spaces inside a line": lambda: REPORT.replace(
        "\n3 Results\n", f"\na{SPACES}b\n3 Results\n"
    ),
    "report: 100,000 spaces in the title": lambda: REPORT.replace(
        "Sparse Multimodal", f"Sparse{SPACES}Multimodal"
    ),
    "report: 100,000 spaces before a pipe in the abstract": lambda: REPORT.replace(
        "knowledge,", f"knowledge,{SPACES}|"
    ),
    "report: 100,000 spaces after a reference": lambda: REPORT.replace(
        "- <http://arxiv.org/abs/2407.17856v4>", f"- <http://arxiv.org/abs/2407.17856v4>{SPACES}x"
    ),
    "report: 100,000 spaces in a claims row": lambda: REPORT.replace(
        "BERT is insensitive to negation factors.\t×\t0.02", f"BERT{SPACES}× 0.02"
    ),
    "report: 100,000 spaces after 'Research question:'": lambda: REPORT.replace(
        "Research question:", "Research question:" + SPACES
    ),
    "report: 50,000 digits as a review score": lambda: REPORT.replace(
        "review score: 3.2/10", "review score: " + DIGITS
    ),
    "report: 50,000 '1 ' pairs": lambda: REPORT.replace(
        "\n3 Results\n", "\n3 Results\n" + "1 " * 50_000 + "\n"
    ),
    "record page: 100,000 spaces in a pipe row": lambda: PIPE_PAGE.replace(
        "| Tier | Watchlist | |", f"| Tier |{SPACES}Watchlist | |"
    ),
    "record page: 100,000 spaces in a glued row": lambda: LABEL_PAGE.replace(
        "TierWatchlist", f"Tier{SPACES}Watchlist"
    ),
    "record page: 50,000 digits as a date": lambda: LABEL_PAGE.replace("27 May 2026", DIGITS),
    "paper: 100,000 spaces between metric and result": lambda: PAPER.replace(
        "Accuracy68", f"Accuracy{SPACES}68"
    ),
    "paper: metric@ followed by 50,000 digits": lambda: PAPER.replace(
        "Accuracy68", "Recall@" + DIGITS
    ),
    "paper: a metric and 50,000 digits then a letter": lambda: PAPER.replace(
        "Accuracy68", f"A{DIGITS}x"
    ),
    "paper: 100,000 spaces before the author bullet": lambda: PAPER.replace(
        "Feng Zhao\u2022", f"Feng Zhao{SPACES}\u2022"
    ),
    "record page: a disclaimer-like line of 100,000 spaces": lambda: LABEL_PAGE.replace(
        "Descriptive public triage only;", "Descriptive public" + SPACES + "x"
    ),
    "unknown: 100,000 spaces then a letter": lambda: SPACES + "x\n",
    "unknown: 100,000 bullets": lambda: "\u2022" * 100_000,
    "unknown: 100,000 pipes": lambda: "|" * 100_000,
    "unknown: 50,000 digits": lambda: DIGITS,
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("build", ADVERSARIAL.values(), ids=list(ADVERSARIAL))
def test_adversarial_input_is_parsed_or_refused_in_linear_time(build: Callable[[], str]) -> None:
    data = build().encode("utf-8")
    assert len(data) >= 50_000
    try:
        record = parse_synthesis(data, source=Path("adversarial.txt"))
    except ImportRefused as refusal:
        assert refusal.reason
    else:
        assert record.title
