"""PDFs that crashed the app (issue 16): a cycle in the page tree, a huge MediaBox, files cut
off mid-download. Each is refused or shown with a message; a refused attach stores nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from reviewer_app.errors import WriteFailed
from reviewer_app.pdf import PdfUnreadable, open_pdf
from reviewer_app.services.review import ReviewService
from reviewer_app.services.workspace import Workspace
from reviewer_app.storage.database import database_url
from tests.hostile_pdfs import (
    make_cut_off_pdf,
    make_object_stream_pdf,
    make_page_tree_cycle_pdf,
)
from tests.review_support import REF_OTHER, make_source, review_row_counts, stored_files


def _store_is_empty(service: ReviewService) -> bool:
    """No stored PDF and no temporary copy left behind."""
    return stored_files(service.pdf_store) == []


def test_a_cycle_in_the_page_tree_is_refused_and_nothing_is_stored(
    service: ReviewService, db_workspace: Workspace, record_id: str, tmp_path: Path
) -> None:
    pdf = make_page_tree_cycle_pdf(tmp_path / "cycle.pdf")
    before = review_row_counts(db_workspace)
    with pytest.raises(PdfUnreadable) as refused:
        service.attach_pdf(record_id, pdf, reviewer="ana")
    assert refused.value.path == pdf
    assert "page tree is damaged" in refused.value.reason
    assert "cycle in page tree" in refused.value.reason
    assert _store_is_empty(service)
    assert review_row_counts(db_workspace) == before


def test_a_cycle_after_a_good_first_page_attaches_and_the_bad_page_is_named(
    service: ReviewService, record_id: str, tmp_path: Path
) -> None:
    pdf = make_page_tree_cycle_pdf(tmp_path / "cycle-later.pdf", first_page_readable=True)
    result = service.attach_pdf(record_id, pdf, reviewer="ana")
    assert result.source.arxiv_id is None  # 2401.00001 is none of the record's references
    assert result.source.page_count == 2
    with open_pdf(service.source_path(result.source.sha256)) as document:
        text = document.text_layer()  # the unreadable page is skipped, not fatal
    assert "A paper" in text.text


def test_a_write_the_database_refuses_leaves_no_file_in_the_store(
    db_url: str, service: ReviewService, db_workspace: Workspace, record_id: str, tmp_path: Path
) -> None:
    pdf = make_source(tmp_path / "paper.pdf")
    engine = sa.create_engine(database_url(db_url))
    with engine.begin() as connection:  # the database itself refuses every attachment
        connection.execute(
            sa.text("ALTER TABLE source_files ADD CONSTRAINT no_files CHECK (size < 0)")
            if engine.dialect.name == "postgresql"
            else sa.text(
                "CREATE TRIGGER no_files BEFORE INSERT ON source_files "
                "BEGIN SELECT RAISE(ABORT, 'no files today'); END"
            )
        )
    engine.dispose()
    with pytest.raises(WriteFailed):
        service.attach_pdf(record_id, pdf, reference_url=REF_OTHER, reviewer="ana")
    assert _store_is_empty(service)


def test_a_refused_attach_keeps_a_file_other_rows_already_use(
    service: ReviewService, db_workspace: Workspace, record_id: str, tmp_path: Path
) -> None:
    pdf = make_source(tmp_path / "paper.pdf")
    first = service.attach_pdf(record_id, pdf, reference_url=REF_OTHER, reviewer="ana")
    with pytest.raises(Exception):  # noqa: B017  (an unknown reference: refused either way)
        service.attach_pdf(record_id, pdf, reference_url="http://example.org/x", reviewer="ana")
    assert service.source_path(first.source.sha256).read_bytes() == pdf.read_bytes()
    assert len(stored_files(service.pdf_store)) == 1


def test_a_cut_off_download_attaches_with_a_warning(
    service: ReviewService, record_id: str, tmp_path: Path
) -> None:
    whole = make_source(tmp_path / "whole.pdf")
    cut = make_cut_off_pdf(tmp_path / "2407.17856v4.pdf", whole, 0.95)
    result = service.attach_pdf(record_id, cut, reviewer="ana")
    assert len(result.warnings) == 1
    assert "2407.17856v4.pdf: the PDF is cut off" in result.warnings[0]
    assert "incomplete download" in result.warnings[0]
    whole_result = service.attach_pdf(record_id, whole, reference_url=REF_OTHER, reviewer="ana")
    assert whole_result.warnings == ()


def test_a_cut_off_download_with_no_page_left_says_so_not_no_pages(tmp_path: Path) -> None:
    whole = make_object_stream_pdf(tmp_path / "whole.pdf", make_source(tmp_path / "p.pdf"))
    cut = make_cut_off_pdf(tmp_path / "cut.pdf", whole, 0.5)
    with pytest.raises(PdfUnreadable) as refused:
        open_pdf(cut)
    assert refused.value.reason != "PDF has no pages"
    assert refused.value.reason.startswith("PDF is cut off")
    assert "download it again" in refused.value.reason


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reviewer_app", "--db", str(db), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_cli_attach_refuses_the_cycle_and_warns_on_the_cut_off_file(
    samples: Path, tmp_path: Path
) -> None:
    db = tmp_path / "w.db"
    imported = _cli(db, "import", str(samples / "report-sparse-multimodal-alignment.txt"))
    record = imported.stdout.split("\t")[0]
    cycle = make_page_tree_cycle_pdf(tmp_path / "cycle.pdf")
    refused = _cli(db, "attach", record, str(cycle), "--reviewer", "ana")
    assert refused.returncode == 2
    assert "Traceback" not in refused.stderr
    assert f"{cycle}: PDF page tree is damaged" in refused.stderr
    cut = make_cut_off_pdf(tmp_path / "cut.pdf", make_source(tmp_path / "whole.pdf"), 0.95)
    warned = _cli(db, "attach", record, str(cut), "--reviewer", "ana", "--reference", REF_OTHER)
    assert warned.returncode == 0, warned.stderr
    assert "reviewer-app: warning: cut.pdf: the PDF is cut off" in warned.stderr
