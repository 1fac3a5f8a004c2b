"""Closing the window never hangs on a worker that is stuck (a team server that stopped
answering, say): the window waits a while, then keeps the worker alive elsewhere until it ends
on its own, and drops its outcome. Before, the close waited for ever."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from reviewer_app.services.workspace import Workspace
from reviewer_app.ui import ops, thread_keeper
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.ops import BackgroundOp, OpContext

pytest_plugins = ("tests.ui_fixtures",)


def test_a_stuck_background_op_does_not_hold_up_the_close(
    qtbot, workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ops, "CLOSE_WAIT_MS", 200)
    window = MainWindow(
        workspace, settings=QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    release, started = threading.Event(), threading.Event()
    outcomes: list[str] = []

    def stuck(_ctx: OpContext) -> str:
        started.set()
        release.wait()  # a network call that does not come back (ignores Cancel)
        return "done"

    op = BackgroundOp(window, "Asking the server…", stuck, quiet=True)
    op.success(outcomes.append).run_in_background()
    assert started.wait(10)
    began = time.monotonic()
    window.close()
    assert time.monotonic() - began < 5  # waited its 0.2 s, not for ever
    kept = [o for o in thread_keeper.kept() if o is op._thread]
    assert kept, "the stuck worker is kept alive, not destroyed while running"
    release.set()
    qtbot.waitUntil(lambda: not any(o is kept[0] for o in thread_keeper.kept()), timeout=10000)
    assert outcomes == []  # its result went nowhere: the window it was for is closed


def test_a_worker_that_ends_in_time_is_waited_for(qtbot, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    results: list[int] = []
    op = BackgroundOp(parent, "Counting…", lambda _ctx: 7, quiet=True)
    op.success(results.append).run_in_background()
    op.wait_for_close()
    assert not any(o is op._thread for o in thread_keeper.kept())
    qtbot.waitUntil(lambda: results == [7])
