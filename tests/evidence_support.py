"""Shared pieces of the evidence-finder tests (issue 12); holds no tests itself."""

from __future__ import annotations

from pathlib import Path

from tests.pdf_factory import make_lines_pdf

# Claim 4 of the sample report is "BERT is insensitive to negation factors."; claim 1 is
# "Fine-tuning BERT on GLUE may overlook word order information."
SOURCE_PAGES = [
    [
        "Probing Linguistic Knowledge in Vision-Language Pretraining",
        "arXiv:2407.17856v4 [cs.CV] 24 Jul 2024",
        "We study how syntax is captured during pretraining of large models.",
        "The weather in the laboratory was pleasant throughout the whole year.",
        "Our results show that BERT is largely insensitive to negation in its input.",
        "Counting objects remains hard: accuracy on quantity questions was 23% lower.",
    ],
    [
        "Fine-tuned on GLUE, the model ignores the order of words in most tasks.",
        "A closing remark about the hardware budget ends the paper.",
    ],
]
NEGATION_SENTENCE = "Our results show that BERT is largely insensitive to negation in its input."


def make_evidence_source(path: Path) -> Path:
    return make_lines_pdf(path, SOURCE_PAGES)
