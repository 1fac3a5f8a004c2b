"""Downloading a reference's arXiv PDF from the window: a background op with a progress
window that can cancel, and a clear message when the machine is offline."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from reviewer_app.errors import ReviewerAppError
from reviewer_app.services import arxiv
from reviewer_app.services.review import ReviewService
from reviewer_app.ui.ops import BackgroundOp, OpContext
from reviewer_app.ui.window_prompts import StatusMessage, WindowPrompts


class ShownSources(Protocol):
    """The record's source slots as the window shows them (the sources controller)."""

    record_id: str | None
    bar: Any

    def reload(self, prefer_sha256: str | None) -> None: ...


class DownloadController(QObject):
    sig_download_done = Signal(bool)
    """True when a file was downloaded and attached, False when it failed or was cancelled."""

    def __init__(
        self,
        parent: QWidget,
        prompts: WindowPrompts,
        service: ReviewService,
        sources: ShownSources,
        *,
        reviewer: Callable[[], str],
        show_status: StatusMessage,
    ) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.prompts = prompts
        self.service = service
        self.sources = sources
        self.reviewer = reviewer
        self.show_status = show_status
        self.base_url = arxiv.ARXIV_URL
        """Where PDFs come from; tests point it at a server on loopback."""
        self.op: BackgroundOp[str] | None = None

    def download_current(self) -> bool:
        """Start downloading the arXiv PDF of the source slot shown; False if there is none."""
        slot: Any = self.sources.bar.current_slot()
        record_id = self.sources.record_id
        if record_id is None or slot is None or not slot.arxiv_id:
            self.prompts.show_error(
                "Download from arXiv", "Choose a source that cites an arXiv paper first."
            )
            return False
        if self.op is not None:
            return False
        reviewer, base_url, reference_url = self.reviewer(), self.base_url, slot.reference_url

        def download(ctx: OpContext) -> str:
            result = self.service.download_source(
                record_id,
                reference_url,
                reviewer=reviewer,
                progress=lambda done, total: ctx.progress(done, total or 0),
                cancelled=lambda: ctx.cancelled,
                base_url=base_url,
            )
            return result.source.sha256

        self.op = (
            BackgroundOp(self.parent_widget, f"Downloading arXiv:{slot.arxiv_id}…", download)
            .success(self._on_downloaded)
            .failure(self._on_failed)
            .cancelled(lambda: self._on_failed(None))
            .run_in_background()
        )
        return True

    def _on_downloaded(self, sha256: str) -> None:
        self.op = None
        self.sources.reload(prefer_sha256=sha256)
        self.show_status("Downloaded and attached the source PDF")
        self.sig_download_done.emit(True)

    def _on_failed(self, error: Exception | None) -> None:
        """``error`` is None when the person cancelled (nothing to tell them then)."""
        cancelled = error is None or (self.op is not None and self.op.cancel_requested)
        self.op = None
        if error is not None and not isinstance(error, ReviewerAppError):
            raise error
        if not cancelled:
            self.prompts.show_error("Download failed", str(error))
        self.sig_download_done.emit(False)
