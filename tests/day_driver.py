"""Drives the real main window the way a reviewer does: key presses sent to whatever widget has
the focus, mouse clicks and drags at on-screen positions, real dialogs answered by keyboard.

Shared by the defect tests and the working-day suite; nothing here calls into the window to do
the work, it only finds where to click and reads what is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPoint, QPointF, QSettings, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QProgressDialog,
    QTabBar,
    QToolButton,
    QWidget,
)

from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.models import Roles

SCREENS = {"laptop": (1366, 768), "desktop": (1920, 1080)}


def open_window(
    qtbot, workspace: Workspace, settings: QSettings | None, size: tuple[int, int] | None = None
) -> MainWindow:
    """A shown, active main window; message boxes are collected in ``window.errors``."""
    window = MainWindow(workspace, settings=settings)
    qtbot.addWidget(window)
    errors: list[tuple[str, str]] = []
    window.show_error = lambda title, text: errors.append((title, text))
    window.errors = errors  # type: ignore[attr-defined]
    if size is not None:
        window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitActive(window)
    return window


def press(qtbot, window: QWidget, keys: str) -> None:
    """Press ``keys`` (e.g. "J", "Ctrl+Z") where the keyboard focus is, as a person would."""
    sequence = QKeySequence(keys)[0]
    target = QApplication.focusWidget() or window
    if not target.window().isVisible():  # a popup that just closed
        target = window.window().focusWidget() or window
    top = target.window()
    if not top.isActiveWindow():  # a dialog just closed: the desktop activates the window again
        top.activateWindow()
        qtbot.waitUntil(top.isActiveWindow)
        target = QApplication.focusWidget() or window
    qtbot.keyClick(target, sequence.key(), sequence.keyboardModifiers())


def open_scoring_tab(qtbot, window: MainWindow, title: str) -> None:
    """Open the scoring panel by its shortcut and click its tab called ``title``."""
    window.claims.table.setFocus()
    press(qtbot, window, "Ctrl+Shift+S")
    qtbot.waitUntil(window.scoring_dock.isVisible)
    tabs = window.scoring_dock.tabs
    bar = tabs.findChild(QTabBar)
    index = next(i for i in range(tabs.count()) if tabs.tabText(i) == title)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())


def type_text(qtbot, window: QWidget, text: str) -> None:
    qtbot.keyClicks(QApplication.focusWidget() or window, text)


def click_row(qtbot, view: QAbstractItemView, index: QModelIndex) -> None:
    view.scrollTo(index)
    centre = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def click_record(qtbot, window: MainWindow, local_id: str) -> None:
    proxy = window.records.proxy
    index = next(
        proxy.index(row, 0)
        for row in range(proxy.rowCount())
        if proxy.index(row, 0).data(Roles.ID) == local_id
    )
    if window.current_record_id == local_id:
        return
    if not window.records.isVisible():  # folded away on a small screen: open the drawer
        press(qtbot, window, "Ctrl+Shift+R")
        qtbot.waitUntil(window.records.isVisible)
    click_row(qtbot, window.records.view, index)
    qtbot.waitUntil(lambda: window.current_record_id == local_id)


def report_id(workspace: Workspace) -> str:
    return next(s.local_id for s in workspace.list_records() if s.claims_extracted)


def other_record_id(workspace: Workspace) -> str:
    return next(s.local_id for s in workspace.list_records() if not s.claims_extracted)


def word_point(window: MainWindow, text: str, occurrence: int = 0) -> tuple[int, QPointF]:
    """Page and centre (PDF points) of the ``occurrence``-th word reading ``text``."""
    doc_text = window.pdf_pane.view.document_text()
    assert doc_text is not None
    words = [w for w in doc_text.words if doc_text.text[w.start : w.end] == text]
    word = words[occurrence]
    x0, y0, x1, y1 = word.rect
    return word.page, QPointF((x0 + x1) / 2, (y0 + y1) / 2)


def reveal_word(qtbot, window: MainWindow, text: str) -> QPoint:
    view = window.pdf_pane.view
    page, point = word_point(window, text)
    from PySide6.QtCore import QRectF

    view.reveal(page, QRectF(point.x() - 5, point.y() - 5, 10, 10))
    return view.map_from_page(page, point)


def drag_over_words(qtbot, window: MainWindow, first: str, last: str) -> None:
    """Press on ``first``, move, release on ``last`` in the PDF pane (a mouse drag)."""
    view = window.pdf_pane.view
    start, end = (view.map_from_page(*word_point(window, w)) for w in (first, last))
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(viewport, pos=(start + end) / 2)
    qtbot.mouseMove(viewport, pos=end)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)


def action_button(window: MainWindow, name: str) -> QToolButton:
    action = window.app_actions[name]
    return next(
        b for b in window.findChildren(QToolButton) if b.defaultAction() is action and b.isVisible()
    )


def attach_by_dialog(qtbot, window: MainWindow, pdf: Path) -> None:
    """A click on the sources bar's attach button, the file picker answering ``pdf``."""
    window.ask_pdf_path = lambda: pdf
    action = window.app_actions["attach_pdf"]
    assert action.isEnabled(), window.errors  # type: ignore[attr-defined]
    with qtbot.waitSignal(action.triggered, timeout=5_000):
        qtbot.mouseClick(action_button(window, "attach_pdf"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.review.sources.current_sha256 is not None, timeout=20_000)
    qtbot.waitUntil(window.pdf_pane.view.is_fully_rendered, timeout=20_000)


def when_dialog_opens(qtbot, handle: Callable[[QDialog], None]) -> list[QDialog]:
    """Call ``handle`` with the next modal dialog once it is shown (it runs inside the dialog's
    own event loop, as a person's keystrokes would). Returns the list of dialogs handled.

    Progress windows are not questions: on a busy machine one may show up before the question
    (a bundle's check taking longer than a moment), and a person would wait it out."""
    handled: list[QDialog] = []
    timer = QTimer()
    timer.setInterval(5)

    def check() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog) or not dialog.isVisible() or handled:
            return
        if isinstance(dialog, QProgressDialog):
            return
        if not dialog.isActiveWindow():  # keys go to the active window, as on a desktop
            dialog.activateWindow()
            return
        timer.stop()
        handled.append(dialog)
        try:
            handle(dialog)
        except BaseException:
            dialog.reject()  # never leave the test waiting on a dialog nobody answers
            raise

    timer.timeout.connect(check)
    timer.start()
    qtbot.timers = [*getattr(qtbot, "timers", []), timer]  # kept alive until the test ends
    return handled


