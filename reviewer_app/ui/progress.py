"""A modal progress dialog for work done on the GUI thread in steps (export, folder scan)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget


class StepProgress:
    """Use as ``with StepProgress(parent, label) as progress:`` and pass ``progress`` on as a
    ``progress(done, total)`` callback. The dialog appears only if the work takes a while."""

    def __init__(self, parent: QWidget, label: str) -> None:
        self.dialog = QProgressDialog(label, "", 0, 100, parent)
        self.dialog.setCancelButton(None)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(400)
        self.steps_seen = 0

    def __enter__(self) -> StepProgress:
        return self

    def __call__(self, done: int, total: int) -> None:
        self.steps_seen += 1
        self.dialog.setMaximum(max(total, 1))
        self.dialog.setValue(min(done, max(total, 1)))
        QApplication.processEvents()  # the bar moves and the window repaints between steps

    def __exit__(self, *_exc: object) -> None:
        self.dialog.reset()
        self.dialog.deleteLater()
