"""Which source PDF is shown: the record's slots in the sources bar, the newest file of the
chosen slot in the PDF view, and attaching files by dialog, drop or folder scan."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog

from reviewer_app.errors import ReviewerAppError
from reviewer_app.ui.ops import BackgroundOp, OpContext
from reviewer_app.ui.review.sources_bar import SourcesBar

if TYPE_CHECKING:
    from reviewer_app.ui.main_window import MainWindow


class SourcesController(QObject):
    sig_source_shown = Signal(str)
    """An attached source file is now shown in the PDF view: its SHA-256."""

    def __init__(self, window: MainWindow, service: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window = window
        self.service = service
        self.bar = SourcesBar(window.app_actions, window)
        window.pdf_pane.add_bar(self.bar)
        self.record_id: str | None = None
        self.current_sha256: str | None = None
        self.scan_op: BackgroundOp[Any] | None = None
        """The folder scan running in the background, if any."""
        self.bar.sig_slot_chosen.connect(self.show_slot)
        actions = window.app_actions
        actions["attach_pdf"].triggered.connect(self._on_attach_triggered)
        actions["scan_folder"].triggered.connect(self._on_scan_triggered)
        actions["assign_source"].triggered.connect(self._on_assign_triggered)
        self.ask_reference: Callable[[list[str], int], str | None] = self._ask_reference
        """Replaceable by tests: which reference (of ``choices``) the PDF shown belongs to."""
        window.pdf_pane.view.on_pdf_dropped = self._on_pdf_dropped

    def show_record(self, record_id: str) -> None:
        self.record_id = record_id
        self.current_sha256 = None  # the file shown belongs to the previous record
        for name in ("attach_pdf", "scan_folder"):
            self.window.app_actions[name].setEnabled(True)
        self.reload(prefer_sha256=None)

    def reload(self, prefer_sha256: str | None) -> None:
        """Re-read the slots; show the one holding ``prefer_sha256``, else the first with a file."""
        if self.record_id is None:
            return
        try:
            slots = self.service.source_slots(self.record_id)
        except ReviewerAppError as exc:
            self.window.show_error("Cannot list the sources", str(exc))
            slots = []
        index = next(
            (i for i, s in enumerate(slots) if any(f.sha256 == prefer_sha256 for f in s.files)),
            next((i for i, s in enumerate(slots) if s.files), 0),
        )
        self.bar.set_slots(slots, index)
        self.show_slot(index)

    def show_slot(self, index: int) -> None:
        slot = self.bar.slots[index] if 0 <= index < len(self.bar.slots) else None
        if slot is None or not slot.files:
            self.current_sha256 = None
            self.window.app_actions["assign_source"].setEnabled(False)
            self.window.pdf_pane.view.close_document()
            self.sig_source_shown.emit("")
            return
        newest = slot.files[0]
        try:
            path = Path(self.service.source_path(newest.sha256))
        except ReviewerAppError as exc:
            self.window.show_error("Cannot open the source", str(exc))
            return
        opened = self.window.open_pdf(path, shown_as=newest.file_name)
        self.current_sha256 = newest.sha256 if opened else None
        self.window.app_actions["assign_source"].setEnabled(self.current_sha256 is not None)
        self.sig_source_shown.emit(self.current_sha256 or "")

    # -- attaching -----------------------------------------------------------------------------
    def attach(self, pdf_path: Path) -> bool:
        if self.record_id is None:
            self.window.show_error("No record chosen", "Choose the record the PDF is a source of.")
            return False
        slot = self.bar.current_slot()
        # The service matches the file by the arXiv id in its name or first page; only a file
        # that names none goes to the reference on screen.
        shown = slot.reference_url if slot is not None else None
        try:
            result = self.service.attach_pdf(
                self.record_id, pdf_path, fallback_url=shown,
                reviewer=self.window.reviewer_combo.reviewer,
            )  # fmt: skip
        except ReviewerAppError as exc:
            self.window.show_error("PDF not attached", str(exc))
            return False
        self.reload(prefer_sha256=result.source.sha256)
        # after the reload, whose opening of the PDF writes its own message
        self.window.statusBar().showMessage(_attach_message(result), 15000)
        if result.warnings:  # e.g. a cut-off download: worth more than a passing message
            self.window.show_info(
                "PDF attached with a warning",
                "<br>".join(html.escape(w, quote=False) for w in result.warnings),
            )
        return True

    def _on_assign_triggered(self) -> None:
        """Assign the file shown to the reference the reviewer picks (any file, any time)."""
        sha, slot = self.current_sha256, self.bar.current_slot()
        if self.record_id is None or sha is None:
            return
        urls = [s.reference_url for s in self.bar.slots if s.reference_url]
        current = urls.index(slot.reference_url) if slot and slot.reference_url in urls else 0
        chosen = self.ask_reference(urls, current)
        if chosen is None:
            return
        try:
            result = self.service.attach_pdf(
                self.record_id, Path(self.service.source_path(sha)), reference_url=chosen,
                reviewer=self.window.reviewer_combo.reviewer,
            )  # fmt: skip
        except ReviewerAppError as exc:
            self.window.show_error("PDF not assigned", str(exc))
            return
        self.reload(prefer_sha256=sha)
        self.window.statusBar().showMessage(
            f"{result.source.file_name} is now the source of {chosen}", 15000
        )

    def _ask_reference(self, choices: list[str], current: int) -> str | None:
        chosen, accepted = QInputDialog.getItem(
            self.window, "Assign the PDF to a reference", "Reference:", choices, current, False
        )
        return chosen if accepted and chosen else None

    def _on_attach_triggered(self) -> None:
        path = self.window.ask_pdf_path()
        if path is not None:
            self.attach(path)

    def _on_pdf_dropped(self, path: Path) -> None:
        if self.record_id is None:
            self.window.open_pdf(path)  # nothing to attach to: just read it
        else:
            self.attach(path)

    def _on_scan_triggered(self) -> None:
        if self.scan_op is not None:
            return
        folder = self.window.ask_folder()
        if folder is None or self.record_id is None:
            return
        skipped: list[str] = []
        record_id, reviewer = self.record_id, self.window.reviewer_combo.reviewer

        def scan(ctx: OpContext) -> list[Any]:
            # Each file is attached whole in its own transaction; Cancel stops between files.
            return self.service.scan_folder(
                record_id, folder, reviewer=reviewer, progress=ctx.progress,
                on_skipped=lambda path, why: skipped.append(f"{path.name}: {why}"),
            )  # fmt: skip

        self.scan_op = (
            BackgroundOp(self.window, f"Scanning {folder} for source PDFs…", scan)
            .success(lambda results: self._on_scan_done(folder, results, skipped))
            .failure(lambda exc: self._on_scan_failed(exc))
            .cancelled(lambda: self._on_scan_done(folder, None, skipped))
            .run_in_background()
        )

    def _on_scan_failed(self, exc: Exception) -> None:
        self.scan_op = None
        if not isinstance(exc, ReviewerAppError):
            raise exc
        self.window.show_error("Folder not scanned", str(exc))

    def _on_scan_done(self, folder: Path, results: list[Any] | None, skipped: list[str]) -> None:
        """``results`` is None when the scan was cancelled (the files attached so far stay)."""
        self.scan_op = None
        if results is None:
            self.reload(prefer_sha256=self.current_sha256)
            self.window.statusBar().showMessage(f"Scan of {folder} cancelled", 10000)
            return
        self.reload(prefer_sha256=results[-1].source.sha256 if results else self.current_sha256)
        # after the reload, whose opening of the PDF writes its own message
        self.window.statusBar().showMessage(
            f"{len(results)} PDF(s) in {folder} matched the record's references"
            + (f"; {len(skipped)} left alone" if skipped else ""),
            10000,
        )
        if skipped and not results:
            self.window.show_info(
                "No PDF matched", "No PDF in the folder names one of the record's arXiv "
                "references:<br>" + "<br>".join(html.escape(line, quote=False) for line in skipped),
            )  # fmt: skip


def _attach_message(result: Any) -> str:
    message = _attached_message(result)
    return f"{message} (with a warning)" if result.warnings else message


def _attached_message(result: Any) -> str:
    name = result.source.file_name
    if result.already_attached:
        return f"{name} was already attached"
    report = result.reanchor
    if report is None:
        return f"Attached {name}"
    counts: dict[str, int] = {}
    for anchoring in report.results:
        status = str(getattr(anchoring.status, "value", anchoring.status))
        counts[status] = counts.get(status, 0) + 1
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    return f"Attached {name}; evidence re-anchored: {summary or 'none to move'}"
