"""Asks what is wrong with a record, why, and on what evidence."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from reviewer_app.ui.bundle_choices import CorrectionText


class CorrectionDialog(QDialog):
    def __init__(self, record_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"File a correction to {record_id}")
        self.what = QPlainTextEdit(self)
        self.what.setPlaceholderText("What is wrong (e.g. claim 4 misstates the negation result)")
        self.why = QPlainTextEdit(self)
        self.why.setPlaceholderText("Why: what the source actually says")
        self.evidence = QLineEdit(self)
        self.evidence.setPlaceholderText("Evidence: page, quote or link (optional)")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("What", self.what)
        form.addRow("Why", self.why)
        form.addRow("Evidence", self.evidence)
        form.addRow(buttons)

    @classmethod
    def ask(cls, record_id: str, parent: QWidget | None = None) -> CorrectionText | None:
        dialog = cls(record_id, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        what, why = dialog.what.toPlainText().strip(), dialog.why.toPlainText().strip()
        if not what or not why:
            return None
        return CorrectionText(what, why, dialog.evidence.text().strip() or None)
