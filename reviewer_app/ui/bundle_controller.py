"""The bundle actions of the main window: export, verify, import (also by drag and drop),
and filing a correction. Every question goes through the window's prompts so tests can answer;
export, verify and import run as background ops, after every question has been asked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from reviewer_app.errors import ReviewerAppError
from reviewer_app.ui.bundle_choices import CorrectionText, ExportChoice
from reviewer_app.ui.bundle_wording import (
    UNSIGNED_EXPORT_TITLE,
    import_summary,
    unsigned_export_question,
)
from reviewer_app.ui.bundle_wording import (
    html_text as _text,
)
from reviewer_app.ui.ops import BackgroundOp, OpContext
from reviewer_app.ui.window_prompts import StatusMessage, WindowPrompts

if TYPE_CHECKING:  # the bundle code (signing, zip checks, merging) loads on first use
    from reviewer_app.bundles import VerifyReport
    from reviewer_app.services.bundles import BundleService, ExportResult, ImportResult
    from reviewer_app.services.corrections import CorrectionService

__all__ = ["BundleController", "CorrectionText", "ExportChoice", "describe_report"]


class BundleController(QObject):
    sig_op_finished = Signal(str)
    """An export, verify or import ended: ``ok``, ``error``, ``cancelled`` or ``declined``."""

    def __init__(
        self,
        parent: QWidget,
        prompts: WindowPrompts,
        bundles: Callable[[], BundleService],
        corrections: Callable[[], CorrectionService],
        *,
        current_record: Callable[[], str | None],
        reviewer: Callable[[], str],
        show_status: StatusMessage,
        records_changed: Callable[[], None],
    ) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.prompts = prompts
        self._make_bundles = bundles
        self._bundles: BundleService | None = None
        self._make_corrections = corrections
        """Made on first use, like the bundle service: its module loads the bundle codecs."""
        self.current_record = current_record
        self.reviewer = reviewer
        self.show_status = show_status
        self.records_changed = records_changed
        """Called after an import merged something: the window reloads its records."""
        self.op: BackgroundOp[object] | None = None
        """The op running now; one bundle op at a time."""

    @property
    def bundles(self) -> BundleService:
        if self._bundles is None:
            self._bundles = self._make_bundles()
        return self._bundles

    # -- export --------------------------------------------------------------------------------
    def export_current(self) -> bool:
        """Ask what to export, then write it in the background; False if nothing started."""
        record_id = self.current_record()
        if record_id is None:
            self.prompts.show_error("Export bundle", "Select a record to export first.")
            return False
        if self.op is not None:
            return False
        choice = self.prompts.ask_export_choice(record_id)
        if choice is None:
            return False
        reviewer = self.reviewer()
        # Every question comes before any progress window: a modal progress dialog opened
        # while a question waits would sit on top of it and block it.
        from reviewer_app.services.bundles import SigningReadiness

        readiness = self.bundles.signing_readiness(reviewer)
        allow_unsigned = readiness is not SigningReadiness.READY
        if allow_unsigned and not self.prompts.confirm(
            UNSIGNED_EXPORT_TITLE, unsigned_export_question(readiness)
        ):
            self.sig_op_finished.emit("declined")
            return False

        def export(ctx: OpContext) -> ExportResult:
            return self.bundles.export(
                [record_id],
                choice.path,
                reviewer=reviewer,
                include_pdfs=choice.include_pdfs,
                allow_unsigned=allow_unsigned,
                progress=ctx.progress,
            )

        def exported(result: ExportResult) -> None:
            signed = f"signed by {reviewer}" if result.signed else "unsigned"
            self.show_status(f"Exported {result.path.name} ({signed})")

        self._start(f"Exporting {record_id}…", export, exported, "Export failed",
                    f"Export cancelled; {choice.path.name} was not written")  # fmt: skip
        return True

    # -- verify and import ---------------------------------------------------------------------
    def verify(self, path: Path) -> bool:
        if self.op is not None:
            return False

        def verified(report: VerifyReport) -> None:
            self.prompts.show_info(f"Verify {path.name}", describe_report(report))

        self._start(f"Verifying {path.name}…", lambda _ctx: self.bundles.verify(path), verified,
                    "Cannot verify the bundle", f"Verifying {path.name} cancelled")  # fmt: skip
        return True

    def import_bundle(self, path: Path) -> bool:
        """Verify ``path``, ask about an unsigned one, then merge it; all off the GUI thread."""
        if self.op is not None:
            return False

        def verified(report: VerifyReport) -> None:
            allow_unsigned = False
            if report.intact and not report.signed:
                allow_unsigned = self.prompts.confirm(
                    "Import unsigned bundle?",
                    f"{path.name} is intact but not signed, so nothing shows who made it.\n"
                    "Import it only if you trust where it came from.",
                )
                if not allow_unsigned:
                    self.sig_op_finished.emit("declined")
                    return
            self._start_merge(path, allow_unsigned)

        self._start(f"Checking {path.name}…", lambda _ctx: self.bundles.verify(path), verified,
                    "Cannot import the bundle", f"Import of {path.name} cancelled",
                    finished_on_success=False)  # fmt: skip
        return True

    def _start_merge(self, path: Path, allow_unsigned: bool) -> None:
        def merge(ctx: OpContext) -> ImportResult:
            return self.bundles.import_bundle(
                path, allow_unsigned=allow_unsigned, progress=ctx.progress
            )

        def merged(result: ImportResult) -> None:
            self.records_changed()
            self.prompts.show_info(f"Imported {path.name}", import_summary(result))

        self._start(f"Importing {path.name}…", merge, merged, "Bundle refused",
                    f"Import of {path.name} cancelled; nothing was changed")  # fmt: skip

    def _start(
        self,
        label: str,
        work: Callable[[OpContext], object],
        on_success: Callable[..., None],
        failure_title: str,
        cancelled_message: str,
        *,
        finished_on_success: bool = True,
    ) -> None:
        op: BackgroundOp[object] = BackgroundOp(self.parent_widget, label, work)
        self.op = op

        def succeeded(result: object) -> None:
            self.op = None
            on_success(result)  # may start the next op, or emit "declined" itself
            if finished_on_success:
                self.sig_op_finished.emit("ok")

        def failed(error: Exception) -> None:
            self.op = None
            if not isinstance(error, ReviewerAppError):
                raise error  # a bug, not a refusal: let it be seen as one
            self.prompts.show_error(failure_title, str(error))
            self.sig_op_finished.emit("error")

        def cancelled() -> None:
            self.op = None
            self.show_status(cancelled_message)
            self.sig_op_finished.emit("cancelled")

        op.success(succeeded).failure(failed).cancelled(cancelled).run_in_background()

    # -- corrections ---------------------------------------------------------------------------
    def file_correction(self) -> bool:
        record_id = self.current_record()
        if record_id is None:
            self.prompts.show_error("File a correction", "Select a record first.")
            return False
        text = self.prompts.ask_correction(record_id)
        if text is None:
            return False
        try:
            corrections = self._make_corrections()
            corrections.file(
                record_id,
                reviewer=self.reviewer(),
                what=text.what,
                why=text.why,
                evidence=text.evidence,
            )
        except ReviewerAppError as exc:
            self.prompts.show_error("Correction refused", str(exc))
            return False
        history = corrections.history(record_id)
        self.show_status(
            f"Correction filed: {record_id} is {history.status} with {history.count} correction(s)"
        )
        return True


def describe_report(report: VerifyReport) -> str:
    """The verify result for a message box: the verdict, each problem, then per reviewer the
    key that vouches for their work and what importing would add (HTML, names escaped)."""
    signer = report.signer
    who = _text(f"{signer.reviewer} ({signer.fingerprint})") if signer else "unknown"
    unvouched_only = report.problems and all(p.kind == "unvouched" for p in report.problems)
    if report.ok:
        head = f"<b>Intact and signed</b> by {who}; every row of work is vouched for."
    elif report.intact and report.signed and unvouched_only:
        head = (
            f"<b>Intact and signed</b> by {who}, <b>but some work is not signed by its "
            "author</b>: it would be left out."
        )
    elif report.intact and not report.signed:
        head = "<b>Intact but unsigned</b>: nothing shows who made it."
    else:
        head = "<b>Verification failed.</b>"
    rows = [
        _text(f"{p.kind}: {p.path or '-'}: {p.message}".replace("\t", ", "))
        for p in report.problems
    ]
    reviewers = [
        _text(
            f"{work.name}: vouched for by {work.vouched_by}"
            + (" (key seen for the first time)" if work.first_seen else "")
            + f"; would add {sum(work.would_add.values())}, already here {work.present}"
            + (f", refused {len(work.refused)}" if work.refused else "")
        )
        for work in report.reviewers
    ]
    return "<br>".join([head, *rows, *reviewers, *(_text(w) for w in report.warnings)])
