"""Asks the stance and a note for evidence being attached (the N key)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QWidget,
)

from reviewer_app.domain.evidence import Stance


class EvidenceNoteDialog(QDialog):
    def __init__(self, quote: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Attach evidence with a note")
        self.stance = QComboBox(self)
        for stance in Stance:
            self.stance.addItem(stance.value.capitalize(), stance)
        self.note = QPlainTextEdit(self)
        self.note.setPlaceholderText("Why this passage bears on the claim")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Selection", _quote_label(quote))
        form.addRow("Stance", self.stance)
        form.addRow("Note", self.note)
        form.addRow(buttons)

    @classmethod
    def ask(cls, quote: str, parent: QWidget | None = None) -> tuple[Stance, str | None] | None:
        dialog = cls(quote, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.stance.currentData(), dialog.note.toPlainText().strip() or None


def _quote_label(quote: str) -> QLabel:
    shown = " ".join(quote.split())
    label = QLabel(f"“{shown[:200]}{'…' if len(shown) > 200 else ''}”")
    label.setWordWrap(True)
    return label
