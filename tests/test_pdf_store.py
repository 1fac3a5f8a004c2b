"""The content-addressed PDF store: dedup, layout, atomic adds, alteration detection."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from reviewer_app.pdf import PdfStore, PdfUnreadable, StoredPdfAltered, StoredPdfMissing
from tests.pdf_factory import make_corrupt_pdf, make_numbered_pages


@pytest.fixture
def store(tmp_path: Path) -> PdfStore:
    return PdfStore(tmp_path / "store")


@pytest.fixture
def paper(tmp_path: Path) -> Path:
    return make_numbered_pages(tmp_path / "paper.pdf", 3, lines_per_page=4)


def _stored_files(store: PdfStore) -> list[Path]:
    return sorted(path for path in store.root.rglob("*") if path.is_file())


def test_add_copies_under_its_sha256(store: PdfStore, paper: Path) -> None:
    expected = hashlib.sha256(paper.read_bytes()).hexdigest()
    stored = store.add(paper)
    assert stored.sha256 == expected
    assert stored.path == store.root / expected[:2] / f"{expected[2:]}.pdf"
    assert stored.path.read_bytes() == paper.read_bytes()
    assert stored.size == paper.stat().st_size
    assert stored.page_count == 3
    assert store.path_for(expected) == stored.path
    assert store.contains(expected)


def test_same_content_is_stored_once(store: PdfStore, paper: Path, tmp_path: Path) -> None:
    copy = tmp_path / "same paper, other name.pdf"
    shutil.copyfile(paper, copy)
    first = store.add(paper)
    second = store.add(copy)
    assert second == first
    assert _stored_files(store) == [first.path]  # and no temporary file left behind


def test_different_content_is_stored_apart(store: PdfStore, paper: Path, tmp_path: Path) -> None:
    other = make_numbered_pages(tmp_path / "other.pdf", 2, lines_per_page=4)
    assert store.add(paper).sha256 != store.add(other).sha256
    assert len(_stored_files(store)) == 2


def test_refuses_files_that_are_not_pdfs_naming_the_source(store: PdfStore, tmp_path: Path) -> None:
    broken = make_corrupt_pdf(tmp_path / "broken.pdf")
    with pytest.raises(PdfUnreadable, match=r"broken\.pdf: not a valid PDF"):
        store.add(broken)
    with pytest.raises(PdfUnreadable, match=r"absent\.pdf: file not found"):
        store.add(tmp_path / "absent.pdf")
    assert _stored_files(store) == []


def test_verify_detects_an_altered_file(store: PdfStore, paper: Path) -> None:
    stored = store.add(paper)
    assert store.verify(stored.sha256) == stored.path
    os.chmod(stored.path, 0o644)
    stored.path.write_bytes(stored.path.read_bytes() + b"\n% appended\n")
    with pytest.raises(StoredPdfAltered, match="stored PDF was altered"):
        store.verify(stored.sha256)
    with pytest.raises(StoredPdfAltered):
        store.open(stored.sha256)


def test_adding_again_heals_an_altered_copy(store: PdfStore, paper: Path) -> None:
    stored = store.add(paper)
    os.chmod(stored.path, 0o644)
    stored.path.write_bytes(b"%PDF-1.7 garbage")
    store.add(paper)
    assert store.verify(stored.sha256) == stored.path


def test_verify_and_open_report_a_missing_file(store: PdfStore, paper: Path) -> None:
    stored = store.add(paper)
    stored.path.unlink()
    with pytest.raises(StoredPdfMissing, match=stored.sha256):
        store.verify(stored.sha256)
    assert not store.contains(stored.sha256)


def test_open_gives_the_verified_document(store: PdfStore, paper: Path) -> None:
    stored = store.add(paper)
    with store.open(stored.sha256) as document:
        assert document.page_count == 3


def test_malformed_hash_is_refused(store: PdfStore) -> None:
    with pytest.raises(StoredPdfMissing, match="not a lower-case SHA-256"):
        store.path_for("../../etc/passwd")
    assert not store.contains("ABC")
