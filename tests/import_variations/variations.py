"""Plausible real-world variations of the five sample exports, each with its expected fields.

Each variation is one edit a publisher's page or a copy/paste plausibly makes to a sample.
``python -m tests.import_variations.variations`` (re)writes ``cases/NN-name.txt`` and
``cases/NN-name.expected.json``; hand-written cases (whole files written from scratch, with
their expected fields written by hand) live in the same folder as ``hand-NN-name.*``.
The expected fields of a variation are the sample's own (as the importer reads the unedited
sample, checked by tests/test_importers.py) with the variation's differences applied.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "resources/demo/records"
CASES = Path(__file__).resolve().parent / "cases"

REPORT = "report-sparse-multimodal-alignment.txt"
REPORT_NO_CLAIMS = "report-no-claims.txt"
LABEL_VALUE = "record-page-label-value.txt"
PIPE = "record-page-pipe-table.txt"
PAPER = "paper-page-benchmarks.txt"

REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "report": (
        "kind",
        "title",
        "publisher",
        "date",
        "claims_extracted",
        "claims_verified",
        "claims",
        "references",
        "review_score",
        "papers_retrieved",
    ),
    "record": (
        "kind",
        "title",
        "record_id",
        "date",
        "review_score",
        "claims_verified",
        "verification",
        "quality_tier",
        "quality_dimensions",
        "correction_record",
        "provenance",
        "gate",
    ),
    "paper": ("kind", "title", "authors", "year", "benchmarks"),
}
"""The fields a variation must read exactly as expected to count as imported right."""


@dataclass(frozen=True)
class Variation:
    name: str
    sample: str
    edit: Callable[[str], str]
    changes: dict[str, Any] = field(default_factory=dict)
    """Expected fields that differ from the sample's."""
    unrecognised: int = 0
    """How many unrecognised entries (kept lines, flags) the record must carry at least."""
    encoding: str = "utf-8"


def replace(old: str, new: str, count: int = 1) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, count)

    return edit


def chain(*edits: Callable[[str], str]) -> Callable[[str], str]:
    def edit(text: str) -> str:
        for one in edits:
            text = one(text)
        return text

    return edit


def prepend(lines: str) -> Callable[[str], str]:
    return lambda text: lines + "\n" + text


def append(lines: str) -> Callable[[str], str]:
    return lambda text: text.rstrip("\n") + "\n" + lines + "\n"


def sub(pattern: str, new: str) -> Callable[[str], str]:
    return lambda text: re.sub(pattern, new, text, flags=re.MULTILINE)


def same(text: str) -> str:
    return text


_REF = "http://arxiv.org/abs/2407.17856v4"
_RESULTS = "11 papers retrieved. 10 claims extracted; 0 independently verified."
_CLAIM4 = "BERT is insensitive to negation factors.\t×\t0.02"

