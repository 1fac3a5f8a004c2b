"""The background-op runner: work off the GUI thread, progress, Cancel, results and errors back
on the GUI thread; a cancelled export or bundle import leaves nothing half written."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThread
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from reviewer_app.errors import ReviewerAppError
from reviewer_app.services.bundles import BundleService
from reviewer_app.services.scoring import ScoringService
from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.ops import BackgroundOp, OpContext
from tests.bundle_db_support import table_counts

pytest_plugins = ("tests.ui_fixtures",)

RECORD = "SRCH:8F12A054"


@pytest.fixture
def parent(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def visible_progress() -> QProgressDialog | None:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)]
    return next((w for w in found if w.isVisible()), None)


def test_result_and_progress_come_back_on_the_gui_thread(qtbot, parent: QWidget) -> None:
    gui_thread = QThread.currentThread()
    seen: dict[str, object] = {}

    def work(ctx: OpContext) -> int:
        seen["work_thread"] = QThread.currentThread()
        for step in range(1, 4):
            ctx.progress(step, 3)
        return 42

    progress: list[tuple[int, int]] = []
    op = BackgroundOp(parent, "Counting…", work)
    op.sig_progressed.connect(lambda done, total: progress.append((done, total)))
    op.success(lambda result: seen.update(result=result, on=QThread.currentThread()))
    with qtbot.waitSignal(op.sig_finished, timeout=10_000) as finished:
        op.run_in_background()
    assert finished.args == ["ok"]
    assert seen["result"] == 42 and seen["on"] is gui_thread
    assert seen["work_thread"] is not gui_thread
    assert progress == [(1, 3), (2, 3), (3, 3)]


def test_an_error_comes_back_to_the_failure_callback(qtbot, parent: QWidget) -> None:
    errors: list[Exception] = []

    def work(_ctx: OpContext) -> None:
        raise ReviewerAppError("the folder vanished")

    op = BackgroundOp(parent, "Failing…", work).failure(errors.append)
    with qtbot.waitSignal(op.sig_finished, timeout=10_000) as finished:
        op.run_in_background()
    assert finished.args == ["error"]
    assert [str(e) for e in errors] == ["the folder vanished"]


@pytest.fixture
def workspace(tmp_path: Path, samples: Path) -> Iterator[Workspace]:
    with Workspace.open(tmp_path / "a.sqlite3") as ws:
        ws.import_file(samples / "record-page-label-value.txt")
        ScoringService(ws.database).sheets.save(RECORD, "ada", review_score=6.5, submit=True)
        yield ws


def test_cancel_in_the_progress_window_leaves_no_bundle_file(
    qtbot, tmp_path: Path, parent: QWidget, workspace: Workspace, no_keyring: None
) -> None:
    out = tmp_path / "out" / "review.zip"
    out.parent.mkdir()
    halfway = threading.Event()
    go_on = threading.Event()

    def export(ctx: OpContext) -> object:
        def progress(done: int, total: int) -> None:
            if 0 < done < total and not halfway.is_set():
                halfway.set()
                go_on.wait(10)  # hold the write half done until the person has cancelled
            ctx.progress(done, total)

        return BundleService(workspace.database).export(
            [RECORD], out, reviewer="ada", allow_unsigned=True, progress=progress
        )

    cancelled: list[bool] = []
    op = BackgroundOp(parent, "Exporting…", export).cancelled(lambda: cancelled.append(True))
    op.run_in_background()
    # the progress window may show before the export is half written on a busy machine
    qtbot.waitUntil(lambda: visible_progress() is not None and halfway.is_set(), timeout=10_000)
    dialog = visible_progress()
    assert dialog is not None
    with qtbot.waitSignal(op.sig_finished, timeout=10_000) as finished:
        QTest.keyClick(dialog, Qt.Key.Key_Escape)  # Esc is the dialog's Cancel
        go_on.set()
    assert finished.args == ["cancelled"] and cancelled == [True]
    assert list(out.parent.iterdir()) == []  # neither the bundle nor its temporary file


def test_cancelling_a_bundle_import_changes_nothing(
    qtbot, tmp_path: Path, workspace: Workspace, no_keyring: None
) -> None:
    bundle = tmp_path / "review.zip"
    BundleService(workspace.database).export([RECORD], bundle, reviewer="ada", allow_unsigned=True)
    with Workspace.open(tmp_path / "b.sqlite3") as target:
        window = MainWindow(target)
        qtbot.addWidget(window)
        window.show()
        window.confirm = lambda title, text: True  # "Import unsigned bundle?": yes
        messages: list[str] = []
        window.show_info = window.show_error = lambda title, text: messages.append(title)
        before = table_counts(target.database)
        # Another connection holds the write lock, so the import waits inside its transaction
        # with the progress window up; the person cancels; then the lock goes.
        blocker = sqlite3.connect(tmp_path / "b.sqlite3", timeout=30)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            window.bundles.import_bundle(bundle)

            # the check before it may show its own progress window on a busy machine
            def importing() -> bool:
                shown = visible_progress()
                return shown is not None and "Importing review.zip" in shown.labelText()

            qtbot.waitUntil(importing, timeout=10_000)
            dialog = visible_progress()
            assert dialog is not None
            with qtbot.waitSignal(window.bundles.sig_op_finished, timeout=20_000) as finished:
                QTest.keyClick(dialog, Qt.Key.Key_Escape)
                blocker.rollback()
        finally:
            blocker.close()
        assert finished.args == ["cancelled"]
        assert table_counts(target.database) == before
        assert target.list_records() == []
        assert "nothing was changed" in window.statusBar().currentMessage()
        assert messages == []  # neither "Imported …" nor an error
        window.close()


def test_an_op_that_holds_its_widgets_last_reference_ends_without_a_crash(qtbot) -> None:
    """Seen crashing one CI run in two (tests/test_ui_online_checks.py): a top-level widget
    whose only strong reference was its op's callback. The op's deferred delete dropped that
    reference, the widget died inside the op's destructor and deleted the op, its child, a
    second time. The op now lets go of its callbacks outside its own lifetime."""
    widget_gone = threading.Event()
    finished: list[str] = []

    def start_an_op_on_a_widget_nobody_keeps() -> None:
        widget = QWidget()
        widget.destroyed.connect(lambda: widget_gone.set())
        op = BackgroundOp(widget, "Counting…", lambda _ctx: 42, quiet=True)
        op.success(lambda _result: widget.setWindowTitle("done"))  # the only strong reference
        op.sig_finished.connect(finished.append)
        op.run_in_background()

    for _ in range(20):  # each round crashed one time in a few before the fix
        widget_gone.clear()
        start_an_op_on_a_widget_nobody_keeps()
        qtbot.waitUntil(widget_gone.is_set, timeout=5_000)
    assert finished == ["ok"] * 20
