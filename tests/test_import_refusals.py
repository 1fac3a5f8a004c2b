"""Files the importers must refuse, each with a message naming the file and the problem."""

from __future__ import annotations

import os
import pwd
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pymupdf
import pytest

from reviewer_app.errors import ImportRefused, ReviewerAppError
from reviewer_app.importers import parse_synthesis, read_synthesis
from reviewer_app.importers.decoding import MAX_EXPORT_BYTES

RECORDS = Path(__file__).parents[1] / "resources/demo/records"
REPORT = RECORDS / "report-sparse-multimodal-alignment.txt"
LABEL_VALUE_PAGE = RECORDS / "record-page-label-value.txt"
PIPE_PAGE = RECORDS / "record-page-pipe-table.txt"
PAPER_PAGE = RECORDS / "paper-page-benchmarks.txt"
SAMPLES = sorted(RECORDS.glob("*.txt"))


def refusal(path: Path) -> ImportRefused:
    with pytest.raises(ImportRefused) as caught:
        read_synthesis(path)
    assert caught.value.path == path
    assert str(caught.value).startswith(f"{path}: ")
    assert isinstance(caught.value, ReviewerAppError)
    return caught.value


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def sample_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_empty_file(tmp_path: Path) -> None:
    assert refusal(write(tmp_path, "empty.txt", b"")).reason == "file is empty"


def test_blank_file(tmp_path: Path) -> None:
    assert "file is empty" in refusal(write(tmp_path, "blank.txt", "\n  \r\n\t\n")).reason


def test_binary_bytes(tmp_path: Path) -> None:
    path = write(tmp_path, "record.txt", bytes(range(256)) * 4)
    assert refusal(path).reason == "binary content, not a text export"


def test_text_that_is_not_utf8_is_read_as_windows_1252_not_called_binary(tmp_path: Path) -> None:
    path = write(tmp_path, "latin1.txt", "Évaluation des modèles, résumé".encode("latin-1"))
    # Decoded (Windows-1252 fallback), then refused for what it is: no known format.
    assert refusal(path).reason.startswith("not a recognised synthesis format")


def test_pdf_renamed_to_txt(tmp_path: Path) -> None:
    document = pymupdf.open()
    document.new_page()
    path = write(tmp_path, "synthesis.txt", document.tobytes())

    reason = refusal(path).reason

    assert reason.startswith("this is a PDF document, not a synthesis text export")
    assert "attach PDFs to a record as sources" in reason


def test_unknown_text_format(tmp_path: Path) -> None:
    path = write(tmp_path, "notes.txt", "Meeting notes\n\nDiscussed the budget.\nAbout: nothing.\n")
    assert refusal(path).reason == (
        "not a recognised synthesis format: expected a report, a public record page or a paper page"
    )


