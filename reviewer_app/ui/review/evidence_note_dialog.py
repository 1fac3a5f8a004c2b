"""Asks the stance and a note for evidence being attached (the N key)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QWidget

from reviewer_app.domain.evidence import Stance
from reviewer_app.ui.review.keyboard_dialog import ok_cancel, text_box


class EvidenceNoteDialog(QDialog):
    def __init__(self, quote: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Attach evidence with a note")
        self.stance = QComboBox(self)
        self.stance.setObjectName("note_stance")
        for stance in Stance:
            self.stance.addItem(stance.value.capitalize(), stance.value)
        self.note = text_box(self, "Why this passage bears on the claim (Ctrl+Enter: attach)")
        self.note.setObjectName("note_text")
        form = QFormLayout(self)
        form.addRow("Selection", _quote_label(quote))
        form.addRow("&Stance", self.stance)
        form.addRow("N&ote", self.note)
        form.addRow(ok_cancel(self))
        self.note.setFocus()

    def answer(self) -> tuple[Stance, str | None]:
        # Qt hands a str-based enum back as a plain str: turn it into a Stance here, once.
        return Stance(self.stance.currentData()), self.note.toPlainText().strip() or None

    @classmethod
    def ask(cls, quote: str, parent: QWidget | None = None) -> tuple[Stance, str | None] | None:
        dialog = cls(quote, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.answer()


def _quote_label(quote: str) -> QLabel:
    shown = " ".join(quote.split())
    label = QLabel(f"“{shown[:200]}{'…' if len(shown) > 200 else ''}”")
    label.setWordWrap(True)
    return label