REPORT_VARIATIONS = [
    Variation(
        "report-limitations-reworded",
        REPORT,
        replace(
            "This report is a machine-generated literature synthesis and does not constitute "
            "original research.",
            "This is an automatically generated synthesis, not original research.",
        ),
    ),
    Variation(
        "report-cookie-banner",
        REPORT,
        prepend("We use cookies to improve your experience. Accept all\n"),
        unrecognised=1,
    ),
    Variation(
        "report-banner-above-title",
        REPORT,
        prepend("Assignee Research Synthesis Portal - beta\n"),
        unrecognised=1,
    ),
    Variation(
        "report-navigation-line",
        REPORT,
        prepend("Home | Reports | Benchmarks | About\n"),
        unrecognised=1,
    ),
    Variation(
        "report-footer-after-references",
        REPORT,
        append("\nAll rights reserved. Assignee Research 2026."),
        unrecognised=1,
    ),
    Variation(
        "report-link-line-after-references",
        REPORT,
        append("\nView this report online: https://example.org/reports/1234"),
        unrecognised=1,
    ),
    Variation(
        "report-copyright-after-references",
        REPORT,
        append("\n© 2026 Assignee Research"),
        unrecognised=1,
    ),
    Variation(
        "report-markdown-headings",
        REPORT,
        chain(
            sub(r"^Abstract$", "## Abstract"),
            sub(r"^(\d \w[\w ]+)$", r"## \1"),
            sub(r"^References$", "## References"),
        ),
    ),
    Variation(
        "report-headings-other-case",
        REPORT,
        chain(
            replace("\nAbstract\n", "\nABSTRACT\n"),
            replace("5 Extracted Claims", "5 Extracted claims"),
            replace("\nReferences\n", "\nreferences\n"),
        ),
    ),
    Variation(
        "report-claims-heading-parenthetical",
        REPORT,
        replace("5 Extracted Claims", "5 Extracted Claims (machine-extracted)"),
    ),
    Variation(
        "report-claims-heading-count",
        REPORT,
        replace("5 Extracted Claims", "5 Extracted Claims (10)"),
    ),
    Variation("report-references-numbered", REPORT, sub(r"^- (<http)", r"1. \1")),
    Variation(
        "report-references-numbered-in-order",
        REPORT,
        chain(
            replace("- <http://arxiv.org/abs/2407", "1. <http://arxiv.org/abs/2407"),
            replace("- <http://arxiv.org/abs/2308", "2. <http://arxiv.org/abs/2308"),
            replace("- <http://arxiv.org/abs/2312", "[3] <http://arxiv.org/abs/2312"),
        ),
    ),
    Variation("report-reference-bare-url", REPORT, replace(f"- <{_REF}>", _REF)),
    Variation(
        "report-reference-followed-by-title",
        REPORT,
        replace(
            f"- <{_REF}>",
            f"- <{_REF}> Can Linguistic Knowledge Improve Multimodal Alignment?",
        ),
        unrecognised=1,
    ),
    Variation(
        "report-reference-title-on-next-line",
        REPORT,
        replace(
            f"- <{_REF}>",
            f"- <{_REF}>\n  Can Linguistic Knowledge Improve Multimodal Alignment?",
        ),
        unrecognised=1,
    ),
    Variation("report-confidence-decimal-comma", REPORT, sub(r"\t0\.(\d\d)$", r"\t0,\1")),
    Variation(
        "report-confidence-percent",
        REPORT,
        replace(_CLAIM4, "BERT is insensitive to negation factors.\t×\t2%"),
    ),
    Variation(
        "report-claims-row-with-spaces",
        REPORT,
        replace(_CLAIM4, "BERT is insensitive to negation factors.    ×    0.02"),
    ),
    Variation(
        "report-claims-extra-column",
        REPORT,
        chain(
            replace("Claim\tVerified\tConfidence", "Claim\tVerified\tConfidence\tSource"),
            sub(r"^(.+\t[×✓]\t0\.\d\d)$", r"\1\t[1]"),
        ),
        unrecognised=1,
    ),
    Variation(
        "report-results-none-verified",
        REPORT,
        replace(_RESULTS, "11 papers retrieved. 10 claims extracted; none independently verified."),
    ),
    Variation(
        "report-results-claims-were-extracted",
        REPORT,
        replace(
            _RESULTS,
            "11 papers were retrieved. 10 claims were extracted, of which 0 were "
            "independently verified.",
        ),
    ),
    Variation(
        "report-results-count-disagrees",
        REPORT,
        replace(_RESULTS, "11 papers retrieved. 12 claims extracted; 0 independently verified."),
        changes={"claims_extracted": 12},
        unrecognised=1,
    ),
    Variation("report-date-iso", REPORT, replace("May 29, 2026", "2026-05-29")),
    Variation("report-date-ordinal", REPORT, replace("May 29, 2026", "May 29th, 2026")),
    Variation(
        "report-date-sept",
        REPORT,
        replace("May 29, 2026", "Sept. 29, 2026"),
        changes={"date": "2026-09-29"},
    ),
    Variation("report-date-day-month", REPORT, replace("May 29, 2026", "29 May 2026")),
    Variation("report-windows-1252", REPORT, same, encoding="cp1252"),
    Variation("report-crlf", REPORT, lambda text: text.replace("\n", "\r\n")),
    Variation("report-bom", REPORT, lambda text: "\ufeff" + text),
    Variation("report-no-blank-lines", REPORT, sub(r"\n\n+", "\n")),
    Variation("report-extra-blank-lines", REPORT, sub(r"\n\n", "\n\n\n\n")),
    Variation("report-indented-lines", REPORT, sub(r"^(?=\S)", "  ")),
    Variation(
        "report-appendix-section",
        REPORT,
        replace(
            "\nReferences\n",
            "\n6 Appendix\n\nSearch strings are available on request.\n\nReferences\n",
        ),
    ),
    Variation(
        "report-verified-words",
        REPORT,
        replace(_CLAIM4, "BERT is insensitive to negation factors.\tNo\t0.02"),
    ),
    Variation(
        "report-abstract-heading-colon",
        REPORT,
        replace("\nAbstract\n", "\nAbstract:\n"),
    ),
    Variation(
        "report-title-with-line-separator",
        REPORT,
        replace("with Expert Scaling", "with Expert\u2028Scaling"),
        changes={
            "title": "Sparse Multimodal Model Alignment and Reasoning Accuracy with "
            "Expert\u2028Scaling"
        },
    ),
    Variation(
        "report-no-claims-abstract-reworded",
        REPORT_NO_CLAIMS,
        replace(
            "0 claims were extracted from source literature",
            "No claims could be extracted from the literature",
        ),
    ),
    Variation(
        "report-no-claims-latin-1",
        REPORT_NO_CLAIMS,
        replace("Sparse Mixture-of-Experts (MoE)", "Sparse Mixture-of-Experts (MoE, « mélange »)"),
        encoding="latin-1",
    ),
    Variation(
        "report-no-claims-results-reworded",
        REPORT_NO_CLAIMS,
        replace(
            "0 claims extracted; 0 independently verified.",
            "No claims were extracted; none independently verified.",
        ),
    ),
    Variation(
        "report-no-claims-banner-and-footer",
        REPORT_NO_CLAIMS,
        chain(prepend("Sign in | Register\n"), append("\nPrivacy | Terms | Contact")),
        unrecognised=2,
    ),
]

