"""Answer the window's real modal dialogs from the keyboard, as a person would.

A modal dialog runs its own event loop, so a test cannot press keys after the call that opened
it; it schedules the answers first. ``ModalDriver`` watches for the active modal widget on a
short timer, and when the next scripted step matches, notes what else is on screen (progress
windows) and presses that step's keys. No sleeps: each step waits on the dialog appearing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QProgressDialog, QWidget


@dataclass
class SeenDialog:
    title: str
    text: str
    progress_windows: list[str]
    """Label texts of the QProgressDialogs existing while this dialog was asking."""


@dataclass
class _Step:
    title: str
    answer: Callable[[QWidget], None]


@dataclass
class ModalDriver(QObject):
    steps: list[_Step] = field(default_factory=list)
    seen: list[SeenDialog] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__()
        self.timer = QTimer()
        self.timer.setInterval(15)
        self.timer.timeout.connect(self._on_timer_timeout)
        self.timer.start()

    def then(self, title: str, answer: Callable[[QWidget], None]) -> ModalDriver:
        """When a modal dialog titled ``title`` is active, record it and call ``answer``."""
        self.steps.append(_Step(title, answer))
        return self

    @property
    def done(self) -> bool:
        return not self.steps

    def stop(self) -> None:
        self.timer.stop()

    def _on_timer_timeout(self) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not self.steps or dialog.windowTitle() != self.steps[0].title:
            return
        if isinstance(dialog, QProgressDialog):
            return
        step = self.steps.pop(0)
        text = getattr(dialog, "text", lambda: "")()
        progress = [
            w.labelText() for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog)
        ]
        self.seen.append(SeenDialog(dialog.windowTitle(), text, progress))
        step.answer(dialog)


def press(key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier):
    """An answer pressing one key in the dialog's focused widget."""

    def answer(dialog: QWidget) -> None:
        QTest.keyClick(dialog.focusWidget() or dialog, key, modifiers)

    return answer


def type_file_name(path: str):
    """An answer putting ``path`` into a Qt file dialog's name field and pressing Enter."""

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog), dialog
        edit = dialog.findChild(QLineEdit, "fileNameEdit")
        assert edit is not None
        edit.setFocus()
        # Set, not typed: typing a path pops up the completer over other folders in /tmp,
        # and Enter would then pick a completion instead of accepting the dialog.
        edit.setText(path)
        QTest.keyClick(edit, Qt.Key.Key_Return)

    return answer
