"""A function run on a ``QThreadPool`` whose result or error comes back as a signal.

The signals object is made on the GUI thread, so the connected slots run there; connect
bound methods of a ``QObject`` and Qt drops the result once that object is gone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Signals(QObject):
    sig_finished = Signal(object)
    """The work's result."""
    sig_failed = Signal(str)
    """The work raised: its message."""


class PoolTask(QRunnable):
    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self.signals = _Signals()
        self._work = work
        self.setAutoDelete(False)  # the caller keeps it until its signal has arrived

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as exc:  # shown by the caller, on the GUI thread
            self.signals.sig_failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.signals.sig_finished.emit(result)


def start_task(
    pool: QThreadPool,
    work: Callable[[], Any],
    on_finished: Callable[[Any], None],
    on_failed: Callable[[str], None],
) -> PoolTask:
    """Run ``work`` on ``pool``; keep the returned task referenced until it reports."""
    task = PoolTask(work)
    task.signals.sig_finished.connect(on_finished)
    task.signals.sig_failed.connect(on_failed)
    pool.start(task)
    return task
