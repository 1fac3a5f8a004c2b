"""What helpers of the main window may use of it, as Protocols: a helper typed against the
window class itself would import main_window and close an import circle through it (see
tests/test_ui_import_graph.py). The widgets are typed ``Any`` here for the same reason: their
modules reach back to the controllers that main_window builds."""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDockWidget, QSplitter, QStatusBar

from reviewer_app.services.workspace import Workspace


class LayoutWindow(Protocol):
    """What the laptop layout shares out: the panes and the actions that fold them."""

    app_actions: Any
    claims: Any
    main_splitter: QSplitter
    middle_splitter: QSplitter
    pdf_pane: Any
    records: Any
    scoring_dock: Any

    def installEventFilter(self, watched: QObject) -> None: ...

    def resizeDocks(
        self, docks: list[QDockWidget], sizes: list[int], orientation: Qt.Orientation
    ) -> None: ...

    def width(self) -> int: ...


class LiveWindow(Protocol):
    """What live updates redraw and where they put their banner."""

    workspace: Workspace
    scoring_dock: Any

    def statusBar(self) -> QStatusBar: ...

    def addToolBar(self, *args: Any) -> Any: ...

    def addToolBarBreak(self, *args: Any) -> None: ...


class ReviewLoop(Protocol):
    """What the evidence suggestions use of the review controller."""

    panel: Any
    record_id: str | None
    reviewer: Any
    sources: Any
    view: Any
    flasher: Any


__all__ = ["LayoutWindow", "LiveWindow", "ReviewLoop"]
