"""Grounding with the real Debian R manuals (``$REVIEWER_TEST_PDF_DIR``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reviewer_app.services.grounding import GroundingService
from reviewer_app.services.review import ReviewService
from tests.grounding_support import R_MANUAL_QUOTE, checks_by_name, stamp_real_pdf
from tests.review_support import REF_PROBING

PDF_DIR = Path(
    os.environ.get("REVIEWER_TEST_PDF_DIR", Path(__file__).parents[1] / ".cache" / "test-pdfs")
)
MANUAL = PDF_DIR / "R-intro.pdf"


@pytest.fixture
def manual() -> Path:
    if not MANUAL.is_file():
        pytest.skip(f"{MANUAL} is missing: run scripts/fetch-test-pdfs")
    return MANUAL


def test_real_manual_is_not_the_referenced_paper(
    grounding: GroundingService, service: ReviewService, record_id: str, manual: Path
) -> None:
    sha = service.attach_pdf(record_id, manual, reference_url=REF_PROBING).source.sha256
    service.annotate_quote(record_id, 1, pdf=sha, quote=R_MANUAL_QUOTE, stance="supports",
                           reviewer="ana")  # fmt: skip
    report = grounding.report(record_id).to_json()
    checks = checks_by_name(report["references"][0]["checks"])
    assert checks["same_paper"]["ok"] is False
    assert checks["file_intact"]["ok"] is True
    assert report["claims"][0]["grounded"] is False


def test_stamped_real_manual_grounds_a_quote_from_its_text(
    grounding: GroundingService,
    service: ReviewService,
    record_id: str,
    manual: Path,
    tmp_path: Path,
) -> None:
    stamped = stamp_real_pdf(manual, tmp_path / "2407.17856v4.pdf", "2407.17856", 4)
    sha = service.attach_pdf(record_id, stamped).source.sha256
    service.annotate_quote(record_id, 1, pdf=sha, quote=R_MANUAL_QUOTE, stance="supports",
                           reviewer="ana")  # fmt: skip
    report = grounding.report(record_id).to_json()
    reference = report["references"][0]
    assert reference["attached_sha256"] == sha
    assert all(c["ok"] is True for c in reference["checks"] if c["name"] != "online")
    assert report["claims"][0]["grounded"] is True
    assert report["claims"][0]["evidence_sources"] == [sha]
