"""The records list model that fetches lazily, filters and sorts in SQL (SQLite and
PostgreSQL), checked by pytest-qt's qtmodeltester."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import dataclasses
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from reviewer_app.services.workspace import RecordView, Workspace
from reviewer_app.storage.records_repository import save_revision
from reviewer_app.ui import record_list_model
from reviewer_app.ui.models import Roles
from reviewer_app.ui.record_list_model import LazyRecordListModel
from tests.ui_fixtures import sample_records

pytest_plugins = ("tests.ui_fixtures",)

N_RECORDS = 250


@pytest.fixture
def workspace(db_url: str) -> Iterator[Workspace]:
    template = sample_records()[1]  # a record page
    with Workspace.open(db_url) as ws:
        with ws.database.transaction() as session:
            for i in range(N_RECORDS):
                record = dataclasses.replace(
                    template, title=f"Record number {i:03d}", record_id=f"SRCH:{i:08X}",
                    source_sha256=f"{i:064x}", review_score=None if i % 10 == 0 else i / 25,
                )  # fmt: skip
                save_revision(session, record, f"r{i}.txt")
        yield ws


def ids(model: LazyRecordListModel) -> list[str]:
    return [model.index(r, 0).data(Roles.ID) for r in range(model.rowCount())]


def test_fetches_a_window_at_a_time(qapp, qtmodeltester, workspace: Workspace) -> None:
    model = LazyRecordListModel(workspace)
    model.reload()
    assert model.rowCount() == record_list_model.WINDOW_ROWS
    assert model.matching_count() == N_RECORDS and model.canFetchMore()
    qtmodeltester.check(model)
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == N_RECORDS
    assert len(set(ids(model))) == N_RECORDS
    qtmodeltester.check(model)


def test_filters_and_sorts_in_sql(qapp, qtmodeltester, workspace: Workspace) -> None:
    model = LazyRecordListModel(workspace)
    model.set_filter("NUMBER 12")  # 120..129, case-insensitive
    assert sorted(model.index(r, 0).data() for r in range(model.rowCount())) == [
        f"Record number 12{d}" for d in range(10)
    ]
    model.set_filter("srch:0000000a")  # the id, case-insensitive
    assert ids(model) == ["SRCH:0000000A"]
    model.set_filter("100%")  # a LIKE wildcard is just a character
    assert ids(model) == []
    model.set_filter("")
    model.sort(model.SCORE, Qt.SortOrder.DescendingOrder)
    assert model.index(0, 0).data(Roles.ID) == f"SRCH:{N_RECORDS - 1:08X}"
    model.sort(model.SCORE, Qt.SortOrder.AscendingOrder)  # missing scores first
    assert model.index(0, model.SCORE).data() == "—"
    qtmodeltester.check(model)


def test_a_record_beyond_the_loaded_rows_is_found(qapp, workspace: Workspace) -> None:
    model = LazyRecordListModel(workspace)
    model.sort(model.TITLE, Qt.SortOrder.AscendingOrder)
    wanted = f"SRCH:{N_RECORDS - 1:08X}"
    assert model.rowCount() < N_RECORDS
    row = model.row_of(wanted)
    assert row == N_RECORDS - 1 and model.index(row, 0).data(Roles.ID) == wanted
    assert workspace.record_position(wanted, RecordView("number 24")) is not None
    assert workspace.record_position(wanted, RecordView("no such text")) is None
