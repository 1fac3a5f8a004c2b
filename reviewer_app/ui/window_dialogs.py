"""The window's standard questions and messages: file pickers, confirmations, error boxes.

``MainWindow`` points its replaceable ``ask_*``/``show_*`` attributes at these, so tests swap
one attribute for a stub and every other dialog stays real.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from reviewer_app.domain.evidence import Verdict
from reviewer_app.ui.bundle_choices import CorrectionText, ExportChoice
from reviewer_app.ui.correction_dialog import CorrectionDialog
from reviewer_app.ui.review.reason_dialog import ReasonDialog


class WindowDialogs:
    def __init__(self, parent: QWidget, confirm: Callable[[str, str], bool]) -> None:
        self.parent = parent
        self.confirm = confirm
        """Asks yes/no; the export dialog asks through it, so a test's stub answers there too."""

    def confirm_box(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self.parent, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def export_choice(self, record_id: str) -> ExportChoice | None:
        suggested = str(Path.home() / f"{record_id.replace(':', '_')}-review.zip")
        name, _ = QFileDialog.getSaveFileName(
            self.parent, "Export review bundle", suggested, "Bundles (*.zip)"
        )
        if not name:
            return None
        include = self.confirm(
            "Include source PDFs?", "Put the attached source PDFs in the bundle?"
        )
        return ExportChoice(Path(name), include)

    def bundle_path(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self.parent, "Review bundle", "", "Bundles (*.zip)")
        return Path(name) if name else None

    def correction(self, record_id: str) -> CorrectionText | None:
        return CorrectionDialog.ask(record_id, self.parent)

    def error_box(self, title: str, text: str) -> None:
        QMessageBox.warning(self.parent, title, text)

    def info_box(self, title: str, html: str) -> None:
        QMessageBox.information(self.parent, title, html)

    def pdf_path(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self.parent, "Open PDF", "", "PDF files (*.pdf)")
        return Path(name) if name else None

    def folder(self) -> Path | None:
        name = QFileDialog.getExistingDirectory(self.parent, "Scan a folder for source PDFs")
        return Path(name) if name else None

    def reason(self, verdict: Verdict) -> str | None:
        return ReasonDialog.ask(verdict, self.parent)

    def record_paths(self) -> list[Path]:
        names, _ = QFileDialog.getOpenFileNames(
            self.parent, "Import records", "", "Synthesis text files (*.txt);;All files (*)"
        )
        return [Path(name) for name in names]
