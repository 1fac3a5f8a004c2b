"""Long work off the GUI thread, in the style of Anki's ``CollectionOp``.

    BackgroundOp(window, "Exporting…", lambda ctx: service.export(..., progress=ctx.progress))
        .success(on_exported).failure(on_failed).run_in_background()

The work function runs on a worker thread and gets an ``OpContext``: it reports progress
through it and learns there whether the person pressed Cancel. It never touches widgets and
opens its own database sessions (the services open one per unit of work; SQLAlchemy sessions
are not thread-safe, engines are). Its result, its error or its cancellation comes back to the
GUI thread, where the callbacks run. A progress window with a Cancel button appears only when
the work takes longer than a moment.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from reviewer_app.ui.thread_keeper import CLOSE_WAIT_MS, wait_or_keep

T = TypeVar("T")

PROGRESS_DELAY_MS = 400
"""Work that ends sooner shows no progress window at all (no flicker)."""

_let_go: list[object] = []
"""What finished ops held (callbacks, work, parent): dropped on the next turn of the loop."""


def _drop_let_go() -> None:
    _let_go.clear()


def _let_go_soon(held: list[object]) -> None:
    """Drop ``held`` outside the op's lifetime. A callback may hold the last reference to the
    op's own parent (a top-level widget nobody else keeps): dropped in the op's destructor, it
    destroyed the parent, which deleted the op, its child, a second time (a crash, one CI run
    in two). Either order is safe now: the op dies first with nothing to drop, or the parent
    dies first and deletes the op as any child."""
    if not _let_go:
        QTimer.singleShot(0, _drop_let_go)
    _let_go.extend(held)


class OpCancelled(Exception):
    """Raised inside the work when the person cancelled; the work unwinds, writing nothing."""


class OpContext:
    """What the work function may use on its thread: progress, and the cancel request."""

    def __init__(self, report: Callable[[int, int], None]) -> None:
        self._report = report
        self._cancel = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check_cancelled(self) -> None:
        """Raise ``OpCancelled`` if Cancel was pressed: call it before a point of no return."""
        if self._cancel.is_set():
            raise OpCancelled

    def progress(self, done: int, total: int) -> None:
        """Report ``done`` of ``total`` steps (a ``Progress`` callback); raises if cancelled."""
        self.check_cancelled()
        self._report(done, total)

    def request_cancel(self) -> None:
        self._cancel.set()

    def pause(self, seconds: float) -> None:
        """Yield the interpreter to the window for ``seconds`` (background passes call it
        between chunks); raises ``OpCancelled`` at once if Cancel was pressed, or meanwhile."""
        self.check_cancelled()
        if self._cancel.wait(seconds):
            raise OpCancelled


class _OpThread(QThread, Generic[T]):
    sig_progressed = Signal(int, int)
    """Done and total steps, as the work reported them."""
    sig_outcome = Signal(str, object)
    """``"ok"`` and the result, ``"error"`` and the exception, or ``"cancelled"`` and None."""

    def __init__(self, work: Callable[[OpContext], T], parent: QObject) -> None:
        super().__init__(parent)
        self.work: Callable[[OpContext], T] | None = work
        """Dropped once the outcome is handled (on the GUI thread: it may hold widgets)."""
        self.context = OpContext(self.sig_progressed.emit)

    def run(self) -> None:
        work = self.work
        if work is None:
            return
        try:
            result = work(self.context)
        except OpCancelled:
            self.sig_outcome.emit("cancelled", None)
        except Exception as exc:  # every error goes back to the GUI thread to be shown there
            self.sig_outcome.emit("error", exc)
        else:  # a cancel that came after the last check was too late: the work is whole
            self.sig_outcome.emit("ok", result)


class BackgroundOp(QObject, Generic[T]):
    sig_finished = Signal(str)
    """The op ended (``ok``, ``error`` or ``cancelled``) and its callback has run."""
    sig_progressed = Signal(int, int)
    """Progress as reported by the work, on the GUI thread."""

    def __init__(
        self,
        parent: QWidget,
        label: str,
        work: Callable[[OpContext], T],
        *,
        cancellable: bool = True,
        quiet: bool = False,
    ) -> None:
        """``quiet`` work shows no progress window (a recomputation the person did not ask
        for, such as a plot catching up); it can still be cancelled through ``cancel``."""
        super().__init__(parent)
        self.parent_widget: QWidget | None = parent
        self.label = label
        self.cancellable = cancellable
        self.quiet = quiet
        self._thread: _OpThread[T] = _OpThread(work, self)
        self._on_success: Callable[[T], None] = lambda _result: None
        self._on_failure: Callable[[Exception], None] | None = None
        self._on_cancelled: Callable[[], None] = lambda: None
        self.dialog: QProgressDialog | None = None
        self.outcome: str | None = None

    def success(self, callback: Callable[[T], None]) -> BackgroundOp[T]:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[Exception], None]) -> BackgroundOp[T]:
        self._on_failure = callback
        return self

    def cancelled(self, callback: Callable[[], None]) -> BackgroundOp[T]:
        self._on_cancelled = callback
        return self

    @property
    def cancel_requested(self) -> bool:
        return self._thread.context.cancelled

    @property
    def running(self) -> bool:
        return self.outcome is None and self._thread.isRunning()

    def cancel(self) -> None:
        """Ask the work to stop; it ends at its next progress report or check."""
        self._thread.context.request_cancel()

    def run_in_background(self) -> BackgroundOp[T]:
        self._thread.sig_progressed.connect(self._on_thread_progressed)
        self._thread.sig_outcome.connect(self._on_thread_outcome)
        if not self.quiet:
            self._open_dialog()
        self._thread.start()
        return self

    def _open_dialog(self) -> None:
        self.dialog = QProgressDialog(
            self.label, "Cancel" if self.cancellable else "", 0, 0, self.parent_widget
        )
        self.dialog.setWindowTitle(self.label.rstrip("…."))
        if not self.cancellable:
            self.dialog.setCancelButton(None)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setAutoReset(False)
        self.dialog.setAutoClose(False)
        self.dialog.setMinimumDuration(PROGRESS_DELAY_MS)
        self.dialog.setValue(0)
        self.dialog.canceled.connect(self._on_dialog_canceled)
        # Esc closes a dialog through reject() when its Cancel shortcut does not fire (the
        # window not active): that is a cancel too.
        self.dialog.rejected.connect(self._on_dialog_canceled)

    def wait(self) -> None:
        """Block until the work's thread has ended (tests)."""
        self._thread.wait()

    def wait_for_close(self) -> None:
        """Wait for the work as its window closes. Work still running after the wait is kept
        alive elsewhere with its outcome dropped, so the close never hangs (``thread_keeper``)."""
        if self._thread.wait(CLOSE_WAIT_MS):
            return  # ended: its queued outcome arrives as it always did
        self._thread.sig_outcome.disconnect(self._on_thread_outcome)
        self._thread.sig_progressed.disconnect(self._on_thread_progressed)
        wait_or_keep(self._thread, self.label, wait_ms=0)

    def _on_dialog_canceled(self) -> None:
        if self.dialog is not None:
            self.dialog.setLabelText("Cancelling…")
        self.cancel()

    def _on_thread_progressed(self, done: int, total: int) -> None:
        if self.dialog is not None and not self._thread.context.cancelled:
            self.dialog.setMaximum(max(total, 0))  # 0: a busy bar, the total is not known
            self.dialog.setValue(min(done, total) if total > 0 else 0)
        self.sig_progressed.emit(done, total)

    def _on_thread_outcome(self, outcome: str, value: object) -> None:
        # ``value`` (an error's traceback holds the work's frames) is dropped where the event
        # that carried it is, outside this op: see ``_let_go_soon``.
        self._thread.wait()
        self._close_dialog()
        self.outcome = outcome
        try:
            if outcome == "ok":
                self._on_success(value)  # type: ignore[arg-type]
            elif outcome == "cancelled":
                self._on_cancelled()
            elif self._on_failure is not None:
                self._on_failure(value)  # type: ignore[arg-type]
            else:  # nobody handles it: as loud as an error on the GUI thread would be
                error = value if isinstance(value, BaseException) else RuntimeError(value)
                sys.excepthook(type(error), error, error.__traceback__)
        finally:
            self.sig_finished.emit(outcome)
            self._let_go_of_callers()
            self.deleteLater()

    def _let_go_of_callers(self) -> None:
        held: list[object] = [self._on_success, self._on_failure, self._on_cancelled,
                              self._thread.work, self.parent_widget]  # fmt: skip
        self._on_success, self._on_failure = _ignore, None
        self._on_cancelled = _nothing
        self._thread.work = None
        self.parent_widget = None
        _let_go_soon(held)

    def _close_dialog(self) -> None:
        if self.dialog is None:
            return
        self.dialog.canceled.disconnect(self._on_dialog_canceled)
        self.dialog.rejected.disconnect(self._on_dialog_canceled)
        self.dialog.reset()
        self.dialog.hide()
        self.dialog.deleteLater()
        self.dialog = None


def _ignore(_result: object) -> None:
    pass


def _nothing() -> None:
    pass