def inside_window(window: QWidget, widget: QWidget, *, min_width: int = 1) -> bool:
    """``widget`` is visible, at least ``min_width`` px wide and wholly inside ``window``."""
    if not widget.isVisible() or widget.width() < min_width:
        return False
    top_left = widget.mapTo(window, QPoint(0, 0))
    return window.rect().contains(top_left) and window.rect().contains(
        top_left + QPoint(widget.width() - 1, widget.height() - 1)
    )


def make_two_column_pdf(path: Path, left: list[str], right: list[str]) -> Path:
    """One A4 page with two columns of lines sharing their baselines (an APS-style layout)."""
    import pymupdf

    document = pymupdf.open()
    page = document.new_page(width=595, height=842)
    for x, lines in ((50.0, left), (310.0, right)):
        writer = pymupdf.TextWriter(page.rect)
        for index, line in enumerate(lines):
            writer.append((x, 100.0 + 16.0 * index), line, fontsize=10.0)
        writer.write_text(page)
    document.save(path)
    document.close()
    return path


class ClosedDialogs(list[str]):
    """The titles of the windows a watchdog had to close; ``stop`` ends the watch once the
    step it guards is over (a later step's question must not be closed by it)."""

    def __init__(self, timer: QTimer) -> None:
        super().__init__()
        self.timer = timer

    def stop(self) -> None:
        self.timer.stop()


def close_stuck_dialogs_after(qtbot, ms: int) -> ClosedDialogs:
    """A watchdog for a step that may deadlock (a modal window over an unanswered question):
    after ``ms``, every modal window still open is closed, so the test fails instead of
    hanging. Returns the titles of the windows it had to close."""
    timer = QTimer()
    timer.setInterval(ms)
    closed = ClosedDialogs(timer)

    def close_all() -> None:
        timer.setInterval(500)
        modal = QApplication.activeModalWidget()
        if modal is not None:
            closed.append(modal.windowTitle())
            if isinstance(modal, QDialog):
                modal.reject()
            else:
                modal.close()

    timer.timeout.connect(close_all)
    timer.start()
    qtbot.timers = [*getattr(qtbot, "timers", []), timer]
    return closed
