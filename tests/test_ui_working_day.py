"""A reviewer's working day in the real main window, at 1366×768 and at 1920×1080 (issue 10).

Real key presses go where the keyboard focus is, real mouse drags select the words, real
dialogs are answered by keyboard; only the operating system's file pickers are answered by a
stub. After each step the test checks the database and what is on screen (widgets inside the
window, wide enough, text not cut where it must not be).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog

from reviewer_app.domain.evidence import Stance, Verdict
from reviewer_app.services.review import ReviewService
from reviewer_app.services.scoring import ScoringService
from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.main_window import MainWindow
from tests.day_driver import (
    SCREENS,
    action_button,
    click_record,
    close_stuck_dialogs_after,
    drag_over_words,
    inside_window,
    make_two_column_pdf,
    open_window,
    press,
    when_dialog_opens,
)
from tests.working_day import (
    compare_headers,
    drop_file,
    find,
    mark,
    mark_with_note,
    one_column_pdf,
    open_tab,
    submit_sheet,
    switch_reviewer,
    verdict_with_reason,
)

pytest_plugins = ("tests.ui_fixtures",)

ADA, BEN, EVE = "Ada Reviewer", "Ben Second", "Eve Adjudicator"
REPORT_FILE = "report-sparse-multimodal-alignment.txt"


@pytest.fixture(autouse=True)
def first_reviewer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVIEWER_APP_REVIEWER", ADA)


def visible_and_inside(window: MainWindow) -> None:
    """The claim loop is usable: claims, their verdict and evidence columns and the page."""
    table = window.claims.table
    assert inside_window(window, table, min_width=450)
    view = window.pdf_pane.view
    assert inside_window(window, view, min_width=300), (
        view.width(),
        window.main_splitter.sizes(),
        window.scoring_dock.isVisible(),
        window.width(),
    )
    for column in (4, 5):  # verdict, evidence
        left = table.columnViewportPosition(column)
        assert left >= 0 and left + table.columnWidth(column) <= table.viewport().width()
    assert table.columnWidth(1) >= 150  # the claim text


def spans(workspace: Workspace, record: str, reviewer: str = ADA) -> list[tuple[Stance, str]]:
    views = ReviewService.for_workspace(workspace).spans(record, reviewer=reviewer)
    return sorted((v.span.stance, " ".join(v.span.exact.split())) for v in views)


def verdicts(workspace: Workspace, record: str) -> dict[int, tuple[Verdict | None, str | None]]:
    states = ReviewService.for_workspace(workspace).claim_states(record, ADA)
    return {s.position: (s.verdict, s.reason) for s in states}


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_a_reviewers_working_day(qtbot, tmp_path: Path, samples: Path, screen: str) -> None:
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    workspace = Workspace.open(tmp_path / "day.sqlite3")
    window = open_window(qtbot, workspace, settings, size=SCREENS[screen])
    assert window.size().toTuple() == SCREENS[screen]

    # -- import by the file picker (Ctrl+I) ----------------------------------------------------
    files = [samples / REPORT_FILE, samples / "record-page-label-value.txt"]
    window.ask_record_paths = lambda: files
    window.records.view.setFocus()
    press(qtbot, window, "Ctrl+I")
    summaries = workspace.list_records()
    assert len(summaries) == 2
    assert window.record_count.text() == "2 records"
    report = next(s.local_id for s in summaries if s.claims_extracted)
    click_record(qtbot, window, report)
    assert window.claims.model.rowCount() == 10
    visible_and_inside(window)

    # -- attach by drop (one column) and select words: S, C, X, N with a note ----------------
    with qtbot.waitSignal(window.review.sources.sig_source_shown, timeout=20_000):
        drop_file(qtbot, window.pdf_pane.view.viewport(), one_column_pdf(tmp_path))
    qtbot.waitUntil(window.pdf_pane.view.is_fully_rendered, timeout=20_000)
    assert window.windowTitle().startswith("2407.17856v4.pdf")
    mark(qtbot, window, "Sparse", "answering.", "S")
    mark(qtbot, window, "Routing", "collapse", "C")
    mark(qtbot, window, "Alignment", "gains", "X")
    mark_with_note(qtbot, window, "gain", "points", "Two points only on VQA")
    assert window.errors == []  # type: ignore[attr-defined]
    assert spans(workspace, report) == sorted(
        [
            (Stance.SUPPORTS, "Sparse experts improve accuracy on visual question answering."),
            (Stance.CONTRADICTS, "Routing collapse"),
            (Stance.CONTEXT, "Alignment gains"),
            (Stance.CONTEXT, "gain is two points"),
        ]
    )
    assert len(window.claims.evidence.spans()) == 4
    assert any("Two points only" in window.claims.evidence.item(r).text() for r in range(4))

    # -- verdicts: with evidence, and without (a reason by keyboard); undo and redo ------------
    press(qtbot, window, "1")
    press(qtbot, window, "J")
    verdict_with_reason(qtbot, window, "3", "The paper is paywalled")
    assert verdicts(workspace, report)[1] == (Verdict.SUPPORTS, None)
    assert verdicts(workspace, report)[2] == (Verdict.CONTRADICTS, "The paper is paywalled")
    assert window.claims.progress.text() == "2 of 10 claims settled"
    press(qtbot, window, "Ctrl+Z")
    assert verdicts(workspace, report)[2] == (None, None)
    press(qtbot, window, "Ctrl+Shift+Z")
    assert verdicts(workspace, report)[2] == (Verdict.CONTRADICTS, "The paper is paywalled")

    # -- find ---------------------------------------------------------------------------------
    find(qtbot, window, "experts")
    assert len(window.find_bar.hits) == 2
    assert "2" in window.find_bar.count_label.text()
    press(qtbot, window, "Escape")
    window.claims.table.setFocus()

    # -- attach by dialog (two columns) and select one line of one column ----------------------
    two_columns = make_two_column_pdf(
        tmp_path / "2308.12898v2.pdf",
        [f"Left line {n} on sparse routing." for n in range(1, 12)],
        [f"Right line {n} on dense baselines." for n in range(1, 12)],
    )
    window.ask_pdf_path = lambda: two_columns
    with qtbot.waitSignal(window.review.sources.sig_source_shown, timeout=20_000):
        qtbot.mouseClick(action_button(window, "attach_pdf"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(window.pdf_pane.view.is_fully_rendered, timeout=20_000)
    press(qtbot, window, "J")  # claim 3
    drag_over_words(qtbot, window, "Left", "routing.")
    window.claims.table.setFocus()
    press(qtbot, window, "S")
    assert (Stance.SUPPORTS, "Left line 1 on sparse routing.") in spans(workspace, report)

    # -- scoring sheets of two reviewers, blind until submitted; the adjudicator role ---------
    press(qtbot, window, "Ctrl+Shift+S")
    qtbot.waitUntil(window.scoring_dock.isVisible)
    qtbot.waitUntil(lambda: window.pdf_pane.view.width() >= 300)
    visible_and_inside(window)  # with the panel open too
    assert inside_window(window, window.scoring_dock, min_width=300)
    submit_sheet(qtbot, window, "7.5")
    scoring = ScoringService(workspace.database)
    assert scoring.sheets.own(report, ADA).submitted  # type: ignore[union-attr]

    switch_reviewer(qtbot, window, BEN)
    qtbot.waitUntil(lambda: window.focusWidget() is window.claims.table)
    open_tab(qtbot, window, "Compare")
    assert ADA not in compare_headers(window)  # blind: Ben has not submitted
    assert window.scoring_dock.comparison.note.isVisible()
    submit_sheet(qtbot, window, "4.0")
    open_tab(qtbot, window, "Compare")
    qtbot.waitUntil(lambda: ADA in compare_headers(window))
    assert BEN in compare_headers(window)
    assert not window.scoring_dock.comparison.adjudicator_mode.isEnabled()

    switch_reviewer(qtbot, window, EVE)
    open_tab(qtbot, window, "Compare")
    box = window.scoring_dock.comparison.adjudicator_mode
    assert box.isEnabled()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=box.rect().center())
    qtbot.waitUntil(lambda: "Reviewer A" in compare_headers(window))
    assert not {ADA, BEN} & set(compare_headers(window))
    switch_reviewer(qtbot, window, ADA)

    # -- close, and reopen on the same record, page and zoom -----------------------------------
    view = window.pdf_pane.view
    view.setFocus()
    press(qtbot, window, "Ctrl+=")
    zoom, page = view.zoom, view.current_page
    window.close()
    view.close_document()

    from reviewer_app.ui.app import build_window

    again = build_window(workspace, settings)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert again.current_record_id == report
    qtbot.waitUntil(lambda: again.pdf_pane.view.page_count > 0)
    qtbot.waitUntil(lambda: again.pdf_pane.view.current_page == page)
    assert abs(again.pdf_pane.view.zoom - zoom) < 1e-6
    assert again.reviewer_combo.reviewer == ADA
    again.pdf_pane.view.close_document()
    workspace.close()


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_export_unsigned_by_keyboard_and_import_into_a_second_workspace(
    qtbot, tmp_path: Path, samples: Path, screen: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reviewer_app.ui.bundle_controller import ExportChoice

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    workspace = Workspace.open(tmp_path / "day.sqlite3")
    workspace.import_files([samples / REPORT_FILE])
    report = workspace.list_records()[0].local_id
    ScoringService(workspace.database).sheets.save(report, ADA, review_score=6.0, submit=True)
    window = open_window(qtbot, workspace, None, size=SCREENS[screen])
    click_record(qtbot, window, report)
    out = tmp_path / "bundle.zip"
    window.ask_export_choice = lambda record_id: ExportChoice(out, include_pdfs=False)
    answered: list[str] = []

    def yes(dialog: QDialog) -> None:  # "Export unsigned?": confirmed by keyboard
        answered.append(dialog.windowTitle())
        qtbot.keyClick(
            dialog.focusWidget() or dialog, Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier
        )
        if dialog.isVisible():
            qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)

    stuck = close_stuck_dialogs_after(qtbot, 30_000)
    when_dialog_opens(qtbot, yes)
    window.claims.table.setFocus()
    press(qtbot, window, "Ctrl+E")
    qtbot.waitUntil(lambda: out.exists() or bool(stuck), timeout=45_000)
    stuck.stop()  # it watched the export; on a slow run it would close the import's question
    assert stuck == [], f"deadlocked on {stuck}"
    assert out.exists()
    assert answered and "unsigned" in answered[0].lower()

    # A colleague imports it: an unsigned bundle never brings work in the name of the local
    # reviewer (issue 16), so the second window is someone else's.
    monkeypatch.setenv("REVIEWER_APP_REVIEWER", "Ben Colleague")
    second = Workspace.open(tmp_path / "second.sqlite3")
    other = open_window(qtbot, second, None, size=SCREENS[screen])
    informed: list[str] = []

    def yes_then_ok(dialog: QDialog) -> None:  # "Import unsigned bundle?", then "Imported …"
        def ok(info: QDialog) -> None:
            informed.append(info.windowTitle())
            qtbot.keyClick(info.focusWidget() or info, Qt.Key.Key_Return)

        yes(dialog)
        when_dialog_opens(qtbot, ok)  # once the question is gone, for the message after it

    stuck_import = close_stuck_dialogs_after(qtbot, 30_000)
    when_dialog_opens(qtbot, yes_then_ok)
    drop_file(qtbot, other, out)
    qtbot.waitUntil(lambda: len(second.list_records()) == 1 or bool(stuck_import), timeout=45_000)
    stuck_import.stop()
    assert stuck_import == [], f"deadlocked on {stuck_import}"
    qtbot.waitUntil(lambda: informed == ["Imported bundle.zip"])
    assert ScoringService(second.database).sheets.own(report, ADA) is not None
    window.close()
    other.close()
    workspace.close()
    second.close()
