"""Runs the evidence finder for the current claim off the GUI thread and acts on the list.

Index building and ranking run in a thread-pool task with its own database sessions (the
service opens one per unit of work); only the results come back to the GUI thread. Accepting
a suggestion goes through the same ``add_span`` call and undo command as a drag selection, so
the stored span is the same one dragging over those words would store.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtGui import QColor
from shiboken6 import isValid

from reviewer_app.domain.evidence import Stance
from reviewer_app.errors import ReviewerAppError
from reviewer_app.ui.models import Roles
from reviewer_app.ui.review.highlights import Z_FIND, OverlayLayer, quads_bounds
from reviewer_app.ui.review.suggestions_panel import SuggestionsPanel
from reviewer_app.ui.review.undo_commands import AddSpanCommand
from reviewer_app.ui.review.vector_pass import SentenceVectorPass
from reviewer_app.ui.thread_keeper import wait_or_keep_pool

if TYPE_CHECKING:
    from reviewer_app.ui.window_parts import ReviewLoop

SUGGESTION_COLOUR = QColor(250, 204, 21, 110)
"""Amber: a passage offered for reading, not yet anyone's evidence."""
_KEY = "suggestion"
RANK_DELAY_MS = 150
"""A claim is ranked once it has stayed the current claim this long. Stepping through claims or
flicking through records started a ranking for every claim passed over, and each competed with
the window's thread for the interpreter while the next record was being drawn."""


class _Signals(QObject):
    sig_progress = Signal(int, str, int, int)
    """Request id, stage, done, total."""
    sig_finished = Signal(int, object)
    """Request id, result."""
    sig_failed = Signal(int, str)


class _Task(QRunnable):
    def __init__(
        self, request: int, work: Callable[[Callable[[str, int, int], None]], Any]
    ) -> None:
        super().__init__()
        self.signals = _Signals()
        self._request = request
        self._work = work

    def run(self) -> None:
        def progress(stage: str, done: int, total: int) -> None:
            self.signals.sig_progress.emit(self._request, stage, done, total)

        try:
            result = self._work(progress)
        except ReviewerAppError as exc:
            self.signals.sig_failed.emit(self._request, str(exc))
        except Exception as exc:
            self.signals.sig_failed.emit(self._request, f"{type(exc).__name__}: {exc}")
        else:
            self.signals.sig_finished.emit(self._request, result)


