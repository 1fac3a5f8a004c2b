"""Starting the GUI: the QApplication, the main window, and the headless screenshot mode."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from reviewer_app.errors import ReviewerAppError

if TYPE_CHECKING:
    from PySide6.QtCore import QRect, QSettings
    from PySide6.QtWidgets import QWidget

    from reviewer_app.services.workspace import Workspace
    from reviewer_app.ui.main_window import MainWindow

ORGANISATION = "SynthesisReviewer"
APPLICATION = "reviewer-app"
SCREENSHOT_SIZE = (1440, 900)
RENDER_TIMEOUT_MS = 10_000


class ScreenshotFailed(ReviewerAppError):
    """The window could not be rendered or saved as PNG."""


def display_problem() -> str | None:
    """One line saying why Qt cannot open a window here, or None when it can (or may)."""
    if not sys.platform.startswith("linux"):
        return None
    if any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")):
        return None
    return (
        "no display found; run with QT_QPA_PLATFORM=offscreen, "
        "`reviewer-app gui --screenshot FILE`, or under xvfb-run"
    )


def run_gui(
    db: str | Path,
    *,
    screenshot: Path | None = None,
    pdf: Path | None = None,
    settings_path: Path | None = None,
) -> int:
    """Open the window on the workspace ``db``; with ``screenshot``, save it as PNG and return.

    ``settings_path`` keeps the window layout in that INI file instead of the user's settings.
    """
    if screenshot is not None and display_problem():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    # Qt (and qtawesome's binding choice in reviewer_app.ui) load only once the GUI runs.
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from reviewer_app.services.workspace import Workspace
    from reviewer_app.ui.qt_messages import install_message_filter

    install_message_filter()
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else APPLICATION])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("Synthesis Reviewer")
    workspace = Workspace.open(db)
    try:
        settings: QSettings | None = None  # screenshots: the same picture on every machine
        if screenshot is None:
            settings = (
                QSettings(str(settings_path), QSettings.Format.IniFormat)
                if settings_path
                else QSettings()
            )
        window = build_window(
            workspace, settings, report_message=_print_message if screenshot is not None else None
        )
        if screenshot is not None:
            window.resize(*SCREENSHOT_SIZE)
        else:
            screen = window.screen() or app.primaryScreen()
            if screen is not None:
                fit_to_screen(window, screen.availableGeometry())
        if pdf is not None and not window.pdf_pane.view.page_count:
            # Only when the record shows no source of its own: a loose copy on top of an
            # attached source would look the same but could not hold evidence.
            window.open_pdf(pdf)
        window.show()
        if screenshot is not None:
            save_screenshot(window, screenshot)
            # Closed, not only deleted: the close stops its workers, and Qt aborts the process
            # when a deferred delete destroys a QThread that is still running.
            window.close()
            window.deleteLater()
            return 0
        return app.exec()
    finally:
        workspace.close()


def fit_to_screen(window: QWidget, available: QRect) -> None:
    """Keep the window on the screen: its default size (1440 x 900) is wider than a 1366 x 768
    laptop, which cut off the PDF pane and the toolbar (seen under Xvfb).

    A window that does not fit is shown maximized: sized to the screen itself it still ran
    off the bottom by the height of its title bar, which the window manager adds only once
    the window is shown, and so hid the status bar (seen under Xvfb with openbox). The size
    it is given here is the one it comes back to when un-maximized."""
    from PySide6.QtCore import Qt  # imported late like the rest of Qt here (start-up time)

    width = min(window.width(), available.width())
    height = min(window.height(), available.height())
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
        return
    frame = window.frameGeometry()
    if not available.contains(frame):
        window.move(
            max(available.left(), min(frame.left(), available.right() - frame.width() + 1)),
            max(available.top(), min(frame.top(), available.bottom() - frame.height() + 1)),
        )


def build_window(
    workspace: Workspace, settings: QSettings | None, *,
    report_message: Callable[[str, str], None] | None = None,
) -> MainWindow:  # fmt: skip
    """The main window on the record the last session ended on (restored from ``settings``);
    only when there is none, on the first record whose claims can be shown."""
    from reviewer_app.ui.main_window import MainWindow

    window = MainWindow(workspace, settings=settings, report_message=report_message)
    if window.current_record_id is None:
        window.records.select_first(prefer=lambda summary: bool(summary.claims_extracted))
    window.claims.table.setFocus()  # the claim loop's keys act where the focus starts
    return window


def _print_message(title: str, text: str) -> None:
    print(f"{title}: {text}", file=sys.stderr)


def save_screenshot(window: object, path: Path, timeout_ms: int = RENDER_TIMEOUT_MS) -> None:
    """Wait until ``window`` is exposed and its PDF (if any) rendered, then write it as PNG."""
    from reviewer_app.ui.screenshot import grab_when_ready

    image = grab_when_ready(window, timeout_ms)  # type: ignore[arg-type]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Qt creates the file (with the usual permissions), then it replaces the target at once.
    temp_name = str(path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp.png"))
    try:
        if not image.save(temp_name, "PNG"):
            raise ScreenshotFailed(f"{path}: the PNG could not be written")
        os.replace(temp_name, path)
    finally:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
