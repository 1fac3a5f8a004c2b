"""The comparison view: blind mode, disagreement marks, adjudicator mode, model checks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from reviewer_app.domain.records import QUALITY_DIMENSIONS
from reviewer_app.services.scoring import ScoringService
from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.scoring.comparison_data import NO_VALUE, build_comparison
from reviewer_app.ui.scoring.comparison_model import (
    CONSENSUS_HEADER,
    DISAGREEMENT_BACKGROUND,
    DISAGREES_ROLE,
    FIELD_ROLE,
    ComparisonModel,
)
from reviewer_app.ui.scoring.comparison_view import ComparisonView
from tests.test_plot_data import REVIEWED, add_verdicts

pytest_plugins = ("tests.ui_fixtures",)

# Only citation grounding, the scores (spread 2.0 > margin 1.0) and claim 2 differ.
AGREED = {"evidence_strength": "HIGH", "uncertainty_disclosure": "MEDIUM",
          "reproducibility_status": "MEDIUM"}  # fmt: skip
SHEETS = {
    "ann": ({**AGREED, "citation_grounding": "HIGH"}, 8.0, {1: "supports", 2: "supports"}),
    "bob": ({**AGREED, "citation_grounding": "HIGH"}, 7.5, {1: "supports", 2: "contradicts"}),
    "cyd": ({**AGREED, "citation_grounding": "LOW"}, 6.0, {1: "supports", 2: "supports"}),
}
DISAGREEING = {"citation_grounding", "review_score", "claim_verdicts:2"}


def submit_sheets(workspace: Workspace, names: tuple[str, ...] = tuple(SHEETS)) -> ScoringService:
    scoring = ScoringService(workspace.database)
    for name in names:
        dimensions, score, verdicts = SHEETS[name]
        scoring.sheets.save(REVIEWED, name, dimensions=dimensions, review_score=score, submit=True)
        add_verdicts(workspace, REVIEWED, name, verdicts)
    return scoring


def open_view(qtbot: QtBot, scoring: ScoringService, viewer: str) -> ComparisonView:
    view = ComparisonView(scoring)
    qtbot.addWidget(view)
    view.show_record(REVIEWED, viewer)
    return view


def headers(view: ComparisonView) -> list[str]:
    model = view.model
    return [
        model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        for c in range(model.columnCount())
    ]


def all_display_texts(view: ComparisonView) -> set[str]:
    model = view.model
    return {
        str(model.data(model.index(r, c)))
        for r in range(model.rowCount())
        for c in range(model.columnCount())
    }


def test_blind_mode_hides_other_sheets_until_the_viewer_submits(
    qtbot: QtBot, demo_workspace: Workspace
) -> None:
    scoring = submit_sheets(demo_workspace, ("ann", "bob"))
    scoring.sheets.save(REVIEWED, "cyd", dimensions={"evidence_strength": "LOW"}, review_score=2.0)
    view = open_view(qtbot, scoring, "cyd")
    assert headers(view) == ["cyd", CONSENSUS_HEADER]
    assert not view.note.isHidden()
    # Nothing of ann's or bob's sheet leaks, not even through the consensus column.
    assert "8.0" not in all_display_texts(view) and "7.5" not in all_display_texts(view)
    consensus_column = view.model.columnCount() - 1
    assert {view.model.data(view.model.index(r, consensus_column)) for r in range(4)} == {NO_VALUE}

    scoring.sheets.save(REVIEWED, "cyd", submit=True)
    view.refresh()
    assert headers(view) == ["ann", "bob", "cyd", CONSENSUS_HEADER]
    assert view.note.isHidden()
    assert {"8.0", "7.5", "2.0"} <= all_display_texts(view)


def test_viewer_without_a_sheet_sees_nothing_of_others(
    qtbot: QtBot, demo_workspace: Workspace
) -> None:
    view = open_view(qtbot, submit_sheets(demo_workspace), "dan")
    assert headers(view) == [CONSENSUS_HEADER]


def test_blind_mode_off_shows_submitted_sheets_at_once(
    qtbot: QtBot, demo_workspace: Workspace
) -> None:
    scoring = submit_sheets(demo_workspace)
    scoring.settings.set("blind_mode", False)
    view = open_view(qtbot, scoring, "dan")
    assert headers(view) == ["ann", "bob", "cyd", CONSENSUS_HEADER]
    assert view.note.isHidden()


def test_disagreeing_rows_carry_the_mark(qtbot: QtBot, demo_workspace: Workspace) -> None:
    view = open_view(qtbot, submit_sheets(demo_workspace), "ann")
    model = view.model
    marked: set[str] = set()
    for row in range(model.rowCount()):
        first = model.index(row, 0)
        field = model.data(first, FIELD_ROLE)
        disagrees = model.data(first, DISAGREES_ROLE)
        # Every cell of the row says the same, and only the sheet columns are shaded.
        assert {model.data(model.index(row, c), DISAGREES_ROLE) for c in range(4)} == {disagrees}
        background = model.data(first, Qt.ItemDataRole.BackgroundRole)
        assert (background == DISAGREEMENT_BACKGROUND) if disagrees else background is None
        assert model.data(model.index(row, 3), Qt.ItemDataRole.BackgroundRole) is None
        icon = model.headerData(row, Qt.Orientation.Vertical, Qt.ItemDataRole.DecorationRole)
        assert (icon is not None) == disagrees
        if disagrees:
            marked.add(field)
    assert marked == DISAGREEING
    fields = [model.data(model.index(r, 0), FIELD_ROLE) for r in range(model.rowCount())]
    assert fields[: len(QUALITY_DIMENSIONS)] == list(QUALITY_DIMENSIONS)
    assert {"claim_verdicts:1", "claim_verdicts:2"} <= set(fields)


def test_consensus_column_follows_the_rules(qtbot: QtBot, demo_workspace: Workspace) -> None:
    view = open_view(qtbot, submit_sheets(demo_workspace), "bob")
    model = view.model
    by_field = {
        model.data(model.index(r, 0), FIELD_ROLE): model.data(model.index(r, 3))
        for r in range(model.rowCount())
    }
    assert by_field["citation_grounding"] == "HIGH"  # median of HIGH, HIGH, LOW
    assert by_field["review_score"] == "7.5"  # median of 8.0, 7.5, 6.0
    assert by_field["claim_verdicts:2"] == "supports"  # majority


def test_adjudicator_mode_shows_letters_and_no_names(
    qtbot: QtBot, demo_workspace: Workspace
) -> None:
    view = open_view(qtbot, submit_sheets(demo_workspace), "adj")  # no sheet of their own
    assert view.adjudicator_mode.isEnabled()
    view.adjudicator_mode.setChecked(True)
    assert headers(view) == ["Reviewer A", "Reviewer B", "Reviewer C", CONSENSUS_HEADER]
    model = view.model
    texts = all_display_texts(view) | {
        str(model.headerData(r, Qt.Orientation.Vertical, Qt.ItemDataRole.DisplayRole))
        for r in range(model.rowCount())
    }
    tooltips = {
        str(model.data(model.index(r, c), Qt.ItemDataRole.ToolTipRole))
        for r in range(model.rowCount())
        for c in range(model.columnCount())
    }
    for name in SHEETS:
        assert not any(name in text for text in texts | tooltips | set(headers(view)))
    # Submission order: ann's sheet is Reviewer A, with her score.
    score_row = next(
        r
        for r in range(model.rowCount())
        if model.data(model.index(r, 0), FIELD_ROLE) == "review_score"
    )
    assert [model.data(model.index(score_row, c)) for c in range(3)] == ["8.0", "7.5", "6.0"]
    view.adjudicator_mode.setChecked(False)
    assert headers(view) == [CONSENSUS_HEADER] or "ann" not in headers(view)  # blind again


def test_comparison_model_passes_the_model_tester(
    qtmodeltester: ModelTester, demo_workspace: Workspace
) -> None:
    # A parentless model: it must outlive the test body for the fixture's teardown.
    model = ComparisonModel()
    scoring = submit_sheets(demo_workspace)
    model.set_comparison(build_comparison(scoring, REVIEWED, "ann"))
    assert (model.rowCount(), model.columnCount()) == (8, 4)
    qtmodeltester.check(model, force_py=True)
    model.set_comparison(build_comparison(scoring, REVIEWED, "adj", anonymous=True))
    model.set_comparison(None)
    assert model.rowCount() == 0
