"""The records list's Level column (issue 13), recomputed off the GUI thread in batches.

Recomputing a record's grounding re-reads its sheets, verdicts, spans and files: ~50 ms of
CPU. Each record switch asked for the record left and the record shown, so flicking through
records ran one op per click, and those ops took the CPU from the next click (p95 of a
switch on 10,000 records: 4x its median). Requests now gather for ``BATCH_MS`` and run as one
op; the record shown is recomputed only when its level is not known yet, the record left
always (work done while it was shown may have changed it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

from reviewer_app.ui.ops import BackgroundOp

if TYPE_CHECKING:
    from reviewer_app.services.grounding_levels import LevelRefresh
    from reviewer_app.storage.database import Database

BATCH_MS = 200
"""Requests closer together than this are computed together."""


class GroundingRefresh(QObject):
    def __init__(
        self,
        window: QWidget,
        database: Database,
        show: Callable[[LevelRefresh], None],
        report_failure: Callable[[Exception], None],
    ) -> None:
        super().__init__(window)
        self.window = window
        self.database = database
        self._show = show
        self._report_failure = report_failure
        self._pending: dict[str, None] = {}
        self._timer = QTimer(self, singleShot=True, interval=BATCH_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    def request(self, record_ids: Iterable[str | None]) -> None:
        """Recompute these records' levels soon (with any others asked for meanwhile)."""
        self._pending.update(dict.fromkeys(rid for rid in record_ids if rid))
        if self._pending:
            self._timer.start()

    def is_pending(self) -> bool:
        """Requests are gathered and not yet started (benchmarks wait for quiet)."""
        return bool(self._pending)

    def stop(self) -> None:
        """Forget what is asked and not started (the window is closing)."""
        self._timer.stop()
        self._pending = {}

    def _on_timer_timeout(self) -> None:
        ids, self._pending = list(self._pending), {}
        if not ids:
            return
        database = self.database

        def work(_context: object) -> LevelRefresh:
            # imported here: it loads PyMuPDF and numpy, which the window does not need to open
            from reviewer_app.services.grounding_levels import refresh_levels

            return refresh_levels(database, ids)  # computed and stored: the list sorts on it

        op: BackgroundOp[LevelRefresh] = BackgroundOp(
            self.window, "Computing grounding levels…", work, quiet=True
        )
        op.success(self._show)
        op.failure(self._report_failure)
        op.run_in_background()
