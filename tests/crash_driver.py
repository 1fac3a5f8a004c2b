"""Run as a script by test_ui_crash_safety: drive the real window, then die by SIGKILL.

    python -m tests.crash_driver WORKSPACE.sqlite3 REVIEWER

Sets three verdicts by keyboard (the second with a reason), marks nothing else, and kills its
own process without closing the window, the workspace or the database connection.
"""

from __future__ import annotations

import os
import signal
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.main_window import MainWindow


def press(window: MainWindow, keys: str) -> None:
    sequence = QKeySequence(keys)[0]
    QTest.keyClick(window.focusWidget() or window, sequence.key(), sequence.keyboardModifiers())


def main(database: str, reviewer: str) -> None:
    os.environ["REVIEWER_APP_REVIEWER"] = reviewer
    app = QApplication([])
    workspace = Workspace.open(database)
    window = MainWindow(workspace, settings=None)
    window.ask_reason = lambda verdict: "The source is not available to us"
    window.show()
    QTest.qWaitForWindowExposed(window)
    report = next(s.local_id for s in workspace.list_records() if s.claims_extracted)
    window.records.select(report)
    window.claims.table.setFocus()
    for keys in ("5", "J", "3", "J", "1"):
        press(window, keys)
    app.processEvents()
    print("verdicts set; killing myself", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)


if __name__ == "__main__":
    main(*sys.argv[1:3])