_LV_DISCLAIMER = (
    "Descriptive public verification status only; aggregate claim counts are public, "
    "but individual claim records are not exposed here."
)
LABEL_VALUE_VARIATIONS = [
    Variation(
        "page-disclaimer-reworded",
        LABEL_VALUE,
        replace(_LV_DISCLAIMER, "This is a descriptive status; claim records stay private."),
        unrecognised=1,
    ),
    Variation(
        "page-different-disclaimer-under-tier",
        LABEL_VALUE,
        replace(
            "Descriptive public triage only; this tier does not alter current publication "
            "or DOI behavior.",
            "Tiers are computed automatically and may change without notice.",
        ),
        unrecognised=1,
    ),
    Variation(
        "page-navigation-changed",
        LABEL_VALUE,
        replace(
            "Index \u00a0|\u00a0 Benchmarks \u00a0|\u00a0 Mathematics \u00a0|\u00a0 Graph "
            "\u00a0|\u00a0 About",
            "Home \u00a0|\u00a0 Records \u00a0|\u00a0 Leaderboards \u00a0|\u00a0 Help",
        ),
        unrecognised=1,
    ),
    Variation(
        "page-cookie-banner",
        LABEL_VALUE,
        prepend("This site uses cookies to remember your preferences. OK"),
        unrecognised=1,
    ),
    Variation(
        "page-unknown-row-doi",
        LABEL_VALUE,
        replace(
            "External recordNot registered", "External recordNot registered\nDOI10.5281/zenodo.1234"
        ),
        unrecognised=1,
    ),
    Variation(
        "page-unknown-header-row-views",
        LABEL_VALUE,
        replace("Verified claims: 3", "Verified claims: 3\nViews: 120"),
        unrecognised=1,
    ),
    Variation(
        "page-heading-other-case",
        LABEL_VALUE,
        chain(
            replace("\nQuality Tier\n", "\nQuality tier\n"),
            replace("\nCorrection Record\n", "\nCorrection record\n"),
        ),
    ),
    Variation(
        "page-markdown-headings",
        LABEL_VALUE,
        sub(
            r"^(Abstract|Research Question|Verification Level|Quality Tier|Quality Dimensions|"
            r"Correction Record|Provenance)$",
            r"## \1",
        ),
    ),
    Variation(
        "page-footer",
        LABEL_VALUE,
        append("\n© 2026 Assignee Research · Privacy · Terms"),
        unrecognised=1,
    ),
    Variation(
        "page-date-iso", LABEL_VALUE, replace("Submitted: 27 May 2026", "Submitted: 2026-05-27")
    ),
    Variation(
        "page-date-ordinal",
        LABEL_VALUE,
        replace("Submitted: 27 May 2026", "Submitted: May 27th, 2026"),
    ),
    Variation("page-windows-1252", LABEL_VALUE, same, encoding="cp1252"),
    Variation(
        "page-labels-with-colons",
        LABEL_VALUE,
        chain(
            replace("TierWatchlist", "Tier: Watchlist"), replace("StatusCURRENT", "Status: CURRENT")
        ),
    ),
    Variation(
        "page-lowercase-levels",
        LABEL_VALUE,
        replace("Evidence strength LOW", "Evidence strength low"),
    ),
    Variation("page-crlf", LABEL_VALUE, lambda text: text.replace("\n", "\r\n")),
    Variation(
        "page-banner-above-id",
        LABEL_VALUE,
        prepend("New: compare records side by side!"),
        unrecognised=1,
    ),
    Variation(
        "page-heading-with-colon",
        LABEL_VALUE,
        replace("\nProvenance\n", "\nProvenance:\n"),
    ),
]

