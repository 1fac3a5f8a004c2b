"""The Qt item models, checked by pytest-qt's model tester and through their proxies."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date

import pytest
from PySide6.QtCore import Qt

from reviewer_app.domain.records import Claim, RecordKind
from reviewer_app.services.records_list import RecordSummary
from reviewer_app.ui.models import ClaimTableModel, RecordListModel, Roles, SearchFilterProxy

pytestmark = pytest.mark.usefixtures("qapp")  # the icons need a QApplication

# Shared GUI fixtures (make_pdf, workspace, isolated_qsettings) until conftest.py has them.
pytest_plugins = ("tests.ui_fixtures",)


def summary(local_id: str, title: str, score: float | None, day: int | None) -> RecordSummary:
    return RecordSummary(
        local_id=local_id,
        kind=RecordKind.REPORT,
        title=title,
        date=date(2026, 5, day) if day else None,
        review_score=score,
        tier="Watchlist",
        claims_extracted=None,
        revision_count=1,
    )


SUMMARIES = [
    summary("RPT-1", "Sparse experts", 3.2, 30),
    summary("REC-2", "Dense baselines", None, None),
    summary("PAP-3", "Token alignment", 7.5, 2),
]
CLAIMS = [
    Claim(1, "First claim", True, 0.9),
    Claim(2, "Second claim", False, 0.3),
    Claim(3, "Third claim", True, 0.6),
]


def test_record_model_passes_the_model_tester(qtmodeltester) -> None:
    model = RecordListModel()
    model.set_records(SUMMARIES)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 3
    assert model.index(0, RecordListModel.TITLE).data() == "Sparse experts"
    assert model.index(1, RecordListModel.SCORE).data() == "—"
    assert model.index(2, 0).data(Roles.ID) == "PAP-3"


def test_record_model_upsert_inserts_new_rows_and_updates_known_ones(qtmodeltester, qtbot) -> None:
    model = RecordListModel()
    model.set_records(SUMMARIES[:2])
    qtmodeltester.check(model, force_py=True)
    with qtbot.waitSignal(model.rowsInserted):
        model.upsert(SUMMARIES[2])
    revised = summary("RPT-1", "Sparse experts, revised", 4.0, 30)
    with qtbot.waitSignal(model.dataChanged):
        model.upsert(revised)
    assert model.rowCount() == 3
    assert model.index(0, RecordListModel.TITLE).data() == "Sparse experts, revised"
    assert model.row_of("PAP-3") == 2


def test_claim_model_passes_the_model_tester(qtmodeltester) -> None:
    model = ClaimTableModel()
    model.set_claims(CLAIMS)
    qtmodeltester.check(model, force_py=True)
    assert [model.index(r, ClaimTableModel.VERIFIED).data() for r in range(3)] == [
        "yes",
        "no",
        "yes",
    ]
    assert model.index(1, ClaimTableModel.CONFIDENCE).data() == "0.30"
    assert model.index(0, ClaimTableModel.TEXT).data(Roles.OBJECT) is CLAIMS[0]
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Claim"


def test_filter_proxy_matches_title_and_id_case_insensitively(qtmodeltester) -> None:
    model = RecordListModel()
    model.set_records(SUMMARIES)
    proxy = SearchFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy, force_py=True)
    proxy.setFilterFixedString("SPARSE")
    assert [proxy.index(r, 0).data(Roles.ID) for r in range(proxy.rowCount())] == ["RPT-1"]
    proxy.setFilterFixedString("pap-")
    assert [proxy.index(r, 0).data(Roles.ID) for r in range(proxy.rowCount())] == ["PAP-3"]
    proxy.setFilterFixedString("")
    assert proxy.rowCount() == 3


def test_proxy_sorts_scores_as_numbers_with_missing_first() -> None:
    model = RecordListModel()
    model.set_records([*SUMMARIES, summary("RPT-4", "Tenfold", 10.0, 1)])
    proxy = SearchFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(RecordListModel.SCORE, Qt.SortOrder.AscendingOrder)
    column = RecordListModel.SCORE
    assert [proxy.index(r, column).data() for r in range(4)] == ["—", "3.20", "7.50", "10.00"]


def test_claims_sort_by_confidence_through_the_proxy() -> None:
    model = ClaimTableModel()
    model.set_claims(CLAIMS)
    proxy = SearchFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(ClaimTableModel.CONFIDENCE, Qt.SortOrder.DescendingOrder)
    positions = [proxy.index(r, ClaimTableModel.POSITION).data() for r in range(3)]
    assert positions == ["1", "3", "2"]
