"""Attaching source PDFs: reference matching, the content store, dedupe and refusals."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path

import pytest

from reviewer_app.errors import NotFound
from reviewer_app.pdf import PdfUnreadable, StoredPdfAltered
from reviewer_app.services.review import ReviewService
from reviewer_app.services.workspace import Workspace
from tests.pdf_factory import make_corrupt_pdf, make_encrypted_pdf
from tests.review_support import (
    PAPER_LINES,
    REF_OTHER,
    REF_PROBING,
    REF_THIRD,
    make_source,
    review_row_counts,
    stored_files,
)

UNSTAMPED = [line for line in PAPER_LINES if "arXiv:" not in line]


def test_explicit_reference_attaches_into_the_store(
    service: ReviewService, record_id: str, tmp_path: Path
) -> None:
    pdf = make_source(tmp_path / "paper.pdf", UNSTAMPED)
    result = service.attach_pdf(record_id, pdf, reference_url=REF_OTHER, reviewer="ana")
    expected = hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert result.source.sha256 == expected
    assert result.source.reference_url == REF_OTHER
    assert result.source.arxiv_id == "2308.12898"
    assert result.source.attached_by == "ana"
    assert result.source.page_count == 1
    assert result.reanchor is None and not result.already_attached
    stored = service.source_path(expected)
    assert stored.read_bytes() == pdf.read_bytes()
    assert stored.is_relative_to(Path(os.environ["REVIEWER_APP_DATA_DIR"]) / "pdfs")


def test_reference_is_matched_by_arxiv_id_in_the_file_name(
    service: ReviewService, record_id: str, tmp_path: Path
) -> None:
    pdf = make_source(tmp_path / "Scaling_2312.11456v3.pdf", UNSTAMPED)
    source = service.attach_pdf(record_id, pdf, reviewer="ana").source
    assert (source.reference_url, source.arxiv_version) == (REF_THIRD, 3)
    assert source.file_name == "Scaling_2312.11456v3.pdf"


def test_reference_is_matched_by_the_arxiv_stamp_on_the_first_page(
    service: ReviewService, record_id: str, tmp_path: Path
) -> None:
    pdf = make_source(tmp_path / "download.pdf")
    source = service.attach_pdf(record_id, pdf, reviewer="ana").source
    assert (source.reference_url, source.arxiv_id, source.arxiv_version) == (
        REF_PROBING,
        "2407.17856",
        4,
    )


def test_a_file_naming_no_reference_is_attached_without_one(
    service: ReviewService, record_id: str, tmp_path: Path
) -> None:
    pdf = make_source(tmp_path / "notes.pdf", UNSTAMPED)
    assert service.attach_pdf(record_id, pdf, reviewer="ana").source.reference_url is None
    slots = service.source_slots(record_id)
    assert [slot.reference_url for slot in slots] == [REF_PROBING, REF_OTHER, REF_THIRD, None]
    assert [f.file_name for f in slots[-1].files] == ["notes.pdf"]


def test_source_slots_list_files_newest_first(
    service: ReviewService, record_id: str, tmp_path: Path
) -> None:
    first = make_source(tmp_path / "2407.17856v2.pdf", UNSTAMPED)
    second = make_source(tmp_path / "2407.17856v4.pdf", [*UNSTAMPED, "One more line."])
    service.attach_pdf(record_id, first, reviewer="ana")
    service.attach_pdf(record_id, second, reviewer="ben")
    slot = service.source_slots(record_id)[0]
    assert (slot.reference_url, slot.arxiv_id, slot.arxiv_version) == (REF_PROBING, "2407.17856", 4)
    assert [(f.file_name, f.arxiv_version, f.attached_by) for f in slot.files] == [
        ("2407.17856v4.pdf", 4, "ben"),
        ("2407.17856v2.pdf", 2, "ana"),
    ]
    assert all(not later.files for later in service.source_slots(record_id)[1:])


def test_the_same_file_twice_is_stored_and_attached_once(
    service: ReviewService, db_workspace: Workspace, record_id: str, tmp_path: Path
) -> None:
    pdf = make_source(tmp_path / "paper.pdf")
    copy = tmp_path / "copy-of-paper.pdf"
    copy.write_bytes(pdf.read_bytes())
    service.attach_pdf(record_id, pdf, reviewer="ana")
    before = review_row_counts(db_workspace)
    again = service.attach_pdf(record_id, copy, reviewer="ben")
    assert again.already_attached
    assert again.source.file_name == "paper.pdf" and again.source.attached_by == "ana"
    assert review_row_counts(db_workspace) == before
    assert len(stored_files(service.pdf_store)) == 1


@pytest.mark.parametrize(
    ("make", "reason"),
    [(make_corrupt_pdf, "not a valid PDF"), (make_encrypted_pdf, "password-protected")],
)
def test_corrupt_or_encrypted_pdf_is_refused_and_nothing_is_stored(
    service: ReviewService,
    db_workspace: Workspace,
    record_id: str,
    tmp_path: Path,
    make: object,
    reason: str,
) -> None:
    bad = make(tmp_path / "2407.17856v4.pdf")  # type: ignore[operator]
    before = review_row_counts(db_workspace)
    with pytest.raises(PdfUnreadable, match=reason) as refused:
        service.attach_pdf(record_id, bad, reviewer="ana")
    assert str(bad) in str(refused.value)
    assert review_row_counts(db_workspace) == before
    assert stored_files(service.pdf_store) == []
    assert all(not slot.files for slot in service.source_slots(record_id))


def test_unknown_record_or_reference_is_refused_before_anything_is_stored(
    service: ReviewService, db_workspace: Workspace, record_id: str, tmp_path: Path
) -> None:
    pdf = make_source(tmp_path / "paper.pdf")
    before = review_row_counts(db_workspace)
    with pytest.raises(NotFound, match="no record 'RPT-NOPE'"):
        service.attach_pdf("RPT-NOPE", pdf, reviewer="ana")
    with pytest.raises(
        NotFound, match=re.escape("has no reference 'http://arxiv.org/abs/9999.99999'")
    ):
        service.attach_pdf(
            record_id, pdf, reference_url="http://arxiv.org/abs/9999.99999", reviewer="ana"
        )
    assert review_row_counts(db_workspace) == before
    assert stored_files(service.pdf_store) == []


def test_reference_may_be_named_by_bare_arxiv_id(
    service: ReviewService, record_id: str, tmp_path: Path
) -> None:
    pdf = make_source(tmp_path / "paper.pdf", UNSTAMPED)
    source = service.attach_pdf(record_id, pdf, reference_url="2308.12898", reviewer="ana").source
    assert source.reference_url == REF_OTHER


def test_source_path_notices_an_altered_stored_file(
    service: ReviewService, record_id: str, tmp_path: Path
) -> None:
    pdf = make_source(tmp_path / "paper.pdf")
    sha256 = service.attach_pdf(record_id, pdf, reviewer="ana").source.sha256
    stored = service.source_path(sha256)
    stored.chmod(stored.stat().st_mode | stat.S_IWUSR)
    stored.write_bytes(stored.read_bytes() + b"\n% tampered\n")
    with pytest.raises(StoredPdfAltered, match=sha256):
        service.source_path(sha256)
