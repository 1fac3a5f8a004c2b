"""Asks why a verdict that needs evidence has no span ("Why no evidence span?")."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from reviewer_app.domain.evidence import VERDICT_LABELS, Verdict
from reviewer_app.ui.review.keyboard_dialog import ok_cancel, text_box

EMPTY_REASON = "Say why no span can be marked, or press Esc to leave the verdict unset."


class ReasonDialog(QDialog):
    def __init__(self, verdict: Verdict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Why no evidence span?")
        question = QLabel(
            f"“{VERDICT_LABELS[verdict]}” needs an evidence span. Say why none can be marked "
            "(Ctrl+Enter: record, Esc: cancel):",
            self,
        )
        question.setWordWrap(True)
        self.reason = text_box(self, "e.g. the paper is paywalled")
        self.reason.setObjectName("reason_text")
        self.problem = QLabel(self)
        self.problem.setObjectName("reason_problem")
        self.problem.setStyleSheet("color: #b00020")
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(self.reason, 1)
        layout.addWidget(self.problem)
        layout.addWidget(ok_cancel(self))
        self.reason.textChanged.connect(self.problem.hide)
        self.reason.setFocus()
        self.resize(460, 220)

    def text(self) -> str:
        return self.reason.toPlainText().strip()

    def accept(self) -> None:
        if not self.text():  # an empty reason records nothing: say so here, stay open
            self.problem.setText(EMPTY_REASON)
            self.problem.show()
            self.reason.setFocus()
            return
        super().accept()

    @classmethod
    def ask(cls, verdict: Verdict, parent: QWidget | None = None) -> str | None:
        dialog = cls(verdict, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.text()