PIPE_VARIATIONS = [
    Variation(
        "pipe-separator-rows",
        PIPE,
        chain(
            replace("| Tier | Watchlist | |", "| --- | --- | --- |\n| Tier | Watchlist | |"),
            replace("| Status | CURRENT |", "|---|---|\n| Status | CURRENT |"),
        ),
    ),
    Variation(
        "pipe-row-missing-closing-pipe",
        PIPE,
        replace("| Tier | Watchlist | |", "| Tier | Watchlist"),
    ),
    Variation(
        "pipe-unknown-row-doi",
        PIPE,
        replace(
            "| External record | Not registered |",
            "| External record | Not registered |\n| DOI | 10.5281/zenodo.1234 |",
        ),
        unrecognised=1,
    ),
    Variation(
        "pipe-unknown-row-views",
        PIPE,
        replace("| Status | CURRENT |", "| Status | CURRENT |\n| Views | 120 |"),
        unrecognised=1,
    ),
    Variation(
        "pipe-heading-other-case",
        PIPE,
        chain(
            replace("\nQuality Tier\n", "\nQuality tier\n"),
            replace("\nProvenance\n", "\nPROVENANCE\n"),
        ),
    ),
    Variation(
        "pipe-markdown-headings",
        PIPE,
        sub(
            r"^(Abstract|Research Question|Verification Level|Truth-Engine Gate Verdict|"
            r"Quality Tier|Quality Dimensions|Correction Record|Provenance)$",
            r"### \1",
        ),
    ),
    Variation(
        "pipe-gate-disclaimer-reworded",
        PIPE,
        sub(
            r"^This record has not completed Gate 2.*$",
            "Gate 2 has not been passed yet; see the verification policy.",
        ),
        unrecognised=1,
    ),
    Variation(
        "pipe-navigation-line",
        PIPE,
        prepend("Home · Records · Benchmarks · About"),
        unrecognised=1,
    ),
    Variation("pipe-footer", PIPE, append("Last updated 2026-06-10"), unrecognised=1),
    Variation(
        "pipe-table-header-row",
        PIPE,
        replace(
            "| Publisher | Assignee Research |",
            "| Field | Value |\n| --- | --- |\n| Publisher | Assignee Research |",
        ),
        unrecognised=1,
    ),
    Variation("pipe-crlf", PIPE, lambda text: text.replace("\n", "\r\n")),
    Variation(
        "pipe-wide-cells",
        PIPE,
        replace("| Tier | Watchlist | |", "|   Tier   |   Watchlist   |   |"),
    ),
    Variation(
        "pipe-markdown-table-bullet-disclaimer",
        PIPE,
        replace(
            "Automated triage signals derived from public fields; not human peer review "
            "or independent validation.",
            "> Signals are automated and were not reviewed by a person.",
        ),
        unrecognised=1,
    ),
    Variation("pipe-windows-1252", PIPE, same, encoding="cp1252"),
]

