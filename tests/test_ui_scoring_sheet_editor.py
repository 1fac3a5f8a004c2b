"""The sheet editor saves drafts and submissions through the service and reports refusals."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reviewer_app.services.scoring import ScoringService
from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.scoring.sheet_editor import SheetEditor
from tests.test_plot_data import REVIEWED

pytest_plugins = ("tests.ui_fixtures",)


def open_editor(qtbot: QtBot, workspace: Workspace, reviewer: str = "ann") -> SheetEditor:
    editor = SheetEditor(ScoringService(workspace.database), lambda: reviewer)
    qtbot.addWidget(editor)
    editor.show_record(REVIEWED)
    return editor


def fill(editor: SheetEditor, score: float, evidence: str = "HIGH") -> None:
    editor.dimension_boxes["evidence_strength"].setCurrentText(evidence)
    editor.dimension_boxes["citation_grounding"].setCurrentText("MEDIUM")
    editor.score_box.setValue(score)
    editor.recommendation_box.setCurrentText("Minor revision")  # shown in words
    editor.comments_edit.setPlainText("Claims 2 and 5 cite the wrong paper.")


def test_save_draft_then_submit_by_clicking(qtbot: QtBot, demo_workspace: Workspace) -> None:
    editor = open_editor(qtbot, demo_workspace)
    scoring = editor.scoring
    fill(editor, 6.5)
    with qtbot.waitSignal(editor.sig_sheet_saved) as saved:
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert saved.args == [REVIEWED]
    draft = scoring.sheets.own(REVIEWED, "ann")
    assert draft is not None and not draft.submitted
    assert draft.review_score == 6.5
    assert draft.dimensions["evidence_strength"] is not None
    assert draft.dimensions["evidence_strength"].value == "HIGH"
    assert draft.dimensions["reproducibility_status"] is None  # left unset in the form
    assert (draft.recommendation, draft.comments) == (
        "minor-revision",
        "Claims 2 and 5 cite the wrong paper.",
    )
    assert editor.state_label.text().startswith("Draft")
    qtbot.mouseClick(editor.submit_button, Qt.MouseButton.LeftButton)
    submitted = scoring.sheets.own(REVIEWED, "ann")
    assert submitted is not None and submitted.submitted and submitted.first_impression
    assert len(scoring.sheets.versions(REVIEWED, "ann")) == 2
    assert editor.state_label.text().startswith("Submitted")


def test_form_reloads_the_stored_sheet(qtbot: QtBot, demo_workspace: Workspace) -> None:
    ScoringService(demo_workspace.database).sheets.save(
        REVIEWED, "bob", dimensions={"uncertainty_disclosure": "LOW"}, review_score=3.3
    )
    editor = open_editor(qtbot, demo_workspace, "bob")
    assert editor.dimension_boxes["uncertainty_disclosure"].currentText() == "LOW"
    assert editor.score_box.value() == 3.3
    assert editor.first_impression_label.isHidden()


def test_first_impression_shown_after_a_revision(qtbot: QtBot, demo_workspace: Workspace) -> None:
    editor = open_editor(qtbot, demo_workspace)
    fill(editor, 4.2, evidence="LOW")
    assert editor.save(submit=True) is not None
    assert editor.first_impression_label.isHidden()  # nothing revised yet
    fill(editor, 7.9, evidence="HIGH")
    revised = editor.save(submit=False)
    assert revised is not None and revised.review_score == 7.9 and not revised.first_impression
    assert not editor.first_impression_label.isHidden()
    text = editor.first_impression_label.text()
    assert "score 4.2" in text and "evidence strength LOW" in text
    versions = editor.scoring.sheets.versions(REVIEWED, "ann")
    assert [v.first_impression for v in versions] == [True, False]


def test_submit_without_score_goes_to_show_error(qtbot: QtBot, demo_workspace: Workspace) -> None:
    editor = open_editor(qtbot, demo_workspace)
    errors: list[str] = []
    editor.show_error = errors.append
    fill(editor, 5.0)
    editor.score_box.setValue(editor.score_box.minimum())  # "not scored"
    assert editor.score_box.text() == "not scored"
    with qtbot.assertNotEmitted(editor.sig_sheet_saved):
        assert editor.save(submit=True) is None
    assert len(errors) == 1 and "needs a review score" in errors[0]
    assert REVIEWED in errors[0]
    assert editor.scoring.sheets.own(REVIEWED, "ann") is None  # the refused version was rolled back


def test_default_error_display_is_inline(qtbot: QtBot, demo_workspace: Workspace) -> None:
    editor = open_editor(qtbot, demo_workspace)
    editor.save(submit=True)  # empty form: no score
    assert editor.error_label.text().startswith("Not saved:")
    assert "review score" in editor.error_label.text()
