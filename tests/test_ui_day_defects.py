"""Defects a new reviewer met in the real window (issue 10), each driven by real key and mouse
events through the real dialogs; every test here failed before its fix."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QComboBox, QDialog, QLabel

from reviewer_app.domain.evidence import Stance, Verdict
from reviewer_app.services.review import ReviewService
from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.main_window import APP_TITLE, MainWindow
from tests.day_driver import (
    attach_by_dialog,
    click_record,
    drag_over_words,
    open_scoring_tab,
    open_window,
    other_record_id,
    press,
    report_id,
    type_text,
    when_dialog_opens,
)
from tests.pdf_factory import make_lines_pdf
from tests.review_window_fixtures import LINES, REVIEWER

pytest_plugins = ("tests.ui_fixtures", "tests.review_window_fixtures")
pytestmark = pytest.mark.usefixtures("reviewer_env")


def stored_spans(workspace: Workspace) -> list[tuple[Stance, str | None]]:
    views = ReviewService.for_workspace(workspace).spans(report_id(workspace), reviewer=REVIEWER)
    return [(v.span.stance, v.span.note) for v in views]


def stored_verdict(workspace: Workspace, position: int) -> tuple[Verdict | None, str | None]:
    states = ReviewService.for_workspace(workspace).claim_states(report_id(workspace), REVIEWER)
    state = next(s for s in states if s.position == position)
    return state.verdict, state.reason


def show_report_with_source(qtbot, window: MainWindow, workspace: Workspace, pdf: Path) -> None:
    click_record(qtbot, window, report_id(workspace))
    attach_by_dialog(qtbot, window, pdf)
    window.claims.table.setFocus()


# -- defect 2: N crashed, leaving a span written but not shown -------------------------------------
def test_n_attaches_through_the_real_note_dialog_once_and_undo_removes_it(
    qtbot, window: MainWindow, workspace: Workspace, source_pdf: Path
) -> None:
    show_report_with_source(qtbot, window, workspace, source_pdf)
    drag_over_words(qtbot, window, "experts", "two")
    window.claims.table.setFocus()

    def fill(dialog: QDialog) -> None:
        type_text(qtbot, dialog, "Only holds for two experts")
        stance = dialog.findChild(QComboBox, "note_stance")
        stance.setFocus()
        qtbot.keyClick(stance, Qt.Key.Key_Down)  # supports → contradicts
        qtbot.keyClick(stance, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    dialogs = when_dialog_opens(qtbot, fill)
    press(qtbot, window, "N")
    assert len(dialogs) == 1
    assert stored_spans(workspace) == [(Stance.CONTRADICTS, "Only holds for two experts")]
    assert len(window.claims.evidence.spans()) == 1
    assert "note: Only holds for two experts" in window.claims.evidence.item(0).text()

    window.claims.table.setFocus()
    press(qtbot, window, "Ctrl+Z")
    assert stored_spans(workspace) == []
    assert window.claims.evidence.spans() == []
    assert window.errors == []  # type: ignore[attr-defined]


# -- defect 5: the reason dialog is confirmed by Ctrl+Enter and refuses an empty reason ---------
def test_the_reason_is_typed_and_confirmed_by_keyboard_and_an_empty_one_is_refused_inline(
    qtbot, window: MainWindow, workspace: Workspace
) -> None:
    click_record(qtbot, window, report_id(workspace))
    window.claims.table.setFocus()
    seen: dict[str, object] = {}

    def answer(dialog: QDialog) -> None:
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        problem = dialog.findChild(QLabel, "reason_problem")
        seen["still_open"] = dialog.isVisible()
        seen["problem"] = problem.isVisible() and problem.text()
        type_text(qtbot, dialog, "Paper is paywalled")
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)  # Tab moves on, is not text
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    when_dialog_opens(qtbot, answer)
    press(qtbot, window, "1")
    assert seen["still_open"] is True
    assert "Say why" in str(seen["problem"])
    assert stored_verdict(workspace, 1) == (Verdict.SUPPORTS, "Paper is paywalled")

    when_dialog_opens(qtbot, lambda dialog: qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Escape))
    press(qtbot, window, "J")
    press(qtbot, window, "3")
    assert stored_verdict(workspace, 2) == (None, None)  # Esc: nothing recorded


# -- defect 7: a record without a PDF after one with a PDF -------------------------------------
def test_switching_to_a_record_without_a_pdf_clears_the_old_pdf_everywhere(
    qtbot, window: MainWindow, workspace: Workspace, source_pdf: Path
) -> None:
    show_report_with_source(qtbot, window, workspace, source_pdf)
    assert window.windowTitle().startswith("source-paper.pdf")
    click_record(qtbot, window, other_record_id(workspace))
    assert window.errors == []  # type: ignore[attr-defined]
    assert window.pdf_pane.view.page_count == 0
    assert window.windowTitle() == APP_TITLE
    assert window.pdf_pane.page_spin.suffix() == " / 0"
    assert window.pdf_pane.zoom_label.text() == "–"
    assert "source-paper" not in window.statusBar().currentMessage()


# -- defect 6 (and 7's claim): the restart comes back where the reviewer left ---------------------
def reopen(qtbot, workspace: Workspace, settings: QSettings) -> MainWindow:
    from reviewer_app.ui.app import build_window

    window = build_window(workspace, settings)
    qtbot.addWidget(window)
    errors: list[tuple[str, str]] = []
    window.show_error = lambda title, text: errors.append((title, text))
    window.errors = errors  # type: ignore[attr-defined]
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitActive(window)
    return window


def close(window: MainWindow) -> None:
    window.close()
    window.pdf_pane.view.close_document()


def test_a_restart_reopens_the_last_record_even_one_without_claims_and_keeps_the_setting(
    qtbot, workspace: Workspace, settings: QSettings
) -> None:
    first = reopen(qtbot, workspace, settings)
    quiet = other_record_id(workspace)
    click_record(qtbot, first, quiet)
    close(first)

    again = reopen(qtbot, workspace, settings)
    assert again.current_record_id == quiet
    assert again.records.current_id() == quiet
    assert settings.value("review/record") == quiet
    close(again)


def test_a_restart_brings_back_the_pdf_page_thumbnails_and_the_chosen_claim(
    qtbot, workspace: Workspace, settings: QSettings, tmp_path: Path
) -> None:
    pages = [LINES, *([f"Filler page {n} of the paper."] for n in range(2, 7))]
    source_pdf = make_lines_pdf(tmp_path / "source-paper.pdf", pages)
    first = reopen(qtbot, workspace, settings)
    show_report_with_source(qtbot, first, workspace, source_pdf)
    press(qtbot, first, "J")  # claim 2
    press(qtbot, first, "Ctrl+Shift+T")
    assert not first.pdf_pane.thumbnails.isVisible()
    first.pdf_pane.view.setFocus()
    press(qtbot, first, "PgDown")
    press(qtbot, first, "PgDown")
    qtbot.waitUntil(lambda: first.pdf_pane.view.current_page == 2)
    close(first)

    again = reopen(qtbot, workspace, settings)
    view = again.pdf_pane.view
    qtbot.waitUntil(lambda: view.page_count == 6 and view.current_page == 2)
    assert again.windowTitle().startswith("source-paper.pdf")
    assert again.pdf_pane.page_spin.value() == 3
    assert not again.pdf_pane.thumbnails.isVisible()
    assert not again.pdf_pane.thumbnails_action.isChecked()
    # The claim shown as chosen is the one the keys act on.
    selected = again.claims.table.selectionModel().selectedRows()
    assert [again.claims.current_position] == [
        index.data(Qt.ItemDataRole.UserRole + 1).position for index in selected
    ]
    press(qtbot, again, "X")  # nothing selected in the PDF: that is what it must say
    assert [title for title, _ in again.errors] == ["Nothing selected"]  # type: ignore[attr-defined]
    close(again)


# -- defect 4: the loop keys act only in the claims list and the PDF, focus comes back ---------
def current_claim(window: MainWindow) -> int | None:
    return window.claims.current_position


def test_loop_keys_typed_into_the_record_filter_stay_text(
    qtbot, window: MainWindow, workspace: Workspace
) -> None:
    click_record(qtbot, window, report_id(workspace))
    filter_edit = window.records.filter_edit
    qtbot.mouseClick(filter_edit, Qt.MouseButton.LeftButton)
    assert filter_edit.hasFocus()
    press(qtbot, window, "J")
    press(qtbot, window, "1")
    assert filter_edit.text() == "j1"
    assert current_claim(window) == 1
    assert stored_verdict(workspace, 1) == (None, None)


def test_after_the_scoring_panel_closes_j_steps_the_claims_not_the_filter(
    qtbot, window: MainWindow, workspace: Workspace
) -> None:
    click_record(qtbot, window, report_id(workspace))
    window.claims.table.setFocus()
    press(qtbot, window, "Ctrl+Shift+S")
    qtbot.waitUntil(window.scoring_dock.isVisible)
    qtbot.mouseClick(window.scoring_dock.widget(), Qt.MouseButton.LeftButton)
    window.scoring_dock.widget().setFocus()  # the reviewer worked in the panel
    press(qtbot, window, "Ctrl+Shift+S")
    qtbot.waitUntil(lambda: not window.scoring_dock.isVisible())
    qtbot.waitUntil(lambda: window.focusWidget() is window.claims.table)
    press(qtbot, window, "J")
    assert current_claim(window) == 2
    assert window.records.filter_edit.text() == ""
    assert window.records.proxy.rowCount() == 3


def test_switching_reviewer_by_keyboard_never_creates_one_and_gives_the_keys_back(
    qtbot, workspace: Workspace, settings: QSettings
) -> None:
    from reviewer_app.services.reviewers import ReviewerService

    ReviewerService(workspace.database).ensure("Ben Second")
    window = open_window(qtbot, workspace, settings)
    click_record(qtbot, window, report_id(workspace))
    combo = window.reviewer_combo
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)  # opens the list
    qtbot.waitUntil(lambda: combo.view().isVisible())
    popup = combo.view()
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert combo.reviewer == "Ben Second"
    qtbot.waitUntil(lambda: window.focusWidget() is window.claims.table)
    press(qtbot, window, "J")  # what used to type "j" into the reviewer's name
    assert current_claim(window) == 2
    names = [r.name for r in ReviewerService(workspace.database).list()]
    assert not any(name.lower().endswith("j") for name in names), names
    assert combo.currentText() == "Ben Second"

    # Alt+Down opens a drop-down, it is not "next claim".
    combo.setFocus()
    press(qtbot, window, "Alt+Down")
    qtbot.waitUntil(lambda: combo.view().isVisible())
    assert current_claim(window) == 2
    qtbot.keyClick(combo.view(), Qt.Key.Key_Escape)
    window.pdf_pane.view.close_document()


def test_a_new_reviewer_is_an_explicit_entry_of_the_combo(
    qtbot, window: MainWindow, workspace: Workspace
) -> None:
    from reviewer_app.ui.review.reviewer_choice import NEW_REVIEWER

    combo = window.reviewer_combo
    combo.ask_name = lambda: "Grace Hopper"
    combo.setFocus()
    index = combo.findText(NEW_REVIEWER)
    assert index > 0
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: combo.view().isVisible())
    qtbot.keyClick(combo.view(), Qt.Key.Key_End)
    qtbot.keyClick(combo.view(), Qt.Key.Key_Return)
    assert combo.reviewer == "Grace Hopper"
    qtbot.waitUntil(lambda: window.focusWidget() is window.claims.table)


# -- defect 3: adjudicator mode is a role the service gives, not a checkbox -----------------------
def test_a_reviewer_with_a_draft_cannot_see_others_sheets_by_ticking_adjudicator_mode(
    qtbot, window: MainWindow, workspace: Workspace
) -> None:
    from reviewer_app.services.scoring import ScoringService

    record = report_id(workspace)
    scoring = ScoringService(workspace.database)
    scoring.sheets.save(record, "ann", review_score=8.0, submit=True)
    scoring.sheets.save(record, "bob", review_score=4.0, submit=True)
    scoring.sheets.save(record, REVIEWER, review_score=6.0)  # a draft: still blind
    click_record(qtbot, window, record)
    open_scoring_tab(qtbot, window, "Compare")
    view = window.scoring_dock.comparison
    qtbot.waitUntil(view.isVisible)
    box = view.adjudicator_mode
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=box.rect().center())
    assert not box.isChecked() and not box.isEnabled()
    model = view.model
    shown = {
        str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())
    }
    assert not shown & {"ann", "bob", "Reviewer A", "Reviewer B"}
    assert view.note.isVisible()
    # and the conflicts, which are the reviewer's own, cannot be settled by them
    assert not window.scoring_dock.conflicts.adjudicate_button.isEnabled()


# -- defect 8: attaching follows the arXiv id, then the reference on screen ---------------------
def stored_files(workspace: Workspace) -> dict[str, str | None]:
    slots = ReviewService.for_workspace(workspace).source_slots(report_id(workspace))
    return {f.file_name: slot.reference_url for slot in slots for f in slot.files}


def choose_slot(qtbot, window: MainWindow, url_part: str) -> None:
    combo = window.review.sources.bar.combo
    slots = window.review.sources.bar.slots
    index = next(i for i, s in enumerate(slots) if s.reference_url and url_part in s.reference_url)
    combo.setFocus()
    while combo.currentIndex() != index:
        qtbot.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < index else Qt.Key.Key_Up)


def test_the_arxiv_id_wins_over_the_reference_on_screen_and_others_go_to_the_shown_one(
    qtbot, window: MainWindow, workspace: Workspace, tmp_path: Path
) -> None:
    click_record(qtbot, window, report_id(workspace))
    choose_slot(qtbot, window, "example.org")
    arxiv_named = make_lines_pdf(tmp_path / "2407.17856v4.pdf", [LINES])
    attach_by_dialog(qtbot, window, arxiv_named)
    assert stored_files(workspace)["2407.17856v4.pdf"] == "https://arxiv.org/abs/2407.17856v4"

    choose_slot(qtbot, window, "example.org")
    first = make_lines_pdf(tmp_path / "paper-a.pdf", [["First layout of the paper."]])
    attach_by_dialog(qtbot, window, first)
    second = make_lines_pdf(tmp_path / "paper-b.pdf", [["Second layout of the paper."]])
    choose_slot(qtbot, window, "example.org")
    attach_by_dialog(qtbot, window, second)
    files = stored_files(workspace)
    assert files["paper-a.pdf"] == files["paper-b.pdf"] == "https://example.org/paper"
    assert window.errors == []  # type: ignore[attr-defined]


def test_open_pdf_offers_to_attach_so_the_selection_can_be_evidence(
    qtbot, window: MainWindow, workspace: Workspace, source_pdf: Path
) -> None:
    click_record(qtbot, window, report_id(workspace))
    window.ask_pdf_path = lambda: source_pdf
    asked: list[str] = []
    window.confirm = lambda title, text: asked.append(title) or True
    window.claims.table.setFocus()
    press(qtbot, window, "Ctrl+O")
    qtbot.waitUntil(lambda: window.review.sources.current_sha256 is not None)
    qtbot.waitUntil(window.pdf_pane.view.is_fully_rendered)
    assert asked == ["Attach this PDF?"]
    drag_over_words(qtbot, window, "Routing", "collapse")
    window.claims.table.setFocus()
    press(qtbot, window, "S")
    assert window.errors == []  # type: ignore[attr-defined]
    assert stored_spans(workspace) == [(Stance.SUPPORTS, None)]


# -- defect 9: a horizontal drag on a two-column page stays in its column ------------------------
def test_a_drag_over_one_line_of_a_two_column_page_stays_on_that_line_and_is_previewed(
    qtbot, window: MainWindow, workspace: Workspace, tmp_path: Path
) -> None:
    from tests.day_driver import make_two_column_pdf, word_point

    left = [f"Left column line {n} about sparse experts." for n in range(1, 16)]
    right = [f"Right column line {n} about routing collapse." for n in range(1, 16)]
    pdf = make_two_column_pdf(tmp_path / "two-columns.pdf", left, right)
    show_report_with_source(qtbot, window, workspace, pdf)
    view = window.pdf_pane.view
    page, start = word_point(window, "Left")  # first line of the left column
    _, line_end = word_point(window, "experts.")
    # from the first word of the line past its end, into the gutter up to the other column
    from PySide6.QtCore import QPointF

    gutter = QPointF(306.0, start.y())
    assert gutter.x() > line_end.x()
    press_at, release_at = view.map_from_page(page, start), view.map_from_page(page, gutter)
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=press_at)
    qtbot.mouseMove(viewport, pos=(press_at + release_at) / 2)
    qtbot.mouseMove(viewport, pos=release_at)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=release_at)
    span = window.review.selection.span
    assert span is not None
    assert " ".join(span.quote.split()) == "Left column line 1 about sparse experts."
    assert "Left column line 1 about sparse experts." in window.statusBar().currentMessage()
    window.claims.table.setFocus()
    press(qtbot, window, "S")
    assert stored_spans(workspace) == [(Stance.SUPPORTS, None)]
    views = ReviewService.for_workspace(workspace).spans(report_id(workspace), reviewer=REVIEWER)
    assert len(views[0].span.exact) < 60


# -- laptop screens: the claim loop keeps its room with the scoring panel open ---------------------
def test_at_1366x768_with_the_scoring_panel_open_every_claim_column_and_the_pdf_fit(
    qtbot, workspace: Workspace, settings: QSettings, source_pdf: Path
) -> None:
    from tests.day_driver import inside_window

    window = open_window(qtbot, workspace, settings, size=(1366, 768))
    show_report_with_source(qtbot, window, workspace, source_pdf)
    press(qtbot, window, "Ctrl+Shift+S")
    qtbot.waitUntil(window.scoring_dock.isVisible)
    table = window.claims.table
    qtbot.waitUntil(lambda: table.columnWidth(1) >= 200)
    assert not window.records.isVisible()  # folded away like a drawer
    for column in range(table.model().columnCount()):
        left = table.columnViewportPosition(column)
        assert left >= 0 and left + table.columnWidth(column) <= table.viewport().width(), column
    assert inside_window(window, table, min_width=500)
    assert inside_window(window, window.pdf_pane.view, min_width=300)
    assert inside_window(window, window.scoring_dock, min_width=300)
    claim = table.model().index(0, 1)
    assert claim.data(Qt.ItemDataRole.ToolTipRole)  # an elided claim is readable in full
    press(qtbot, window, "Ctrl+Shift+R")
    qtbot.waitUntil(window.records.isVisible)
    window.pdf_pane.view.close_document()


# -- small things: words not identifiers, agreement figures shown, no unlabeled "A" button --------
def test_the_scoring_panel_speaks_words_shows_agreement_and_no_bare_a_button(
    qtbot, window: MainWindow, workspace: Workspace
) -> None:
    from PySide6.QtWidgets import QLabel

    from reviewer_app.services.scoring import ScoringService

    record = report_id(workspace)
    scoring = ScoringService(workspace.database)
    scoring.sheets.save(record, "ann", review_score=8.0, recommendation="accept", submit=True)
    scoring.sheets.save(record, REVIEWER, review_score=6.0, submit=True)
    click_record(qtbot, window, record)
    window.claims.table.setFocus()
    press(qtbot, window, "Ctrl+Shift+S")
    qtbot.waitUntil(window.scoring_dock.isVisible)
    box = window.scoring_dock.sheet_editor.recommendation_box
    labels = [box.itemText(i) for i in range(box.count())]
    assert "Minor revision" in labels and not any("-" in label for label in labels)
    view = window.scoring_dock.comparison
    view.refresh()
    agreement = view.findChild(QLabel, "agreement_label")
    assert agreement is not None and not agreement.isHidden()
    assert "α" in agreement.text() and "2 reviewers" in agreement.text()
    for plot in window.scoring_dock.findChildren(__import__("pyqtgraph").PlotWidget):
        assert not plot.getPlotItem().autoBtn.isVisible()


def test_any_attached_file_can_be_reassigned_to_another_reference(
    qtbot, window: MainWindow, workspace: Workspace, tmp_path: Path
) -> None:
    from tests.day_driver import action_button

    click_record(qtbot, window, report_id(workspace))
    choose_slot(qtbot, window, "example.org")
    paper = make_lines_pdf(tmp_path / "paper-a.pdf", [["A layout of the paper."]])
    attach_by_dialog(qtbot, window, paper)
    assert stored_files(workspace)["paper-a.pdf"] == "https://example.org/paper"
    offered: list[list[str]] = []

    def pick(choices: list[str], _current: int) -> str:
        offered.append(choices)
        return next(url for url in choices if "arxiv" in url)

    window.review.sources.ask_reference = pick
    qtbot.mouseClick(action_button(window, "assign_source"), Qt.MouseButton.LeftButton)
    assert offered and len(offered[0]) == 2
    assert stored_files(workspace)["paper-a.pdf"] == "https://arxiv.org/abs/2407.17856v4"
    assert window.review.sources.bar.current_slot().reference_url.startswith("https://arxiv")
    assert window.errors == []  # type: ignore[attr-defined]
