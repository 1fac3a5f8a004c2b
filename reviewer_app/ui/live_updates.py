"""Colleagues' work appearing live in the window (team workspaces on PostgreSQL, issue 14).

A worker thread LISTENs on a connection of its own (``storage.notifications``); each batch of
changes reaches the GUI thread as a queued signal, and only the record on screen is re-read
(comparison, conflicts, tier, grounding and plots; the reviewer's own sheet form is left as
typed), and of those only the tab in view at once, the others when their tab is shown. A lost
connection shows a banner until the listener is back; then everything is re-read in case
something was missed.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QLabel, QSizePolicy, QToolBar

from reviewer_app.errors import ReviewerAppError
from reviewer_app.storage.notifications import (
    Change,
    ChangeListener,
    ListenerLost,
    supports_listening,
)
from reviewer_app.ui.thread_keeper import wait_or_keep

if TYPE_CHECKING:
    from reviewer_app.ui.window_parts import LiveWindow

WAIT_S = 0.25
RECONNECT_DELAYS_S = (0.5, 1.0, 2.0, 5.0)
BANNER_STYLE = "background: #b71c1c; color: white; font-weight: bold; padding: 4px 8px;"
RECORD_VIEWS = ("comparison", "conflicts", "tier_panel", "grounding", "plots")
"""The scoring dock's views of the record on screen that colleagues' work changes."""
RECORD_TABLES = frozenset(
    {"score_sheets", "claim_verdicts", "evidence_spans", "adjudications", "tier_results",
     "corrections", "source_files", "gate_artifacts", "gate_attestations"}
)  # fmt: skip


def banner_text(reason: str) -> str:
    return (
        f"Connection to the team database lost ({reason}). Reconnecting… Your form and "
        "verdict choices stay in the window; anything you save before the connection is back "
        "is refused with a message saying what was not saved."
    )


class ListenWorker(QObject):
    """Runs on its own QThread: wait for notifications, reconnect with back-off when lost."""

    sig_changes_received = Signal(list)
    """A batch of ``Change`` objects, in order of arrival."""
    sig_connection_lost = Signal(str)
    """The listening connection is gone; the argument says why."""
    sig_connection_restored = Signal()
    """Listening again after a loss (changes in between may have been missed)."""
    sig_listening = Signal()
    """LISTEN is in place (first connection or a reconnection): changes from now on arrive."""

    def __init__(self, listener: ChangeListener) -> None:
        super().__init__()
        self._listener = listener
        self._stop = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    @Slot()
    def run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                if not self._listener.connected:
                    self._listener.connect()
                    self.sig_listening.emit()
                    if failures:
                        self.sig_connection_restored.emit()
                    failures = 0
                changes = self._listener.wait(WAIT_S)
            except ListenerLost as exc:
                if not failures:
                    self.sig_connection_lost.emit(str(exc))
                delay = RECONNECT_DELAYS_S[min(failures, len(RECONNECT_DELAYS_S) - 1)]
                failures += 1
                self._stop.wait(delay)  # returns at once when stopping
                continue
            if changes:
                self.sig_changes_received.emit(changes)
        self._listener.close()


class LiveUpdates(QObject):
    """Wires a listener to one main window: banner, re-reads of the record on screen."""

    sig_repainted = Signal(list)
    """The window shows the changes of this batch (``Change`` list); for tests and benchmarks."""

    def __init__(self, window: LiveWindow, listener: ChangeListener) -> None:
        super().__init__(window)
        self.window = window
        self.banner = QLabel()
        self.banner.setObjectName("connection_banner")
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.setWordWrap(True)
        # as wide as the window: a toolbar otherwise squeezes it into a tall narrow box
        self.banner.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.banner_bar = QToolBar("Connection", window)
        self.banner_bar.setObjectName("connection_banner_bar")
        self.banner_bar.setMovable(False)
        self.banner_bar.addWidget(self.banner)
        window.addToolBarBreak()
        window.addToolBar(self.banner_bar)
        self.banner_bar.hide()
        self._stale: set[str] = set()
        """Views (dock attribute names) whose data changed since they were last read."""
        self._pending: list[Change] = []
        self._repaint_scheduled = False
        self.listening = False
        """True once the worker LISTENs (set on the GUI thread), False while the link is down."""
        self._thread = QThread(self)
        self._worker = ListenWorker(listener)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.sig_changes_received.connect(self._on_worker_changes_received)
        self._worker.sig_connection_lost.connect(self._on_worker_connection_lost)
        self._worker.sig_connection_restored.connect(self._on_worker_connection_restored)
        self._worker.sig_listening.connect(self._on_worker_listening)
        window.scoring_dock.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self._thread.start()

    @classmethod
    def attach(cls, window: LiveWindow) -> LiveUpdates | None:
        """Live updates for a PostgreSQL workspace; None for SQLite (a single-user file)."""
        database = window.workspace.database
        if not supports_listening(database):
            return None
        return cls(window, ChangeListener.for_database(database))

    @property
    def connection_lost(self) -> bool:
        return not self.banner_bar.isHidden()

    def stop(self) -> None:
        """End the worker and disconnect (the window is closing)."""
        self._worker.stop()
        self._thread.quit()
        self._worker.sig_changes_received.disconnect(self._on_worker_changes_received)
        self._worker.sig_connection_lost.disconnect(self._on_worker_connection_lost)
        self._worker.sig_connection_restored.disconnect(self._on_worker_connection_restored)
        self._worker.sig_listening.disconnect(self._on_worker_listening)
        self.window.scoring_dock.tabs.currentChanged.disconnect(self._on_tabs_current_changed)
        # its calls are bounded (connect timeout, keepalives), but a close must never hang
        wait_or_keep(self._thread, "the team live-updates listener", self._worker)

    def _on_worker_changes_received(self, changes: list[Change]) -> None:
        # Batches queued while the window was busy are read once, together: a burst of
        # colleagues' writes costs one re-read, so the window never falls behind.
        self._pending.extend(changes)
        if not self._repaint_scheduled:
            self._repaint_scheduled = True
            QTimer.singleShot(0, self._repaint_pending)

    def _repaint_pending(self) -> None:
        changes, self._pending, self._repaint_scheduled = self._pending, [], False
        shown = self.window.scoring_dock.record_id
        touched = {c.record_id for c in changes if c.table in RECORD_TABLES}
        workspace_wide = any(c.record_id is None for c in changes)
        if touched or workspace_wide:
            self._stale.add("overview")
        if shown is not None and (shown in touched or workspace_wide):
            self._stale.update(RECORD_VIEWS)
        self._refresh_visible()
        self.sig_repainted.emit(changes)

    def _on_worker_listening(self) -> None:
        self.listening = True

    def _on_worker_connection_lost(self, reason: str) -> None:
        self.listening = False
        self.banner.setText(banner_text(reason))
        self.banner_bar.show()
        self.window.statusBar().showMessage("Team database connection lost; reconnecting…")

    def _on_worker_connection_restored(self) -> None:
        self.banner_bar.hide()
        self.window.statusBar().showMessage("Team database connection restored", 5000)
        self._stale.update({*RECORD_VIEWS, "overview"})
        self._refresh_visible()

    def _on_tabs_current_changed(self, _index: int) -> None:
        self._refresh_visible()

    def _refresh_visible(self) -> None:
        """Re-read the stale view in sight; the others wait until their tab is shown (the
        plots cost ~100 ms to redraw, which a burst of colleagues' writes must not pay)."""
        dock = self.window.scoring_dock
        current = dock.tabs.currentWidget()
        name = next((n for n in (*RECORD_VIEWS, "overview") if getattr(dock, n) is current), None)
        if name is None or name not in self._stale:
            return
        try:
            self._refresh(name)
        except ReviewerAppError as exc:  # the connection may drop between notice and read
            self.window.statusBar().showMessage(f"Colleagues' changes not shown yet: {exc}")
            return
        self._stale.discard(name)

    def _refresh(self, name: str) -> None:
        dock = self.window.scoring_dock
        if name == "overview":
            dock.overview.refresh()
            return
        if dock.record_id is None:
            return
        viewer = dock.reviewer_provider()
        if name == "comparison":
            dock.comparison.show_record(dock.record_id, viewer)
        elif name == "conflicts":
            dock.conflicts.show_record(dock.record_id)
        elif name == "tier_panel":
            dock.tier_panel.show_record(dock.record_id)
        elif name == "grounding":
            dock.grounding.show_record(dock.record_id, viewer)
        else:
            dock.plots.show_record(dock.record_id, viewer)


def latency_s(change: Change, now: float | None = None) -> float | None:
    """Seconds from the writing statement to now (None when the server sent no time)."""
    if change.sent_at is None:
        return None
    return (time.time() if now is None else now) - change.sent_at