_AUTHORS_END = "Feng Zhao\u2022 2024"
_ROW = "Visual Question AnsweringTextVQA\nAccuracy68\n1117"
PAPER_VARIATIONS = [
    Variation(
        "paper-changed-banner",
        PAPER,
        replace(
            "Our new X account is live! Follow @wizwand_team for updates",
            "Now on Bluesky: follow us for weekly benchmark news",
        ),
        unrecognised=1,
    ),
    Variation(
        "paper-cookie-banner",
        PAPER,
        prepend("Cookies help us deliver our services. Learn more | Got it\n"),
        unrecognised=1,
    ),
    Variation("paper-author-middle-dot", PAPER, replace(_AUTHORS_END, "Feng Zhao \u00b7 2024")),
    Variation("paper-author-bullet-spaced", PAPER, replace(_AUTHORS_END, "Feng Zhao \u2022 2024")),
    Variation(
        "paper-link-after-table",
        PAPER,
        replace("Showing 8 of 8 rows", "Showing 8 of 8 rows\nView all benchmarks for this paper"),
        unrecognised=1,
    ),
    Variation(
        "paper-footer-reworded",
        PAPER,
        chain(
            replace("Other info", "More information"),
            replace("Follow for update", "Follow us for updates"),
        ),
        unrecognised=2,
    ),
    Variation(
        "paper-recall-at-k-glued",
        PAPER,
        replace(_ROW, "Visual Question AnsweringTextVQA\nRecall@2085.3\n1117"),
        changes={"benchmarks[0]": {"metric": "Recall@20", "result": 85.3}},
    ),
    Variation(
        "paper-recall-at-100-glued",
        PAPER,
        replace(_ROW, "Visual Question AnsweringTextVQA\nRecall@10071.2\n1117"),
        changes={"benchmarks[0]": {"metric": "Recall@100", "result": 71.2}},
    ),
    Variation(
        "paper-recall-at-k-ambiguous",
        PAPER,
        replace(_ROW, "Visual Question AnsweringTextVQA\nRecall@120.5\n1117"),
        changes={"benchmarks[0]": {"metric": "Recall@1", "result": 20.5}},
        unrecognised=1,
    ),
    Variation("paper-windows-1252", PAPER, same, encoding="cp1252"),
    Variation("paper-crlf", PAPER, lambda text: text.replace("\n", "\r\n")),
    Variation("paper-no-blank-lines", PAPER, sub(r"\n\n+", "\n")),
    Variation(
        "paper-about-heading-other-case",
        PAPER,
        chain(
            replace("\nAbout\n", "\nABOUT\n"), replace("Related benchmarks", "Related Benchmarks")
        ),
    ),
    Variation(
        "paper-result-percent",
        PAPER,
        replace("Accuracy64.7", "Accuracy64.7%"),
    ),
]

VARIATIONS: list[Variation] = [
    *REPORT_VARIATIONS,
    *LABEL_VALUE_VARIATIONS,
    *PIPE_VARIATIONS,
    *PAPER_VARIATIONS,
]


def expected_fields(sample_json: dict[str, Any], variation: Variation) -> dict[str, Any]:
    expected = {name: sample_json[name] for name in REQUIRED_FIELDS[sample_json["kind"]]}
    for name, value in variation.changes.items():
        match = re.fullmatch(r"(\w+)\[(\d+)\]", name)
        if match:  # one item of a list changed: "benchmarks[0]": {"metric": ...}
            items = [dict(item) for item in expected[match.group(1)]]
            items[int(match.group(2))].update(value)
            expected[match.group(1)] = items
        else:
            expected[name] = value
    return expected


def write_cases() -> int:
    """Write every variation to ``cases/``; returns how many were written."""
    from reviewer_app.importers import read_synthesis

    CASES.mkdir(exist_ok=True)
    for number, variation in enumerate(VARIATIONS, start=1):
        sample = SAMPLES / variation.sample
        sample_json = read_synthesis(sample).to_json()
        text = variation.edit(sample.read_text(encoding="utf-8"))
        stem = f"{number:02d}-{variation.name}"
        (CASES / f"{stem}.txt").write_bytes(text.encode(variation.encoding))
        expected = {
            "sample": variation.sample,
            "fields": expected_fields(sample_json, variation),
            "min_unrecognised": variation.unrecognised,
        }
        (CASES / f"{stem}.expected.json").write_text(
            json.dumps(expected, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    return len(VARIATIONS)


if __name__ == "__main__":
    print(f"wrote {write_cases()} variations to {CASES}")
