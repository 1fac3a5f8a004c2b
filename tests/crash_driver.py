"""Run as a script by test_ui_crash_safety: drive the real window, then die by SIGKILL.

    python -m tests.crash_driver WORKSPACE.sqlite3 REVIEWER PDF QUOTE

Attaches PDF to the report through the window, selects QUOTE in it and marks it as supporting
claim 1 with the S key, sets three verdicts by keyboard (the second with a reason), and kills
its own process without closing the window, the workspace or the database connection.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from reviewer_app.pdf import find_quote
from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.main_window import MainWindow


def press(window: MainWindow, keys: str) -> None:
    sequence = QKeySequence(keys)[0]
    QTest.keyClick(window.focusWidget() or window, sequence.key(), sequence.keyboardModifiers())


def wait_for(condition: Callable[[], bool], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)


def main(database: str, reviewer: str, pdf: str, quote: str) -> None:
    os.environ["REVIEWER_APP_REVIEWER"] = reviewer
    app = QApplication([])
    workspace = Workspace.open(database)
    window = MainWindow(workspace, settings=None)
    window.ask_reason = lambda verdict: "The source is not available to us"
    window.show()
    QTest.qWaitForWindowExposed(window)
    report = next(s.local_id for s in workspace.list_records() if s.claims_extracted)
    window.records.select(report)
    window.ask_pdf_path = lambda: Path(pdf)
    window.app_actions["attach_pdf"].trigger()
    view = window.pdf_pane.view
    wait_for(lambda: view.document_text() is not None and view.is_fully_rendered())
    layer = view.document_text()
    assert layer is not None
    (span,) = find_quote(layer, quote)
    window.review.selection.select(span)
    window.claims.table.setFocus()
    press(window, "S")  # claim 1: the selection as supporting evidence
    for keys in ("1", "J", "3", "J", "5"):
        press(window, keys)
    app.processEvents()
    print("verdicts set; killing myself", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)


if __name__ == "__main__":
    main(*sys.argv[1:5])
