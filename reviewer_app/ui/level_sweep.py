"""Keeping the records list's stored grounding levels current (issue 13): a pass over every
record whose stored level may be out of date, in the background, a chunk at a time.

Why throttled and deferred: the pass is pure Python (re-checking files and quotes, computing
levels), so while it runs it competes with the window's own thread for the interpreter lock,
and every Qt call the window makes waits for it. Started a moment after the window opened and
sleeping between chunks, it leaves the window as quick to open and to answer keys as without it;
a 10,000-record workspace is covered in the background within seconds (benchmarks/
workspace_bench.py measures the window meanwhile).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from reviewer_app.ui.ops import BackgroundOp, OpContext

if TYPE_CHECKING:
    from reviewer_app.services.grounding_levels import LevelRefresh
    from reviewer_app.storage.database import Database

START_DELAY_MS = 1500
"""How long after the window was first shown and laid out (or after an import) the pass
starts: the window is usable by then."""
PAUSE_S = 0.03
"""The pause between two chunks: about as long as a chunk's work, so the window's thread gets
the interpreter at least half of the time."""


class LevelSweep(QObject):
    def __init__(
        self,
        database: Database,
        on_refreshed: Callable[[LevelRefresh], None],
        on_failed: Callable[[Exception], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._window = parent
        self._shown = parent.isVisible()
        if not self._shown:
            parent.installEventFilter(self)
        self._database = database
        self._on_refreshed = on_refreshed
        self._on_failed = on_failed
        self._op: BackgroundOp[LevelRefresh] | None = None
        self._again = False
        self._stopped = False
        """The window closed: no pass may start any more (a pending timer could fire after)."""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(START_DELAY_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    def schedule(self) -> None:
        """Run a pass soon (not before the window has been shown); one already running is
        followed by another."""
        if self._stopped:
            return
        if self._op is not None and self._op.running:
            self._again = True
            return
        if self._shown:
            self._timer.start()
        else:
            self._again = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Show and not self._shown:
            self._shown = True
            self._window.removeEventFilter(self)
            if self._again:
                self._again = False
                # counted from the first turn of the event loop after showing: the layout of
                # the first rows is done by then
                QTimer.singleShot(0, self._start_timer)
        return False

    def _start_timer(self) -> None:
        if not self._stopped:
            self._timer.start()

    def stop(self) -> None:
        self._stopped = True
        self._timer.stop()
        self._again = False
        if self._op is not None and self._op.running:
            self._op.cancel()

    @property
    def running(self) -> bool:
        return self._timer.isActive() or (self._op is not None and self._op.running)

    def _on_timer_timeout(self) -> None:
        if self._stopped:
            return
        database = self._database

        def work(context: OpContext) -> LevelRefresh:
            # imported here: it loads PyMuPDF and numpy, which the window does not need to open
            from reviewer_app.services.grounding_levels import refresh_levels

            return refresh_levels(database, pause=lambda: context.pause(PAUSE_S))

        op: BackgroundOp[LevelRefresh] = BackgroundOp(
            self._window, "Computing grounding levels…", work, quiet=True
        )
        # each outcome lets go of the op first: it deletes itself once finished
        op.success(self._on_op_succeeded)
        op.failure(self._on_op_failed)
        op.cancelled(self._on_op_cancelled)
        self._op = op
        op.run_in_background()

    def _on_op_cancelled(self) -> None:
        self._op = None

    def _on_op_failed(self, exc: Exception) -> None:
        self._op = None
        self._on_failed(exc)

    def _on_op_succeeded(self, refresh: LevelRefresh) -> None:
        self._op = None
        self._on_refreshed(refresh)
        if self._again and not self._stopped:
            self._again = False
            self._timer.start()
