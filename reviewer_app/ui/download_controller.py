"""Downloading a reference's arXiv PDF from the window: off the GUI thread, with a progress
dialog that can cancel, and a clear message when the machine is offline."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QProgressDialog

from reviewer_app.errors import ReviewerAppError
from reviewer_app.services import arxiv
from reviewer_app.services.review import ReviewService

if TYPE_CHECKING:
    from reviewer_app.ui.main_window import MainWindow


class _DownloadWorker(QObject):
    sig_progress = Signal(int, int)
    """Bytes received and bytes expected (0 when the server does not say)."""
    sig_finished = Signal(str)
    """The attached file's SHA-256."""
    sig_failed = Signal(str)

    def __init__(
        self,
        service: ReviewService,
        record_id: str,
        reference_url: str,
        reviewer: str,
        base_url: str,
        cancel: threading.Event,
    ) -> None:
        super().__init__()
        self.service, self.record_id, self.reference_url = service, record_id, reference_url
        self.reviewer, self.base_url, self.cancel = reviewer, base_url, cancel

    def run(self) -> None:
        try:
            result = self.service.download_source(
                self.record_id,
                self.reference_url,
                reviewer=self.reviewer,
                progress=lambda done, total: self.sig_progress.emit(done, total or 0),
                cancelled=self.cancel.is_set,
                base_url=self.base_url,
            )
        except ReviewerAppError as exc:
            self.sig_failed.emit(str(exc))
            return
        self.sig_finished.emit(result.source.sha256)


class DownloadController(QObject):
    sig_download_done = Signal(bool)
    """True when a file was downloaded and attached, False when it failed or was cancelled."""

    def __init__(self, window: MainWindow, service: ReviewService) -> None:
        super().__init__(window)
        self.window = window
        self.service = service
        self.base_url = arxiv.ARXIV_URL
        """Where PDFs come from; tests point it at a server on loopback."""
        self.cancel = threading.Event()
        self.thread: QThread | None = None
        self.dialog: QProgressDialog | None = None

    def download_current(self) -> bool:
        """Start downloading the arXiv PDF of the source slot shown; False if there is none."""
        sources = self.window.review.sources
        slot: Any = sources.bar.current_slot()
        if sources.record_id is None or slot is None or not slot.arxiv_id:
            self.window.show_error(
                "Download from arXiv", "Choose a source that cites an arXiv paper first."
            )
            return False
        if self.thread is not None:
            return False
        self.cancel.clear()
        self.dialog = QProgressDialog(
            f"Downloading arXiv:{slot.arxiv_id}…", "Cancel", 0, 0, self.window
        )
        self.dialog.setMinimumDuration(0)
        self.dialog.canceled.connect(self.cancel.set)
        worker = _DownloadWorker(
            self.service,
            sources.record_id,
            slot.reference_url,
            self.window.reviewer_combo.reviewer,
            self.base_url,
            self.cancel,
        )
        self.thread = QThread(self)
        worker.moveToThread(self.thread)
        self.thread.started.connect(worker.run)
        worker.sig_progress.connect(self._on_worker_progress)
        worker.sig_finished.connect(self._on_worker_finished)
        worker.sig_failed.connect(self._on_worker_failed)
        self._worker = worker
        self.thread.start()
        return True

    def _on_worker_progress(self, done: int, total: int) -> None:
        if self.dialog is not None:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total) if total else 0)

    def _on_worker_finished(self, sha256: str) -> None:
        self._stop()
        self.window.review.sources.reload(prefer_sha256=sha256)
        self.window.statusBar().showMessage("Downloaded and attached the source PDF", 10_000)
        self.sig_download_done.emit(True)

    def _on_worker_failed(self, message: str) -> None:
        cancelled = self.cancel.is_set()
        self._stop()
        if not cancelled:
            self.window.show_error("Download failed", message)
        self.sig_download_done.emit(False)

    def _stop(self) -> None:
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel.set)
            self.dialog.reset()
            self.dialog.deleteLater()
            self.dialog = None
        if self.thread is not None:
            self.thread.quit()
            self.thread.wait()
            self.thread = None
        self._worker.deleteLater()
