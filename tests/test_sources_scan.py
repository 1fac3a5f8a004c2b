"""Scanning a folder for a record's sources, and the arXiv id matching behind it."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer_app.domain.records import Reference
from reviewer_app.errors import ReviewerAppError
from reviewer_app.services.review import ReviewService
from reviewer_app.services.source_matching import match_file_name, match_first_page
from tests.pdf_factory import make_corrupt_pdf
from tests.review_support import PAPER_LINES, REF_OTHER, REF_PROBING, make_source, stored_files

UNSTAMPED = [line for line in PAPER_LINES if "arXiv:" not in line]


def test_scan_matches_by_file_name_and_by_first_page_and_reports_the_rest(
    service: ReviewService, record_id: str, tmp_path: Path
) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    by_name = make_source(folder / "2308.12898v2.pdf", UNSTAMPED)
    by_text = make_source(folder / "paper (1).PDF")  # stamped arXiv:2407.17856v4
    unrelated = make_source(folder / "holiday.pdf", ["Nothing to see here."])
    broken = make_corrupt_pdf(folder / "2312.11456v4.pdf")
    (folder / "notes.txt").write_text("not a PDF")
    nested = folder / "old"
    nested.mkdir()
    make_source(nested / "2312.11456v4.pdf", UNSTAMPED)  # subfolders are not scanned
    progress: list[tuple[int, int]] = []
    skipped: dict[str, str] = {}

    results = service.scan_folder(
        record_id,
        folder,
        reviewer="ana",
        progress=lambda done, total: progress.append((done, total)),
        on_skipped=lambda path, reason: skipped.update({path.name: reason}),
    )

    attached = {r.source.file_name: r.source.reference_url for r in results}
    assert attached == {by_name.name: REF_OTHER, by_text.name: REF_PROBING}
    assert skipped.keys() == {unrelated.name, broken.name}
    assert "arXiv references" in skipped[unrelated.name]
    assert "not a valid PDF" in skipped[broken.name]
    assert progress == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert len(stored_files(service.pdf_store)) == 2  # nothing kept of skipped files
    slots = {slot.reference_url: slot for slot in service.source_slots(record_id)}
    assert [f.file_name for f in slots[REF_OTHER].files] == [by_name.name]
    assert [f.file_name for f in slots[REF_PROBING].files] == [by_text.name]


def test_scan_of_a_missing_folder_is_a_clear_error(
    service: ReviewService, record_id: str, tmp_path: Path
) -> None:
    with pytest.raises(ReviewerAppError, match="not a folder"):
        service.scan_folder(record_id, tmp_path / "absent")


REFERENCES = [
    Reference.from_url("http://arxiv.org/abs/2407.17856v4"),
    Reference.from_url("http://arxiv.org/abs/2407.17856v2"),
    Reference.from_url("https://arxiv.org/abs/hep-th/9901001"),
    Reference.from_url("https://example.org/not-arxiv"),
]


@pytest.mark.parametrize(
    ("file_name", "url", "version"),
    [
        ("2407.17856v4.pdf", "http://arxiv.org/abs/2407.17856v4", 4),
        ("arxiv_2407.17856v2.pdf", "http://arxiv.org/abs/2407.17856v2", 2),
        ("2407.17856.pdf", "http://arxiv.org/abs/2407.17856v4", None),
        ("hep-th9901001v1.pdf", "https://arxiv.org/abs/hep-th/9901001", 1),
        ("hep-th_9901001.pdf", "https://arxiv.org/abs/hep-th/9901001", None),
    ],
)
def test_file_name_match(file_name: str, url: str, version: int | None) -> None:
    match = match_file_name(REFERENCES, file_name)
    assert match is not None
    assert (match.reference.url, match.version, match.found_in) == (url, version, "file name")


@pytest.mark.parametrize("file_name", ["2407.178561.pdf", "12407.17856.pdf", "2407.1785.pdf"])
def test_part_of_another_id_is_no_match(file_name: str) -> None:
    assert match_file_name(REFERENCES, file_name) is None


def test_first_page_prefers_the_arxiv_stamp_over_citations() -> None:
    text = "Following hep-th/9901001 we extend the method.\narXiv:2407.17856v2 [cs.CV] 3 Mar 2024\n"
    match = match_first_page(REFERENCES, text)
    assert match is not None
    assert (match.reference.url, match.version) == ("http://arxiv.org/abs/2407.17856v2", 2)


def test_first_page_citing_two_references_without_a_stamp_is_no_match() -> None:
    assert match_first_page(REFERENCES, "Unlike 2407.17856 and hep-th/9901001, we ...") is None
