"""Where the claim loop's single-letter keys act: the claims list and the PDF only.

The loop keys (J, K, 1–5, 0, S, C, X, N) are shortcuts of those two widgets, so typed into a
text field or a combo box they stay text. Whenever a panel or dialog closes and the keyboard
focus is left somewhere else, it goes back to the loop widget used last.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QWidget


class LoopFocus(QObject):
    def __init__(
        self, loop_widgets: Sequence[QWidget], start: QWidget, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.loop_widgets = list(loop_widgets)
        self.last: QWidget = start
        """The widget of the loop that had the focus last (at first ``start``)."""
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._on_focus_changed)

    def bind(self, actions: Iterable[QAction]) -> None:
        """Make ``actions`` act only while the focus is inside one of the loop widgets."""
        for action in actions:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            for widget in self.loop_widgets:
                widget.addAction(action)

    def holder(self, widget: QWidget | None) -> QWidget | None:
        """The loop widget ``widget`` is inside, if any."""
        while widget is not None:
            if widget in self.loop_widgets:
                return widget
            widget = widget.parentWidget()
        return None

    def restore(self) -> None:
        """Give the keyboard back to the loop, unless it already is there."""
        if self.holder(QApplication.focusWidget()) is None and self.last.isVisible():
            self.last.setFocus(Qt.FocusReason.OtherFocusReason)

    def restore_soon(self) -> None:
        """``restore`` once the events under way are done (a closing popup gives the focus
        back to its combo box first)."""
        QTimer.singleShot(0, self.restore)

    def teardown(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.disconnect(self._on_focus_changed)

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and self.holder(new) is not None:
            self.last = new
