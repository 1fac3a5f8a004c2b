"""The review window driven like a person would: mouse selection, keyboard verdicts, undo."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, QSettings, Qt
from PySide6.QtGui import QKeySequence

from reviewer_app.domain.evidence import Stance, Verdict
from reviewer_app.services.review import ReviewService
from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.pdf_view import ZoomMode
from reviewer_app.ui.review.highlights import STANCE_COLOURS
from tests.day_driver import drag_over_words, open_window, press, report_id
from tests.pdf_factory import make_lines_pdf
from tests.review_window_fixtures import LINES, REVIEWER, attach_and_show

pytest_plugins = ("tests.ui_fixtures", "tests.review_window_fixtures")
pytestmark = pytest.mark.usefixtures("reviewer_env")


def test_drag_select_attach_and_see_the_highlight_after_a_restart(
    qtbot, workspace: Workspace, settings: QSettings, source_pdf: Path
) -> None:
    window = open_window(qtbot, workspace, settings)
    attach_and_show(qtbot, window, workspace, source_pdf)
    assert window.claims.current_position == 1

    drag_over_words(qtbot, window, "experts", "two")  # across a line break
    selected = window.review.selection.span
    assert selected is not None
    assert " ".join(selected.quote.split()) == (
        "experts improve accuracy on visual question answering. The gain is two"
    )
    assert [len(a.quads) for a in selected.page_quads] == [2]

    window.claims.table.setFocus()
    press(qtbot, window, "S")
    assert window.errors == []  # type: ignore[attr-defined]
    stored = ReviewService.for_workspace(workspace).spans(report_id(workspace), reviewer=REVIEWER)
    assert [(v.span.claim_position, v.span.stance) for v in stored] == [(1, Stance.SUPPORTS)]
    highlights = window.review.spans_layer.items(stored[0].span.id)
    assert len(highlights) == 1 and highlights[0].scene() is window.pdf_pane.view.scene()
    assert highlights[0].brush().color() == STANCE_COLOURS[Stance.SUPPORTS]
    assert window.claims.model.states()[0].evidence_count == 1
    assert [v.span.id for v in window.claims.evidence.spans()] == [stored[0].span.id]
    window.close()
    window.pdf_pane.view.close_document()

    again = open_window(qtbot, workspace, settings)
    qtbot.waitUntil(lambda: again.pdf_pane.view.page_count == 2)
    assert again.review.sources.current_sha256 == stored[0].span.source_sha256
    redrawn = again.review.spans_layer.items(stored[0].span.id)
    assert len(redrawn) == 1
    assert redrawn[0].quads == stored[0].quads
    again.pdf_pane.view.close_document()


def test_claims_are_stepped_and_judged_by_keyboard_and_undone(
    qtbot, window: MainWindow, workspace: Workspace
) -> None:
    reasons: list[Verdict] = []
    window.ask_reason = lambda verdict: reasons.append(verdict) or "Paper is paywalled"
    window.records.select(report_id(workspace))
    window.claims.table.setFocus()
    assert window.claims.current_position == 1
    press(qtbot, window, "5")  # not enough evidence: no span, no reason needed
    press(qtbot, window, "J")
    assert window.claims.current_position == 2
    press(qtbot, window, "3")  # contradicts without a span: asks for a reason
    press(qtbot, window, "Alt+Down")
    press(qtbot, window, "1")
    assert reasons == [Verdict.CONTRADICTS, Verdict.SUPPORTS]
    press(qtbot, window, "K")
    assert window.claims.current_position == 2

    service = ReviewService.for_workspace(workspace)
    verdicts = [s.verdict for s in service.claim_states(report_id(workspace), REVIEWER)]
    assert verdicts == [Verdict.NOT_ENOUGH_EVIDENCE, Verdict.CONTRADICTS, Verdict.SUPPORTS]
    assert window.claims.progress.text() == "3 of 3 claims settled"

    press(qtbot, window, "2")  # change claim 2, then take it back, and claim 3's too
    assert service.claim_states(report_id(workspace), REVIEWER)[1].verdict == (Verdict.SPECIAL_CASE)
    press(qtbot, window, "Ctrl+Z")
    press(qtbot, window, "Ctrl+Z")
    states = service.claim_states(report_id(workspace), REVIEWER)
    assert [s.verdict for s in states] == [
        Verdict.NOT_ENOUGH_EVIDENCE, Verdict.CONTRADICTS, None,
    ]  # fmt: skip
    assert states[1].reason == "Paper is paywalled"
    assert window.claims.progress.text() == "2 of 3 claims settled"
    assert window.claims.current_position == 3  # undo shows the claim it changed
    press(qtbot, window, "Ctrl+Shift+Z")
    assert service.claim_states(report_id(workspace), REVIEWER)[2].verdict == Verdict.SUPPORTS


def test_a_refused_verdict_is_shown_not_raised(qtbot, window: MainWindow, workspace) -> None:
    window.ask_reason = lambda verdict: None  # the person cancels the reason dialog
    window.records.select(report_id(workspace))
    window.claims.table.setFocus()
    press(qtbot, window, "1")
    assert window.claims.model.states()[0].verdict is None
    assert window.review.set_verdict(Verdict.SUPPORTS) is False
    window.ask_reason = lambda verdict: "   "  # blank reason: the service refuses
    window.review.set_verdict(Verdict.SUPPORTS)
    assert window.errors and "needs" in window.errors[-1][1]  # type: ignore[attr-defined]


def test_undo_removes_the_span_and_redo_restores_it(
    qtbot, window: MainWindow, workspace: Workspace, source_pdf: Path
) -> None:
    attach_and_show(qtbot, window, workspace, source_pdf)
    drag_over_words(qtbot, window, "Routing", "collapse")
    window.claims.table.setFocus()
    press(qtbot, window, "C")
    service = ReviewService.for_workspace(workspace)
    [view] = service.spans(report_id(workspace), reviewer=REVIEWER)
    assert view.span.stance == Stance.CONTRADICTS
    assert window.review.spans_layer.items(view.span.id)
    press(qtbot, window, "Ctrl+Z")
    assert service.spans(report_id(workspace), reviewer=REVIEWER) == []
    assert window.review.spans_layer.items() == []
    press(qtbot, window, "Ctrl+Shift+Z")
    assert len(service.spans(report_id(workspace), reviewer=REVIEWER)) == 1
    assert window.review.spans_layer.items(view.span.id)


def test_clicking_evidence_scrolls_to_it_and_flashes_it(
    qtbot, window: MainWindow, workspace: Workspace, tmp_path: Path
) -> None:
    pages = [[f"Filler line {n} on page {p}." for n in range(3)] for p in range(1, 6)]
    pages[4].append("Decisive sentence about routing collapse.")
    pdf = make_lines_pdf(tmp_path / "long.pdf", pages)
    attach_and_show(qtbot, window, workspace, pdf)
    view = window.pdf_pane.view
    view.go_to_page(4)
    qtbot.waitUntil(view.is_fully_rendered)
    drag_over_words(qtbot, window, "Decisive", "collapse.")
    window.review.mark_selection(Stance.CONTEXT)
    view.go_to_page(0)
    assert 4 not in view.visible_pages()
    item = window.claims.evidence.item(0)
    rect = window.claims.evidence.visualItemRect(item)
    qtbot.mouseClick(
        window.claims.evidence.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
    )
    assert 4 in view.visible_pages()
    assert window.review.flasher.running
    assert window.review.flasher.flashing == window.review.spans_layer.items()


def test_find_highlights_every_hit_and_steps_with_enter(
    qtbot, window: MainWindow, workspace: Workspace, source_pdf: Path
) -> None:
    attach_and_show(qtbot, window, workspace, source_pdf)
    press(qtbot, window, "Ctrl+F")
    assert window.find_bar.isVisible() and window.find_bar.field.hasFocus()
    qtbot.keyClicks(window.find_bar.field, "experts")
    qtbot.waitUntil(lambda: len(window.find_bar.hits) == 2)  # searched off the GUI thread
    assert len(window.find_bar.layer.items()) == 3  # two hits and the current one
    assert window.find_bar.count_label.text() == "1 of 2"
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Return)
    assert window.find_bar.count_label.text() == "2 of 2"
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert window.find_bar.count_label.text() == "1 of 2"


def test_help_overlay_lists_every_shortcut(qtbot, window: MainWindow) -> None:
    press(qtbot, window, "F1")
    overlay = window.help_overlay
    assert overlay.isVisible()
    text = overlay.label.text()
    for action in window.app_actions.all():
        for sequence in action.shortcuts():
            keys = sequence.toString(QKeySequence.SequenceFormat.NativeText)
            assert keys.replace("&", "&amp;") in text or keys in text, action.text()
    qtbot.keyClick(overlay, Qt.Key.Key_Escape)
    assert not overlay.isVisible()


def test_reviewer_is_remembered(qtbot, workspace: Workspace, settings: QSettings) -> None:
    first = open_window(qtbot, workspace, settings)
    assert first.reviewer_combo.reviewer == REVIEWER
    first.reviewer_combo.set_reviewer("Grace")
    first.close()
    second = open_window(qtbot, workspace, settings)
    assert second.reviewer_combo.reviewer == "Grace"


def drop_pdf(qtbot, window: MainWindow, path: Path) -> None:
    from PySide6.QtCore import QMimeData, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    viewport = window.pdf_pane.view.viewport()
    enter = QDragEnterEvent(
        viewport.rect().center(), Qt.DropAction.CopyAction, mime,
        Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(viewport.rect().center()), Qt.DropAction.CopyAction, mime,
        Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    QApplication.sendEvent(viewport, drop)


def test_dropping_a_pdf_on_the_pane_attaches_it_to_the_record_shown(
    qtbot, window: MainWindow, workspace: Workspace, source_pdf: Path
) -> None:
    window.records.select(report_id(workspace))
    with qtbot.waitSignal(window.review.sources.sig_source_shown) as shown:
        drop_pdf(qtbot, window, source_pdf)
    assert window.errors == []  # type: ignore[attr-defined]
    slot = window.review.sources.bar.current_slot()
    assert slot is not None and [f.file_name for f in slot.files] == ["source-paper.pdf"]
    assert shown.args == [slot.files[0].sha256]
    assert "source-paper.pdf" in window.review.sources.bar.combo.currentText()
    assert window.pdf_pane.view.page_count == 2
    # named as the person knows it, not by its path in the content-addressed store
    assert window.windowTitle().startswith("source-paper.pdf")
    assert "source-paper.pdf" in window.statusBar().currentMessage()
    assert slot.files[0].sha256 not in window.statusBar().currentMessage()


def test_scanning_a_folder_attaches_the_files_matching_a_reference(
    qtbot, window: MainWindow, workspace: Workspace, tmp_path: Path
) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    make_lines_pdf(folder / "2407.17856v4.pdf", [LINES])
    make_lines_pdf(folder / "unrelated-notes.pdf", [["Nothing to do with it."]])
    window.records.select(report_id(workspace))
    window.ask_folder = lambda: folder
    window.app_actions["scan_folder"].trigger()
    qtbot.waitUntil(lambda: window.review.sources.scan_op is None, timeout=20_000)
    assert window.errors == []  # type: ignore[attr-defined]
    slots = window.review.sources.bar.slots
    attached = {f.file_name: s.arxiv_id for s in slots for f in s.files}
    assert attached == {"2407.17856v4.pdf": "2407.17856"}
    assert window.pdf_pane.view.path is not None
    assert window.pdf_pane.view.path.read_bytes() == (folder / "2407.17856v4.pdf").read_bytes()
    assert "1 PDF(s) in" in window.statusBar().currentMessage()
    assert "1 left alone" in window.statusBar().currentMessage()


def test_a_folder_scan_shows_progress_and_says_why_nothing_matched(
    qtbot, window: MainWindow, workspace: Workspace, tmp_path: Path
) -> None:
    steps: list[tuple[int, int]] = []
    folder = tmp_path / "downloads"
    folder.mkdir()
    make_lines_pdf(folder / "unrelated-notes.pdf", [["Nothing to do with it."]])
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7 cut short")
    infos: list[tuple[str, str]] = []
    window.show_info = lambda title, text: infos.append((title, text))
    window.records.select(report_id(workspace))
    window.ask_folder = lambda: folder
    window.app_actions["scan_folder"].trigger()
    scan = window.review.sources.scan_op
    assert scan is not None  # running in the background; its progress comes back queued
    scan.sig_progressed.connect(lambda done, total: steps.append((done, total)))
    qtbot.waitUntil(lambda: window.review.sources.scan_op is None, timeout=20_000)
    assert steps == [(1, 2), (2, 2)]
    assert window.errors == []  # type: ignore[attr-defined]
    ((title, text),) = infos
    assert title == "No PDF matched"
    assert "unrelated-notes.pdf: names none of the record's arXiv references" in text
    assert "broken.pdf: " in text


def test_a_span_lost_in_a_new_file_is_listed_as_an_orphan(
    qtbot, window: MainWindow, workspace: Workspace, source_pdf: Path, tmp_path: Path
) -> None:
    attach_and_show(qtbot, window, workspace, source_pdf)  # into the arXiv slot
    drag_over_words(qtbot, window, "Routing", "collapse")
    assert window.review.mark_selection(Stance.CONTRADICTS)
    other = make_lines_pdf(
        tmp_path / "2407.17856v5.pdf", [["An entirely different text about sheep farming."]],
        page_size="letter", fontname="tiro",
    )  # fmt: skip
    window.ask_pdf_path = lambda: other  # a new version of the same arXiv paper
    window.app_actions["attach_pdf"].trigger()
    assert window.errors == []  # type: ignore[attr-defined]
    [view] = window.claims.evidence.spans()
    assert view.is_orphan
    item = window.claims.evidence.item(0)
    assert "orphan" in item.text()
    assert not item.icon().isNull()
    assert "kept" in item.toolTip()
    assert window.review.spans_layer.items() == []  # nowhere to draw it, but not dropped


def test_zoom_mode_and_open_record_come_back_in_a_new_window(
    qtbot, workspace: Workspace, settings: QSettings, source_pdf: Path
) -> None:
    first = open_window(qtbot, workspace, settings)
    attach_and_show(qtbot, first, workspace, source_pdf)
    first.pdf_pane.view.fit_page()
    first.close()
    first.pdf_pane.view.close_document()

    again = open_window(qtbot, workspace, settings)
    qtbot.waitUntil(lambda: again.pdf_pane.view.page_count == 2)
    assert again.review.record_id == report_id(workspace)
    assert again.pdf_pane.view.zoom_mode == ZoomMode.FIT_PAGE
    again.pdf_pane.view.close_document()


def test_evidence_can_be_attached_with_a_stance_and_a_note(
    qtbot, window: MainWindow, workspace: Workspace, source_pdf: Path
) -> None:
    attach_and_show(qtbot, window, workspace, source_pdf)
    asked: list[str] = []

    def answer(quote: str) -> tuple[Stance, str | None]:
        asked.append(quote)
        return Stance.CONTRADICTS, "Only holds for two experts"

    window.ask_evidence_note = answer
    drag_over_words(qtbot, window, "experts", "two")
    window.claims.table.setFocus()
    press(qtbot, window, "N")
    assert len(asked) == 1 and asked[0].startswith("experts improve")
    stored = ReviewService.for_workspace(workspace).spans(report_id(workspace), reviewer=REVIEWER)
    assert [(v.span.stance, v.span.note) for v in stored] == [
        (Stance.CONTRADICTS, "Only holds for two experts")
    ]
    assert "note: Only holds for two experts" in window.claims.evidence.item(0).text()
    window.pdf_pane.view.close_document()
