"""The steps of a reviewer's working day, for tests/test_ui_working_day.py: each drives the real
main window with real key and mouse events (see tests/day_driver.py) and returns nothing; the
test asserts on the database and on what is visible between the steps."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QTabBar

from reviewer_app.ui.main_window import MainWindow
from tests.day_driver import (
    drag_over_words,
    press,
    type_text,
    when_dialog_opens,
    word_point,
)
from tests.pdf_factory import make_lines_pdf

ONE_COLUMN = [
    "Sparse experts improve accuracy on visual question answering.",
    "The gain is two points on average across benchmarks.",
    "Routing collapse appears when fewer than eight experts are used.",
    "Alignment gains shrink as the model grows larger.",
]


def one_column_pdf(folder: Path) -> Path:
    return make_lines_pdf(folder / "2407.17856v4.pdf", [ONE_COLUMN, ["A second page."] * 3])


def drop_file(qtbot, widget, path: Path) -> None:
    """A drag from outside the app (a file manager) released over ``widget``."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    centre = widget.rect().center()
    enter = QDragEnterEvent(
        centre, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(centre), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    QApplication.sendEvent(widget, drop)


def mark(qtbot, window: MainWindow, first: str, last: str, key: str) -> None:
    drag_over_words(qtbot, window, first, last)
    window.claims.table.setFocus()
    press(qtbot, window, key)


def mark_with_note(qtbot, window: MainWindow, first: str, last: str, note: str) -> None:
    drag_over_words(qtbot, window, first, last)
    window.claims.table.setFocus()

    def fill(dialog: QDialog) -> None:
        type_text(qtbot, dialog, note)
        stance = dialog.findChild(QComboBox, "note_stance")
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
        assert dialog.focusWidget() is stance  # Tab leaves the note, it is not text
        qtbot.keyClick(stance, Qt.Key.Key_Down)
        qtbot.keyClick(stance, Qt.Key.Key_Down)  # supports → contradicts → context
        qtbot.keyClick(stance, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    when_dialog_opens(qtbot, fill)
    press(qtbot, window, "N")


def verdict_with_reason(qtbot, window: MainWindow, key: str, reason: str) -> None:
    def answer(dialog: QDialog) -> None:
        type_text(qtbot, dialog, reason)
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    when_dialog_opens(qtbot, answer)
    press(qtbot, window, key)


def find(qtbot, window: MainWindow, term: str) -> None:
    press(qtbot, window, "Ctrl+F")
    qtbot.waitUntil(window.find_bar.field.hasFocus)
    type_text(qtbot, window, term)
    # the search runs off the GUI thread: Return steps through hits once they are in
    label = window.find_bar.count_label
    qtbot.waitUntil(lambda: " of " in label.text() or label.text() == "no hits")
    press(qtbot, window, "Return")


def open_tab(qtbot, window: MainWindow, title: str) -> None:
    tabs = window.scoring_dock.tabs
    bar = tabs.findChild(QTabBar)
    index = next(i for i in range(tabs.count()) if tabs.tabText(i) == title)
    bar.setCurrentIndex(index) if not bar.tabRect(index).isValid() else qtbot.mouseClick(
        bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center()
    )
    qtbot.waitUntil(lambda: tabs.currentIndex() == index)


def submit_sheet(qtbot, window: MainWindow, score: str) -> None:
    """Fill the score in "My sheet" by keyboard and press Submit."""
    open_tab(qtbot, window, "My sheet")
    editor = window.scoring_dock.sheet_editor
    for box in editor.dimension_boxes.values():
        box.setFocus()
        qtbot.keyClick(box, Qt.Key.Key_Down)  # the first level after "unset"
    editor.score_box.setFocus()
    editor.score_box.selectAll()
    qtbot.keyClicks(editor.score_box, score)
    qtbot.mouseClick(editor.submit_button, Qt.MouseButton.LeftButton)


def switch_reviewer(qtbot, window: MainWindow, name: str) -> None:
    """Pick ``name`` in the reviewer box; "New reviewer…" when it is not there yet."""
    combo = window.reviewer_combo
    if name not in combo.names():
        combo.ask_name = lambda: name
        target = combo.count() - 1
    else:
        target = combo.findText(name)
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: combo.view().isVisible())
    view = combo.view()
    view.setCurrentIndex(view.model().index(target, 0))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: combo.reviewer == name)


def compare_headers(window: MainWindow) -> list[str]:
    model = window.scoring_dock.comparison.model
    return [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())]


def word_on_screen(window: MainWindow, text: str) -> bool:
    page, point = word_point(window, text)
    return (
        window.pdf_pane.view.viewport()
        .rect()
        .contains(window.pdf_pane.view.map_from_page(page, point))
    )
