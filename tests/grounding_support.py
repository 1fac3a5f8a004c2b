"""Shared pieces of the grounding tests (issue 13); holds no tests itself.
Its fixtures (``grounding``, ``scoring``) are in ``conftest.py``.

Source PDFs are arXiv-style papers made with PyMuPDF: the body lines of ``PAPER_LINES`` and,
as arXiv prints it, a stamp rotated up the left margin (``arXiv:2407.17856v4 [cs.CL] 25 Jul
2024``).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pymupdf

from reviewer_app.pdf import PdfStore
from reviewer_app.services.review import ReviewService
from reviewer_app.services.scoring import ScoringService

BODY_LINES = [
    "Probing Linguistic Knowledge in Vision-Language Pretraining",
    "We study how syntax is captured during pretraining. Our main finding is that",
    "the pooled alignment score rises with the number of experts on VQAv2.",
    "Models appear robust to word order, which we treat with caution.",
    "A closing remark ends the page.",
]
QUOTE = "the pooled alignment score rises with the number of experts"


def make_arxiv_pdf(
    path: Path,
    arxiv_id: str | None,
    version: int | None,
    lines: list[str] | None = None,
    *,
    metadata_subject: str | None = None,
) -> Path:
    """A one-page paper with arXiv's margin stamp (none when ``arxiv_id`` is None)."""
    document = pymupdf.open()
    page = document.new_page(width=595, height=842)
    for index, line in enumerate(lines or BODY_LINES):
        page.insert_text((72, 90 + 16 * index), line, fontname="helv", fontsize=11)
    if arxiv_id is not None:
        stamp = f"arXiv:{arxiv_id}{f'v{version}' if version else ''}  [cs.CL]  25 Jul 2024"
        page.insert_text((30, 600), stamp, fontname="tiro", fontsize=20, rotate=90)
    if metadata_subject:
        document.set_metadata({"subject": metadata_subject})
    temp = path.with_name(path.name + ".tmp")
    document.save(temp)
    document.close()
    os.replace(temp, path)
    return path


def overwrite_stored(store: PdfStore, sha256: str, replacement: Path) -> None:
    """Swap the stored file's content behind the app's back (it is stored read-only)."""
    target = store.path_for(sha256)
    os.chmod(target, stat.S_IRUSR | stat.S_IWUSR)
    target.write_bytes(replacement.read_bytes())


def submit_verdict(
    service: ReviewService,
    scoring: ScoringService,
    record_id: str,
    position: int,
    reviewer: str,
    verdict: str,
) -> None:
    """A verdict counts in the consensus once its reviewer's sheet is submitted."""
    service.set_verdict(record_id, position, reviewer=reviewer, verdict=verdict, reason="read")
    scoring.sheets.save(record_id, reviewer, review_score=6.0, submit=True)


def checks_by_name(checks: list[dict]) -> dict[str, dict]:
    return {check["name"]: check for check in checks}


R_MANUAL_QUOTE = "R is an integrated suite of software facilities for data manipulation"


def stamp_real_pdf(source: Path, target: Path, arxiv_id: str, version: int) -> Path:
    """A copy of a real PDF (a Debian R manual) with arXiv's margin stamp on its first page."""
    document = pymupdf.open(source)
    stamp = f"arXiv:{arxiv_id}v{version}  [stat.CO]  20 Jan 2023"
    document[0].insert_text((20, 600), stamp, fontname="tiro", fontsize=18, rotate=90)
    temp = target.with_name(target.name + ".tmp")
    document.save(temp, garbage=1)
    document.close()
    os.replace(temp, target)
    return target
