"""The details panel shows the content an import kept but did not recognise."""

from __future__ import annotations

from pathlib import Path

from reviewer_app.importers import read_synthesis
from reviewer_app.ui.record_details import RecordDetails

CASES = Path(__file__).parent / "import_variations/cases"


def test_details_panel_lists_kept_lines_and_flags(qtbot) -> None:
    record = read_synthesis(CASES / "81-paper-recall-at-k-ambiguous.txt")
    details = RecordDetails()
    qtbot.addWidget(details)

    details.show_record(record, local_id=record.local_id)

    text = details.toPlainText()
    assert "Kept but not recognised (1)" in text
    assert "Recall@120.5" in text
    assert "ambiguous: read as Recall@1 20.5; could also be Recall@12 0.5" in text


def test_details_panel_has_no_such_section_for_a_clean_record(qtbot, samples: Path) -> None:
    record = read_synthesis(samples / "paper-page-benchmarks.txt")
    details = RecordDetails()
    qtbot.addWidget(details)

    details.show_record(record, local_id=record.local_id)

    assert "Kept but not recognised" not in details.toPlainText()
