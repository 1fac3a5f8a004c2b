"""Every alias in the per-format tables reads exactly like the name it stands for.

The tables are the importers' whole vocabulary (reviewer_app/importers/*_vocabulary.py): adding
an alias there is a one-line change, and this test then imports a sample written with it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer_app.importers import parse_synthesis
from reviewer_app.importers.paper_vocabulary import AUTHOR_YEAR_SEPARATORS, PAPER_HEADINGS
from reviewer_app.importers.record_page_vocabulary import HEADING_ALIASES, LABEL_ALIASES
from reviewer_app.importers.report_vocabulary import (
    CLAIM_COLUMNS,
    REPORT_HEADINGS,
    UNVERIFIED_MARKS,
    VERIFIED_MARKS,
)

RECORDS = Path(__file__).parents[1] / "resources/demo/records"
REPORT = "report-sparse-multimodal-alignment.txt"
LABEL_PAGE = "record-page-label-value.txt"
PIPE_PAGE = "record-page-pipe-table.txt"
PAPER = "paper-page-benchmarks.txt"

_HEADER_ROW = "Claim\tVerified\tConfidence"
_ROW = "BERT is insensitive to negation factors.\t×\t0.02"
_LABEL_VALUE_ROWS = {
    "Submitted": ("Submitted: 27 May 2026", "{alias}: 27 May 2026"),
    "Verified claims": ("Verified claims: 3", "{alias}: 3"),
    "Reproducibility status": ("Reproducibility status MEDIUM", "{alias} MEDIUM"),
    "Correction count": ("Correction count0", "{alias}0"),
}


def _cases() -> list[tuple[str, str, str, str]]:
    """(id, sample, original text, text with the alias)."""
    cases = []
    for canonical, aliases in REPORT_HEADINGS.items():
        for alias in aliases:
            cases.append((f"report heading {alias}", REPORT, f"\n{canonical}\n", f"\n{alias}\n"))
    for index, aliases in enumerate(CLAIM_COLUMNS.values()):
        for alias in aliases:
            cells = _HEADER_ROW.split("\t")
            cells[index] = alias
            cases.append((f"claims column {alias}", REPORT, _HEADER_ROW, "\t".join(cells)))
    for mark, verified in (VERIFIED_MARKS | UNVERIFIED_MARKS).items():
        if not verified:
            cases.append((f"verified mark {mark}", REPORT, _ROW, _ROW.replace("×", mark)))
    for canonical, aliases in HEADING_ALIASES.items():
        sample = PIPE_PAGE if canonical == "Truth-Engine Gate Verdict" else LABEL_PAGE
        for alias in aliases:
            cases.append((f"page heading {alias}", sample, f"\n{canonical}\n", f"\n{alias}\n"))
    for label, aliases in LABEL_ALIASES.items():
        original, pattern = _LABEL_VALUE_ROWS[label]
        for alias in aliases:
            cases.append((f"page label {alias}", LABEL_PAGE, original, pattern.format(alias=alias)))
    for canonical, aliases in PAPER_HEADINGS.items():
        for alias in aliases:
            cases.append((f"paper heading {alias}", PAPER, f"\n{canonical}\n", f"\n{alias}\n"))
    for separator in AUTHOR_YEAR_SEPARATORS:
        cases.append((f"author separator {separator}", PAPER, "\u2022 2024", f"{separator} 2024"))
    return cases


CASES = _cases()


def _read(sample: str, text: str) -> dict[str, object]:
    data = parse_synthesis(text.encode("utf-8"), source=Path(sample)).to_json()
    data.pop("source_sha256")
    return data


def test_every_table_has_aliases() -> None:
    assert len(CASES) >= 20


@pytest.mark.parametrize(
    ("sample", "original", "aliased"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_an_alias_reads_like_its_name(sample: str, original: str, aliased: str) -> None:
    text = (RECORDS / sample).read_text(encoding="utf-8")
    assert original in text

    read = _read(sample, text.replace(original, aliased, 1))

    assert read == _read(sample, text)
