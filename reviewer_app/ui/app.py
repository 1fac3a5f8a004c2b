"""Starting the GUI: the QApplication, the main window, and the headless screenshot mode."""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

from reviewer_app.errors import ReviewerAppError

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
    from reviewer_app.ui.main_window import MainWindow

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
        window = MainWindow(
            workspace,
            settings=settings,
            report_message=_print_message if screenshot is not None else None,
        )
        if screenshot is not None:
            window.resize(*SCREENSHOT_SIZE)
        # Open on a record whose claims can be shown, so the first view is not half empty.
        window.records.select_first(prefer=lambda summary: bool(summary.claims_extracted))
        window.records.view.setFocus()
        if pdf is not None:
            window.open_pdf(pdf)
        window.show()
        if screenshot is not None:
            save_screenshot(window, screenshot)
            window.pdf_pane.view.close_document()
            window.deleteLater()
            return 0
        return app.exec()
    finally:
        workspace.close()


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