def test_report_cut_in_half(tmp_path: Path) -> None:
    text = sample_text(REPORT)
    path = write(tmp_path, "report.txt", text[: len(text) // 2])

    assert refusal(path).reason == "report is incomplete: no References section"


def test_report_cut_after_introduction(tmp_path: Path) -> None:
    text = sample_text(REPORT)
    path = write(tmp_path, "report.txt", text[: text.index("2 Methodology")])

    assert refusal(path).reason == "report is incomplete: no Results or References section"


def test_report_without_references(tmp_path: Path) -> None:
    text = sample_text(REPORT)
    path = write(tmp_path, "report.txt", text[: text.index("References")])

    assert refusal(path).reason == "report is incomplete: no References section"


def test_claims_table_shorter_than_stated_is_imported_and_flagged(tmp_path: Path) -> None:
    lines = sample_text(REPORT).split("\n")
    first_row = lines.index("Claim\tVerified\tConfidence") + 1
    del lines[first_row : first_row + 4]
    path = write(tmp_path, "report.txt", "\n".join(lines))

    record = read_synthesis(path)

    assert (record.claims_extracted, len(record.claims)) == (10, 6)
    [flag] = record.unrecognised
    assert flag.section == "Results"
    assert flag.note == (
        "the Results section says 10 claims were extracted but the claims table has 6 rows"
    )


def test_claims_row_without_three_fields(tmp_path: Path) -> None:
    text = sample_text(REPORT).replace("BERT is insensitive to negation factors.\t×\t", "BERT\t")
    path = write(tmp_path, "report.txt", text)

    reason = refusal(path).reason

    assert "claims table row 4" in reason
    assert "instead of 3" in reason


def test_claims_stated_but_table_missing(tmp_path: Path) -> None:
    text = sample_text(REPORT)
    start, end = text.index("5 Extracted Claims"), text.index("References")
    path = write(tmp_path, "report.txt", text[:start] + text[end:])

    assert refusal(path).reason == (
        "report is incomplete: it says 10 claims were extracted but has no Extracted Claims table"
    )


def test_record_page_cut_before_provenance(tmp_path: Path) -> None:
    text = sample_text(LABEL_VALUE_PAGE)
    path = write(tmp_path, "record.txt", text[: text.index("Provenance\n")])

    assert refusal(path).reason == "record page is incomplete: no Provenance section"


def test_pipe_page_without_quality_tier(tmp_path: Path) -> None:
    text = sample_text(PIPE_PAGE)
    start, end = text.index("Quality Tier\n"), text.index("Quality Dimensions\n")
    path = write(tmp_path, "record.txt", text[:start] + text[end:])

    assert refusal(path).reason == "record page is incomplete: no Quality Tier section"


def test_record_page_cut_inside_a_row(tmp_path: Path) -> None:
    text = sample_text(PIPE_PAGE)
    path = write(tmp_path, "record.txt", text[: text.index("Assignee Research |") + 8])

    reason = refusal(path).reason

    assert reason.startswith("record page has an unrecognised line in the Provenance section")
    assert "Assignee" in reason


def test_record_page_with_unknown_level(tmp_path: Path) -> None:
    text = sample_text(LABEL_VALUE_PAGE).replace(
        "Evidence strength LOW", "Evidence strength LOWISH"
    )
    path = write(tmp_path, "record.txt", text)

    assert refusal(path).reason == (
        "quality dimension 'Evidence strength' is 'LOWISH'; expected LOW, MEDIUM or HIGH"
    )


def test_paper_page_with_truncated_benchmark_table(tmp_path: Path) -> None:
    text = sample_text(PAPER_PAGE)
    path = write(tmp_path, "paper.txt", text[: text.index("Hallucination Evaluation")])

    assert refusal(path).reason == (
        "paper page is incomplete: the benchmark table has no 'Showing N of M rows' line"
    )


def test_paper_page_with_rows_missing(tmp_path: Path) -> None:
    text = sample_text(PAPER_PAGE)
    start, end = text.index("Hallucination Evaluation"), text.index("Showing 8 of 8")
    path = write(tmp_path, "paper.txt", text[:start] + text[end:])

    assert refusal(path).reason == "benchmark table says it shows 8 rows but 6 were read"


def test_paper_page_row_cut_before_rank(tmp_path: Path) -> None:
    text = sample_text(PAPER_PAGE).replace("Accuracy88.4\n132\n", "")
    path = write(tmp_path, "paper.txt", text)

    reason = refusal(path).reason

    assert reason.startswith("benchmark row for 'POPE' has 'Science Question AnsweringSciQA-IMG'")


def test_missing_file(tmp_path: Path) -> None:
    assert refusal(tmp_path / "absent.txt").reason == "file does not exist"


def test_folder(tmp_path: Path) -> None:
    assert "folder" in refusal(tmp_path).reason


def test_oversized_file(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: no real disk use, and never read
        handle.truncate(MAX_EXPORT_BYTES + 1)

    assert "too large" in refusal(path).reason


@contextmanager
def without_root() -> Iterator[None]:
    """As a user with no rights on the test's files, when run as root (CI runs as root, and root
    reads files whatever their mode): the kernel checks the effective uid, which root may take
    back afterwards. Elsewhere as the user running the tests."""
    if os.geteuid() != 0:
        yield
        return
    os.seteuid(pwd.getpwnam("nobody").pw_uid)
    try:
        yield
    finally:
        os.seteuid(0)


@pytest.fixture
def open_folder() -> Iterator[Path]:
    """A folder anyone may enter (tmp_path's parents are the test user's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="reviewer-refusals-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


def test_unreadable_file(open_folder: Path) -> None:
    readable = write(open_folder, "readable.txt", sample_text(REPORT))
    readable.chmod(0o644)
    path = write(open_folder, "locked.txt", sample_text(REPORT))
    path.chmod(0)
    with without_root():
        assert read_synthesis(readable).title  # the same file with rights on it imports
        assert "permission denied" in refusal(path).reason


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.stem)
def test_every_truncation_parses_or_is_refused(path: Path) -> None:
    """A file cut at any byte either imports or is refused: never another exception."""
    data = path.read_bytes()
    refused = 0
    for cut in range(len(data) + 1):
        try:
            record = parse_synthesis(data[:cut], source=path)
        except ImportRefused as error:
            assert error.path == path
            assert error.reason
            refused += 1
        else:
            assert record.title
    # Cut anywhere before the final section, a file is refused: most cuts are.
    assert refused > len(data) * 0.9