class SuggestionsController(QObject):
    sig_suggestions_shown = Signal(int)
    """Suggestions for the claim at this position are in the list."""

    def __init__(self, review: ReviewLoop, suggestions: Any | None = None) -> None:
        super().__init__(review)
        self.review = review
        self.service = suggestions or _service_for(review.service)
        self.panel = SuggestionsPanel(review.panel)
        review.panel.splitter.addWidget(self.panel)
        # the suggestions are where the reviewer reads: give them the most room under the
        # claims (a saved window layout still wins for the record/claims split)
        review.panel.splitter.setSizes([170, 90, 280])
        review.window.middle_splitter.setSizes([280, 520])
        self.layer = OverlayLayer(review.view, Z_FIND + 0.5)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.vectors = SentenceVectorPass(review.window, self.service)
        review.window.destroyed.connect(self._on_window_destroyed)
        self._request = 0
        self._strength: dict[int, bool | None] = {}
        self._tasks: list[_Task] = []
        self._callbacks: dict[int, Callable[[Any], None]] = {}
        self._waiting: Callable[[], None] | None = None
        """The ranking of the current claim, started once the claim stays selected."""
        self._rank_timer = QTimer(self, singleShot=True, interval=RANK_DELAY_MS)
        self._rank_timer.timeout.connect(self._on_rank_timer_timeout)
        review.panel.sig_claim_selected.connect(self._on_claim_selected)
        review.sources.sig_source_shown.connect(self._on_source_shown)
        for name in ("next_claim", "previous_claim"):
            review.window.app_actions[name].triggered.connect(self._on_claim_stepped)
        self.panel.sig_suggestion_highlighted.connect(self.show_suggestion)
        self.panel.list.sig_accept_requested.connect(self.accept)
        self.panel.list.sig_dismiss_requested.connect(self.dismiss)
        self.panel.sig_claim_filter_changed.connect(self._apply_claim_filter)
        self._focus_on_arrival = False

    def shutdown(self) -> None:
        """Wait for a running ranking (it uses the workspace database the window closes)."""
        self._request += 1
        self._rank_timer.stop()
        self._waiting = None
        self.vectors.stop()
        self.pool.clear()
        wait_or_keep_pool(self.pool, "an evidence ranking", *self._tasks)

    def _on_window_destroyed(self) -> None:
        wait_or_keep_pool(self.pool, "an evidence ranking", *self._tasks)

    # -- ranking -------------------------------------------------------------------------
    def _on_claim_stepped(self) -> None:
        # J / K: the reviewer is driving by keyboard; the suggestions take the focus
        self._focus_on_arrival = True
        if self.panel.list.count():
            self.panel.list.setFocus()

    def _on_source_shown(self, sha256: str) -> None:
        # a PDF attached (or first shown) after the claim was chosen: rank again
        position = self.review.panel.current_position
        if sha256 and position and not self.panel.list.count():
            self._strength.clear()
            self._on_claim_selected(position)

    def _on_claim_selected(self, position: int) -> None:
        self.layer.clear()
        record_id, reviewer = self.review.record_id, self.review.reviewer
        state = self.review.panel.current_state()
        self.panel.set_suggestions("", ())
        self._request += 1
        self._waiting = None
        if not position or record_id is None or state is None:
            self._rank_timer.stop()
            return
        claim = state.text
        self.panel.set_status("Finding evidence…")

        def work(progress: Callable[[str, int, int], None]) -> Any:
            return self.service.suggest(
                record_id, position, top=20, reviewer=reviewer, progress=progress
            )

        request = self._request

        def start() -> None:
            if request == self._request:  # else superseded (e.g. by ranking every claim)
                self._start(work, lambda result: self._on_ranked(position, claim, result))

        self._waiting = start
        self._rank_timer.start()

    def _on_rank_timer_timeout(self) -> None:
        start, self._waiting = self._waiting, None
        if start is not None and self._alive():
            start()

    def _start(self, work: Callable[..., Any], done: Callable[[Any], None]) -> None:
        request = self._request
        task = _Task(request, work)
        task.setAutoDelete(False)
        # bound methods of this controller: Qt drops the queued results once the window
        # (and so this controller) is gone, instead of calling into deleted widgets
        task.signals.sig_progress.connect(self._on_progress)
        task.signals.sig_finished.connect(self._on_task_finished)
        task.signals.sig_failed.connect(self._on_failed)
        self._callbacks = {request: done}
        self._tasks = [*self._tasks[-4:], task]
        self.pool.start(task)

    def _alive(self) -> bool:
        """False once the window is gone: a ranking may finish after it was closed."""
        return isValid(self.panel) and isValid(self.review.panel.table)

    def _on_task_finished(self, request: int, result: Any) -> None:
        done = self._callbacks.pop(request, None)
        if done is not None and request == self._request and self._alive():
            done(result)

    def _on_progress(self, request: int, stage: str, done: int, total: int) -> None:
        if request == self._request and self._alive():
            if stage == "pages" and done == total:
                self.panel.set_status("Ranking passages…")
            else:
                noun = "pages indexed" if stage == "pages" else "passages read by the model"
                self.panel.set_status(f"Preparing the sources: {done} of {total} {noun}…")

    def _on_failed(self, request: int, message: str) -> None:
        if request == self._request and self._alive():
            self.panel.set_status(message)

    def _on_ranked(self, position: int, claim: str, result: Any) -> None:
        if self.review.record_id is not None:  # its PDFs are indexed now
            self.vectors.request(self.review.record_id)
        if self.review.panel.current_position != position:
            return
        self._strength[position] = result.has_strong
        self.panel.set_suggestions(claim, result.candidates, no_match=result.no_close_match)
        if self._focus_on_arrival and self.panel.list.count():
            self.panel.list.setFocus()
        self.sig_suggestions_shown.emit(position)

    # -- showing and accepting -----------------------------------------------------------
    def show_suggestion(self, suggestion: Any) -> None:
        """Scroll the PDF to the passage and flash it (switching file if needed)."""
        sources = self.review.sources
        if sources.current_sha256 != suggestion.source_sha256:
            sources.reload(prefer_sha256=suggestion.source_sha256)
        doc_text = self.review.view.document_text()
        if doc_text is None or sources.current_sha256 != suggestion.source_sha256:
            return
        span = doc_text.span(suggestion.start, suggestion.end)
        self.layer.clear()
        items = self.layer.show(_KEY, span.page_quads, SUGGESTION_COLOUR)
        first = span.page_quads[0]
        self.review.view.reveal(first.page, quads_bounds(first.quads))
        self.review.flasher.flash(items)

    def accept(self, suggestion: Any, stance: Stance) -> bool:
        review = self.review
        position = review.panel.current_position
        if review.record_id is None or position is None:
            return False
        if review.sources.current_sha256 != suggestion.source_sha256:
            self.show_suggestion(suggestion)
        doc_text = review.view.document_text()
        if doc_text is None or review.sources.current_sha256 != suggestion.source_sha256:
            review.window.show_error(
                "Evidence not recorded", "The suggestion's PDF cannot be shown."
            )
            return False
        span = doc_text.span(suggestion.start, suggestion.end)
        try:
            added = review.service.add_span(
                review.record_id, position, reviewer=review.reviewer,
                source_sha256=suggestion.source_sha256, span=span, doc_text=doc_text,
                stance=stance,
            )  # fmt: skip
        except ReviewerAppError as exc:
            review.window.show_error("Evidence not recorded", str(exc))
            return False
        review.undo_stack.push(AddSpanCommand(review._context(), position, added.id, stance.value))
        review.refresh_claim(position)
        review.window.statusBar().showMessage(
            f"Suggestion accepted as {stance.value} evidence; give the verdict (1–5)", 6000
        )
        return True

    def dismiss(self, suggestion: Any) -> None:
        review = self.review
        position = review.panel.current_position
        if review.record_id is None or position is None:
            return
        try:
            self.service.dismiss(
                review.record_id, position, reviewer=review.reviewer,
                source_sha256=suggestion.source_sha256, start=suggestion.start, end=suggestion.end,
            )  # fmt: skip
        except ReviewerAppError as exc:
            review.window.show_error("Suggestion not dismissed", str(exc))
            return
        row = self.panel.list.currentRow()
        remaining = [s for s in self.panel.suggestions() if s is not suggestion]
        self.panel.set_suggestions(self.panel._claim, remaining)
        self.panel.list.setCurrentRow(min(row, self.panel.list.count() - 1))

    # -- filtering claims ----------------------------------------------------------------
    def _apply_claim_filter(self, choice: int) -> None:
        record_id = self.review.record_id
        if record_id is None:
            return
        if choice and len(self._strength) < self.review.panel.model.rowCount():
            self.panel.set_status("Ranking every claim…")
            self._request += 1
            self._start(
                lambda progress: self.service.suggest_all(record_id, 5, progress=progress),
                lambda results: self._on_all_ranked(results, choice),
            )
            return
        self._hide_rows(choice)

    def _on_all_ranked(self, results: Any, choice: int) -> None:
        for result in results:
            self._strength[result.position] = result.has_strong
        self.panel.set_status("")
        self._hide_rows(choice)

    def _hide_rows(self, choice: int) -> None:
        panel = self.review.panel
        for row in range(panel.proxy.rowCount()):
            state = panel.proxy.index(row, 0).data(Roles.OBJECT)
            strong = self._strength.get(state.position) if state is not None else None
            hidden = (choice == 1 and not strong) or (choice == 2 and strong is not False)
            panel.table.setRowHidden(row, hidden)


def _service_for(review_service: Any) -> Any:
    from reviewer_app.services.suggestions import SuggestionService

    return SuggestionService(review_service.database, review_service.pdf_store)
