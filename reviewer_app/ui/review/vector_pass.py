"""The sentence model's vectors of the shown record's PDFs, computed in the background.

A ranking reads the stored vector of each passage it weighs; a passage without one is encoded
while the reviewer waits (a second or more for a dozen passages on two cores). So once a
record's PDFs are indexed (its first ranking does that), this pass stores the vectors of all
their passages, a batch at a time, pausing between batches so the window keeps the interpreter
at least half of the time. Showing another record cancels the pass (it resumes later where it
stopped: each batch is stored in its own transaction); closing the window cancels it too.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

from reviewer_app.ui.ops import BackgroundOp, OpContext

START_DELAY_MS = 1000
"""How long a record stays shown before its pass starts: flicking through records starts none."""
PAUSE_S = 0.3
"""The pause between two batches: about one batch's work on two cores."""

log = logging.getLogger(__name__)


class SentenceVectorPass(QObject):
    def __init__(self, window: QWidget, service: Any) -> None:
        """``service``: the ``SuggestionService`` (its ``complete_sentence_vectors``)."""
        super().__init__(window)
        self._window = window
        self._service = service
        self._wanted: str | None = None
        self._op: BackgroundOp[bool] | None = None
        self._stopped = False
        self._timer = QTimer(self, singleShot=True, interval=START_DELAY_MS)
        self._timer.timeout.connect(self._start)

    @property
    def running(self) -> bool:
        return self._timer.isActive() or (self._op is not None and self._op.running)

    def request(self, record_id: str) -> None:
        """Complete ``record_id``'s vectors soon, instead of any other record's."""
        if self._stopped:
            return
        if self._op is not None and self._op.running:
            if self._wanted == record_id:
                return  # already at it
            self._op.cancel()  # the next one starts when this one has stopped
        self._wanted = record_id
        self._timer.start()

    def stop(self) -> None:
        """The window is closing: start nothing more (its close cancels a running pass)."""
        self._stopped = True
        self._timer.stop()
        if self._op is not None and self._op.running:
            self._op.cancel()

    def _start(self) -> None:
        record_id = self._wanted
        if self._stopped or record_id is None:
            return
        if self._op is not None and self._op.running:
            self._timer.start()  # the cancelled pass is ending: try again in a moment
            return
        service = self._service

        def work(context: OpContext) -> bool:
            done: bool = service.complete_sentence_vectors(
                record_id,
                cancelled=lambda: context.cancelled,
                pause=lambda: context.pause(PAUSE_S),
            )
            return done

        op: BackgroundOp[bool] = BackgroundOp(
            self._window, "Computing sentence vectors…", work, quiet=True
        )
        op.success(lambda _done: self._on_ended(record_id))
        op.cancelled(lambda: self._on_ended(record_id))
        op.failure(lambda exc: self._on_failed(record_id, exc))
        self._op = op
        op.run_in_background()

    def _on_ended(self, record_id: str) -> None:
        self._op = None
        if self._wanted == record_id:
            self._wanted = None

    def _on_failed(self, record_id: str, exc: Exception) -> None:
        # the ranking still works without stored vectors (it encodes a few on demand)
        log.warning("sentence vectors of record %s not stored: %s", record_id, exc)
        self._on_ended(record_id)
