"""Opening PDFs: every unusable file gives one clear PdfUnreadable naming it."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer_app.errors import ReviewerAppError
from reviewer_app.pdf import PdfUnreadable, open_pdf
from tests.pdf_factory import (
    make_corrupt_pdf,
    make_encrypted_pdf,
    make_numbered_pages,
    make_zero_page_pdf,
)


def _refusal(path: Path) -> PdfUnreadable:
    with pytest.raises(PdfUnreadable) as caught:
        open_pdf(path)
    assert isinstance(caught.value, ReviewerAppError)
    assert caught.value.path == path
    assert str(caught.value).startswith(f"{path}: ")
    return caught.value


def test_missing_file(tmp_path: Path) -> None:
    assert _refusal(tmp_path / "absent.pdf").reason == "file not found"


def test_directory(tmp_path: Path) -> None:
    assert "is a directory" in _refusal(tmp_path).reason


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    assert _refusal(path).reason == "not a valid PDF (the file is empty)"


def test_text_file_named_pdf(tmp_path: Path) -> None:
    path = tmp_path / "notes.pdf"
    path.write_text("just some notes, not a PDF\n")
    reason = _refusal(path).reason
    assert reason.startswith("not a valid PDF (no %PDF- header")
    assert "just some notes" in reason


def test_truncated_pdf_beyond_repair(tmp_path: Path) -> None:
    path = make_corrupt_pdf(tmp_path / "cut.pdf", keep_fraction=0.2)
    assert _refusal(path).reason == (
        "not a valid PDF (cut off: it does not end with %%EOF, e.g. an incomplete download)"
    )


def test_slightly_truncated_pdf_opens_repaired(tmp_path: Path) -> None:
    whole = make_numbered_pages(tmp_path / "whole.pdf", 3, lines_per_page=5)
    cut = tmp_path / "cut.pdf"
    data = whole.read_bytes()
    cut.write_bytes(data[: int(len(data) * 0.95)])
    with open_pdf(cut) as document:
        assert document.repaired
        assert document.text_layer().text.startswith("Page 1 of 3")
    with open_pdf(whole) as document:
        assert not document.repaired


def test_password_protected(tmp_path: Path) -> None:
    path = make_encrypted_pdf(tmp_path / "locked.pdf")
    assert _refusal(path).reason == "PDF is password-protected"


def test_zero_pages(tmp_path: Path) -> None:
    path = make_zero_page_pdf(tmp_path / "blank.pdf")
    assert _refusal(path).reason == "PDF has no pages"


def test_good_pdf_opens_with_its_pages(tmp_path: Path) -> None:
    path = make_numbered_pages(tmp_path / "good.pdf", 4, lines_per_page=3)
    with open_pdf(path) as document:
        assert document.page_count == 4
        assert document.path == path
        assert document.page_rect(0) == (0.0, 0.0, 595.0, 842.0)
        layer = document.text_layer()
    assert [layer.text[start:].split("\n")[0] for start in layer.page_starts] == [
        f"Page {n} of 4" for n in range(1, 5)
    ]
