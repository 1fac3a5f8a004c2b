"""Guarding judgement: the machine's verified mark and confidence stay hidden from a reviewer
until they give the claim their own verdict (workspace setting ``hide_machine_marks``)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QObject, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from reviewer_app.domain.evidence import Verdict
from reviewer_app.services.review import ReviewService
from reviewer_app.services.scoring import HIDE_MACHINE_MARKS, ScoringService
from reviewer_app.services.workspace import Workspace
from reviewer_app.services.workspace_settings import WorkspaceSettingsService
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.models import Roles, SearchFilterProxy
from reviewer_app.ui.review.claim_model import HIDDEN_TEXT, HIDDEN_TIP, ReviewClaimModel
from reviewer_app.ui.review.claim_panel import ReviewClaimPanel

pytest_plugins = ("tests.ui_fixtures",)
REVIEWER = "Ada Reviewer"
Model = ReviewClaimModel
GUARDED = (Model.CONFIDENCE, Model.VERIFIED)
ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.DecorationRole,
    Roles.SORT,
)


def report_id(workspace: Workspace) -> str:
    return next(s.local_id for s in workspace.list_records() if s.claims_extracted)


def states(workspace: Workspace, reviewer: str = REVIEWER) -> list:
    service = ReviewService.for_workspace(workspace)
    return list(service.claim_states(report_id(workspace), reviewer))


def give_verdict(workspace: Workspace, position: int, reviewer: str = REVIEWER) -> None:
    ReviewService.for_workspace(workspace).set_verdict(
        report_id(workspace), position, reviewer=reviewer, verdict=Verdict.NOT_ENOUGH_EVIDENCE
    )


def cell(model: Model, row: int, column: int, role: int) -> object:
    return model.data(model.index(row, column), role)


def assert_hidden(model: Model, row: int) -> None:
    assert cell(model, row, Model.CONFIDENCE, Qt.ItemDataRole.DisplayRole) == HIDDEN_TEXT
    assert cell(model, row, Model.VERIFIED, Qt.ItemDataRole.DisplayRole) == HIDDEN_TEXT
    for column in GUARDED:
        assert cell(model, row, column, Qt.ItemDataRole.ToolTipRole) == HIDDEN_TIP
        assert cell(model, row, column, Qt.ItemDataRole.DecorationRole) is None  # no ✓/✗ icon
        assert cell(model, row, column, Roles.SORT) == -1


def test_marks_hidden_until_the_reviewer_gives_a_verdict(
    qtbot: QtBot, workspace: Workspace
) -> None:
    model = Model(hide_machine_marks=lambda: True)
    model.set_states(states(workspace))
    claims = workspace.get_record(report_id(workspace)).record.claims
    for row in range(model.rowCount()):
        assert_hidden(model, row)
        texts = {str(cell(model, row, c, r)) for c in range(model.columnCount()) for r in ROLES}
        assert f"{claims[row].confidence:.2f}" not in texts
    give_verdict(workspace, 1)
    model.update_state(next(s for s in states(workspace) if s.position == 1))
    assert cell(model, 0, Model.CONFIDENCE, Qt.ItemDataRole.DisplayRole) == "0.91"
    assert cell(model, 0, Model.VERIFIED, Qt.ItemDataRole.DecorationRole) is not None
    assert "verified" in str(cell(model, 0, Model.VERIFIED, Qt.ItemDataRole.ToolTipRole))
    assert_hidden(model, 1)  # claim 2 still has no verdict of this reviewer


def test_another_reviewers_verdict_does_not_unlock(qtbot: QtBot, workspace: Workspace) -> None:
    give_verdict(workspace, 1, reviewer="Someone Else")
    model = Model(hide_machine_marks=lambda: True)
    model.set_states(states(workspace))
    assert_hidden(model, 0)


def test_sorting_by_a_hidden_column_does_not_give_it_away(
    qtbot: QtBot, workspace: Workspace
) -> None:
    guard = {"on": True}
    model = Model(hide_machine_marks=lambda: guard["on"])
    proxy = SearchFilterProxy()
    proxy.setSourceModel(model)
    model.set_states(states(workspace))
    confidences = [s.confidence for s in model.states()]
    assert confidences == [0.91, 0.42, 0.67]  # would sort to claims 2, 3, 1

    def order() -> list[object]:
        proxy.sort(Model.CONFIDENCE, Qt.SortOrder.AscendingOrder)
        return [proxy.data(proxy.index(r, Model.POSITION)) for r in range(proxy.rowCount())]

    assert order() == ["1", "2", "3"]
    guard["on"] = False
    model.set_states(model.states())
    assert order() == ["2", "3", "1"]


def test_setting_off_shows_the_marks(qtbot: QtBot, workspace: Workspace) -> None:
    model = Model(hide_machine_marks=lambda: False)
    model.set_states(states(workspace))
    assert cell(model, 1, Model.CONFIDENCE, Qt.ItemDataRole.DisplayRole) == "0.42"
    assert cell(model, 1, Model.VERIFIED, Qt.ItemDataRole.DecorationRole) is not None


def test_the_model_reads_the_workspace_setting_it_is_handed(
    qtbot: QtBot, workspace: Workspace
) -> None:
    """As the window wires it: the workspace settings service's reading, not a walk up the
    model's parents to find a workspace."""
    settings = WorkspaceSettingsService(workspace.database)
    panel = ReviewClaimPanel(settings.hide_machine_marks)
    qtbot.addWidget(panel)
    model = panel.model
    model.set_states(states(workspace))
    assert settings.current().hide_machine_marks  # on by default
    assert_hidden(model, 0)
    ScoringService(workspace.database).settings.set(HIDE_MACHINE_MARKS, False)
    model.set_states(states(workspace))
    assert cell(model, 0, Model.CONFIDENCE, Qt.ItemDataRole.DisplayRole) == "0.91"


def test_without_a_workspace_the_guard_stays_on(qtbot: QtBot, workspace: Workspace) -> None:
    parent = QObject()  # kept alive: the model dies with its parent
    model = Model(parent)
    model.set_states(states(workspace))
    assert_hidden(model, 2)


def test_main_window_review_claims_are_guarded(qtbot: QtBot, workspace: Workspace) -> None:
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.records.select(report_id(workspace))
    model = window.claims.model
    assert model.rowCount() == 3
    assert_hidden(model, 0)


def test_guarded_model_passes_the_model_tester(
    qtmodeltester: ModelTester, workspace: Workspace
) -> None:
    model = Model(hide_machine_marks=lambda: True)
    give_verdict(workspace, 2)
    model.set_states(states(workspace))
    qtmodeltester.check(model, force_py=True)


def test_the_verdict_column_is_short_and_its_tooltip_says_it_all(
    qtbot: QtBot, workspace: Workspace
) -> None:
    ReviewService.for_workspace(workspace).set_verdict(
        report_id(workspace), 2, reviewer=REVIEWER, verdict=Verdict.SPECIAL_CASE,
        reason="Only the abstract is available",
    )  # fmt: skip
    model = Model(hide_machine_marks=lambda: False)
    model.set_states(states(workspace))
    assert cell(model, 1, Model.VERDICT, Qt.ItemDataRole.DisplayRole) == "Special case"
    tip = str(cell(model, 1, Model.VERDICT, Qt.ItemDataRole.ToolTipRole))
    assert tip == "Supports only a special case\nNo span: Only the abstract is available"
    assert cell(model, 0, Model.VERDICT, Qt.ItemDataRole.DisplayRole) == "—"
    assert cell(model, 0, Model.VERDICT, Qt.ItemDataRole.ToolTipRole) is None
