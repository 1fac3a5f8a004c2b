"""The bundle actions of the main window: export, verify, import (also by drag and drop),
and filing a correction. Every question goes through a hook on the window so tests can answer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from reviewer_app.bundles import SigningUnavailable, VerifyReport
from reviewer_app.errors import ReviewerAppError
from reviewer_app.services.bundles import BundleService
from reviewer_app.services.corrections import CorrectionService
from reviewer_app.ui.progress import StepProgress

if TYPE_CHECKING:
    from reviewer_app.ui.main_window import MainWindow


@dataclass(frozen=True)
class ExportChoice:
    path: Path
    include_pdfs: bool


@dataclass(frozen=True)
class CorrectionText:
    what: str
    why: str
    evidence: str | None


class BundleController(QObject):
    def __init__(
        self, window: MainWindow, bundles: BundleService, corrections: CorrectionService
    ) -> None:
        super().__init__(window)
        self.window = window
        self.bundles = bundles
        self.corrections = corrections

    # -- export --------------------------------------------------------------------------------
    def export_current(self) -> Path | None:
        record_id = self.window.current_record_id
        if record_id is None:
            self.window.show_error("Export bundle", "Select a record to export first.")
            return None
        choice = self.window.ask_export_choice(record_id)
        if choice is None:
            return None
        reviewer = self.window.reviewer_combo.reviewer
        allow_unsigned = False
        with StepProgress(self.window, f"Exporting {record_id}…") as progress:
            while True:
                try:
                    result = self.bundles.export(
                        [record_id],
                        choice.path,
                        reviewer=reviewer,
                        include_pdfs=choice.include_pdfs,
                        allow_unsigned=allow_unsigned,
                        progress=progress,
                    )
                    break
                except SigningUnavailable as exc:
                    # Asked once: a second refusal cannot happen with allow_unsigned set.
                    if allow_unsigned or not self.window.confirm(
                        "Export unsigned?", f"{exc}\n\nExport without a signature?"
                    ):
                        return None
                    allow_unsigned = True
                except ReviewerAppError as exc:
                    self.window.show_error("Export failed", str(exc))
                    return None
        signed = f"signed by {reviewer}" if result.signed else "unsigned"
        self.window.statusBar().showMessage(f"Exported {result.path.name} ({signed})", 10_000)
        return result.path

    # -- verify and import ---------------------------------------------------------------------
    def verify(self, path: Path) -> VerifyReport | None:
        try:
            report = self.bundles.verify(path)
        except ReviewerAppError as exc:
            self.window.show_error("Cannot verify the bundle", str(exc))
            return None
        self.window.show_info(f"Verify {path.name}", describe_report(report))
        return report

    def import_bundle(self, path: Path) -> bool:
        try:
            report = self.bundles.verify(path)
        except ReviewerAppError as exc:
            self.window.show_error("Cannot import the bundle", str(exc))
            return False
        allow_unsigned = False
        if report.intact and not report.signed:
            allow_unsigned = self.window.confirm(
                "Import unsigned bundle?",
                f"{path.name} is intact but not signed, so nothing shows who made it.\n"
                "Import it only if you trust where it came from.",
            )
            if not allow_unsigned:
                return False
        try:
            result = self.bundles.import_bundle(path, allow_unsigned=allow_unsigned)
        except ReviewerAppError as exc:
            self.window.show_error("Bundle refused", str(exc))
            return False
        self.window.reload_records()
        lines = [
            f"{merge.record_id}: {merge.revision_status}, "
            + (", ".join(f"{n} {kind}" for kind, n in sorted(merge.added.items())) or "nothing new")
            for merge in result.records
        ]
        self.window.show_info(f"Imported {path.name}", "<br>".join(lines + result.warnings))
        if self.window.current_record_id:
            self.window.show_record(self.window.current_record_id)
        return True

    # -- corrections ---------------------------------------------------------------------------
    def file_correction(self) -> bool:
        record_id = self.window.current_record_id
        if record_id is None:
            self.window.show_error("File a correction", "Select a record first.")
            return False
        text = self.window.ask_correction(record_id)
        if text is None:
            return False
        try:
            self.corrections.file(
                record_id,
                reviewer=self.window.reviewer_combo.reviewer,
                what=text.what,
                why=text.why,
                evidence=text.evidence,
            )
        except ReviewerAppError as exc:
            self.window.show_error("Correction refused", str(exc))
            return False
        history = self.corrections.history(record_id)
        self.window.statusBar().showMessage(
            f"Correction filed: {record_id} is {history.status} with {history.count} correction(s)",
            10_000,
        )
        return True


def describe_report(report: VerifyReport) -> str:
    if report.ok:
        signer = report.signer
        who = f"{signer.reviewer} ({signer.fingerprint})" if signer else "unknown"
        head = f"<b>Intact and signed</b> by {who}."
    elif report.intact and not report.signed:
        head = "<b>Intact but unsigned</b>: nothing shows who made it."
    else:
        head = "<b>Verification failed.</b>"
    rows = [f"{p.kind}: {p.path or '-'}: {p.message}" for p in report.problems]
    return "<br>".join([head, *rows, *report.warnings])
