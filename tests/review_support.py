"""Helpers of the review-loop tests (issue 4); holds no tests itself.

Their fixtures (``db_workspace``, ``record_id``, ``service``) are in ``conftest.py``.

The record is the sample report with ten claims and three arXiv references; source PDFs
are generated with ``pdf_factory`` so tests know exactly what text they hold.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from reviewer_app.pdf import PdfStore
from reviewer_app.services.workspace import Workspace
from reviewer_app.storage.review_models import (
    ClaimVerdictRow,
    EvidenceSpanRow,
    ReviewerRow,
    SourceFileRow,
    SpanAnchorRow,
)
from tests.pdf_factory import make_lines_pdf

SAMPLE_REPORT = "report-sparse-multimodal-alignment.txt"
REF_PROBING = "http://arxiv.org/abs/2407.17856v4"
REF_OTHER = "http://arxiv.org/abs/2308.12898v2"
REF_THIRD = "http://arxiv.org/abs/2312.11456v4"

# A paper page whose second sentence runs over a line break, with curly quotes and an
# "fi" ligature in the PDF's own text.
PAPER_LINES = [
    "Probing Linguistic Knowledge in Vision-Language Pretraining",
    "arXiv:2407.17856v4 [cs.CV] 24 Jul 2024",
    "We study how syntax is captured during pretraining. Our main ﬁnding is that",
    "the pooled alignment score rises with the number of experts on VQAv2.",
    "Models appear “robust” to word order, which we treat with caution.",
    "A closing remark ends the page.",
]


def make_source(path: Path, lines: list[str] | None = None, **layout: object) -> Path:
    """A one-page paper (``PAPER_LINES`` unless other lines are given)."""
    return make_lines_pdf(path, [lines or PAPER_LINES], **layout)  # type: ignore[arg-type]


def review_row_counts(workspace: Workspace) -> dict[str, int]:
    """Rows in every table the review loop writes, to show a refused call changed nothing."""
    tables = (ReviewerRow, SourceFileRow, EvidenceSpanRow, SpanAnchorRow, ClaimVerdictRow)
    with workspace.database.reading() as session:
        return {
            table.__tablename__: session.scalar(select(func.count()).select_from(table)) or 0
            for table in tables
        }


def stored_files(store: PdfStore) -> list[Path]:
    if not store.root.exists():
        return []
    return sorted(path for path in store.root.rglob("*") if path.is_file())
