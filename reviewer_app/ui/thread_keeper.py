"""Worker threads that have not ended when their window closes.

A closing window asks its workers to stop and waits for them, but only for a while: a worker
stuck in a network call (a team server that stopped answering) must not freeze the window's
close, and so the whole app. Such a thread cannot be killed, and Qt aborts the process if a
running ``QThread`` is destroyed with its parent, so it is taken out of the window's object tree
and kept here until it ends on its own; its results go nowhere.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QThread, QThreadPool

CLOSE_WAIT_MS = 10_000
"""How long a closing window waits for each of its workers."""

_kept: list[object] = []


def _forget(group: list[QObject]) -> None:
    for item in group:
        if any(kept_object is item for kept_object in _kept):
            _kept.remove(item)


def wait_or_keep(
    thread: QThread, what: str, *also: QObject, wait_ms: int = CLOSE_WAIT_MS
) -> bool:
    """Wait for ``thread``; if it is still running after ``wait_ms``, keep it (and ``also``,
    the objects its work uses) alive here until it ends.

    Returns True when the thread ended within the wait. The caller disconnects the thread's
    signals from anything that dies with the window before calling this."""
    if thread.wait(wait_ms):
        return True
    thread.setParent(None)
    group = [thread, *also]
    _kept.extend(group)
    thread.finished.connect(lambda: _forget(group))
    _say_kept(what)
    return False


def wait_or_keep_pool(
    pool: QThreadPool, what: str, *also: object, wait_ms: int = CLOSE_WAIT_MS
) -> bool:
    """The same for a thread pool (its destructor would otherwise wait for ever)."""
    if any(kept_object is pool for kept_object in _kept):
        return False  # given up on already: waiting again would only delay the close
    if pool.waitForDone(wait_ms):
        return True
    pool.setParent(None)
    _kept.extend([pool, *also])  # a pool has no "finished" signal: kept for the process's life
    _say_kept(what)
    return False


def _say_kept(what: str) -> None:
    print(f"reviewer-app: {what} still running after its window closed; it ends on its own",
          file=sys.stderr)  # fmt: skip


def kept() -> list[object]:
    """What is being kept now (tests)."""
    return list(_kept)
