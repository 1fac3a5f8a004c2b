"""Starting the GUI: the no-display message, screenshot mode, the ``gui`` command."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from PySide6.QtGui import QImage

from reviewer_app.cli import cli
from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.app import SCREENSHOT_SIZE, display_problem, run_gui

DISPLAY_VARIABLES = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")

# Shared GUI fixtures (make_pdf, workspace, isolated_qsettings) until conftest.py has them.
pytest_plugins = ("tests.ui_fixtures",)


@pytest.fixture
def no_display(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    for name in DISPLAY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("no_display")
def test_without_a_display_the_problem_names_the_headless_options() -> None:
    problem = display_problem()
    assert problem is not None
    assert "\n" not in problem
    for option in ("no display found", "QT_QPA_PLATFORM=offscreen", "--screenshot", "xvfb-run"):
        assert option in problem


@pytest.mark.parametrize("variable", DISPLAY_VARIABLES)
def test_any_display_setting_means_no_problem(
    no_display: None, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    monkeypatch.setenv(variable, ":0" if variable == "DISPLAY" else "wayland-0")
    assert display_problem() is None


@pytest.mark.usefixtures("no_display")
def test_gui_command_without_a_display_says_so_in_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "w.sqlite3"), "gui"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert "no display found" in lines[0]
    assert "xvfb-run" in lines[0]


def png_size(path: Path) -> tuple[int, int]:
    image = QImage(str(path))
    assert not image.isNull(), f"{path} is not a readable PNG"
    return image.width(), image.height()


def test_screenshot_mode_writes_a_png_of_the_whole_window(
    qapp, workspace: Workspace, make_pdf: Callable, tmp_path: Path
) -> None:
    shot = tmp_path / "shots" / "window.png"
    status = run_gui(workspace.database.url, screenshot=shot, pdf=make_pdf(pages=3))
    assert status == 0
    ratio = qapp.devicePixelRatio()
    assert png_size(shot) == (round(SCREENSHOT_SIZE[0] * ratio), round(SCREENSHOT_SIZE[1] * ratio))
    assert [p.name for p in shot.parent.iterdir()] == ["window.png"]  # no temp file left over
    image = QImage(str(shot))
    # The PDF pane (right third) shows a white rendered page, not only the grey background.
    right = image.copy(image.width() * 2 // 3, image.height() // 3, image.width() // 3, 50)
    assert any(right.pixelColor(x, 25).lightness() == 255 for x in range(right.width()))


def test_a_screenshot_run_closes_its_window_so_no_worker_outlives_it(
    qapp, workspace: Workspace, make_pdf: Callable, tmp_path: Path, monkeypatch
) -> None:
    """Deleting the window unclosed left its grounding and suggestion workers running against a
    closed workspace, and Qt aborted the process when the deferred delete destroyed a running
    QThread (seen in CI, during the next test's event processing)."""
    from PySide6.QtCore import QThread

    from reviewer_app.ui.main_window import MainWindow

    closed: list[MainWindow] = []
    original_close_event = MainWindow.closeEvent

    def recording_close_event(window: MainWindow, event) -> None:
        original_close_event(window, event)
        closed.append(window)

    monkeypatch.setattr(MainWindow, "closeEvent", recording_close_event)
    status = run_gui(workspace.database.url, screenshot=tmp_path / "w.png", pdf=make_pdf(pages=2))
    assert status == 0
    assert len(closed) == 1
    running = [t for t in closed[0].findChildren(QThread) if t.isRunning()]
    assert running == []


def test_gui_command_with_screenshot_and_demo_exits_zero(qapp, tmp_path: Path) -> None:
    shot = tmp_path / "demo.png"
    db = tmp_path / "demo.sqlite3"
    result = CliRunner().invoke(cli, ["--db", str(db), "gui", "--demo", "--screenshot", str(shot)])
    assert result.exit_code == 0, result.output
    ratio = qapp.devicePixelRatio()
    assert png_size(shot) == (round(SCREENSHOT_SIZE[0] * ratio), round(SCREENSHOT_SIZE[1] * ratio))
    with Workspace.open(db) as opened:
        assert len(opened.list_records()) >= 3


def test_a_screenshot_run_reports_errors_instead_of_waiting_on_a_message_box(
    qapp, workspace: Workspace, make_pdf: Callable, tmp_path: Path, capsys
) -> None:
    from reviewer_app.services.review import ReviewService

    service = ReviewService.for_workspace(workspace)
    record = next(s.local_id for s in workspace.list_records() if s.claims_extracted)
    attached = service.attach_pdf(record, make_pdf("paper.pdf", pages=2)).source
    service.source_path(attached.sha256).unlink()  # the stored copy is gone
    shot = tmp_path / "window.png"

    status = run_gui(workspace.database.url, screenshot=shot)

    assert status == 0 and shot.exists()
    error = capsys.readouterr().err
    assert "Cannot open the source" in error
    assert f"no stored PDF with SHA-256 {attached.sha256}" in error


def test_the_window_fits_a_laptop_screen(qtbot, tmp_path) -> None:
    """Seen under Xvfb at 1366x768: the default 1440x900 window ran off the screen's right edge,
    cutting off the PDF pane and the toolbar."""
    from PySide6.QtCore import QRect

    from reviewer_app.services.workspace import Workspace
    from reviewer_app.ui.app import build_window, fit_to_screen

    with Workspace.open(tmp_path / "w.sqlite3") as workspace:
        window = build_window(workspace, None)
        qtbot.addWidget(window)
        assert window.width() > 1366  # the default size, wider than the laptop
        laptop = QRect(0, 0, 1366, 740)
        fit_to_screen(window, laptop)
        window.show()
        qtbot.waitExposed(window)
        assert window.width() <= 1366 and window.height() <= 740
        assert laptop.contains(window.frameGeometry().topLeft())
        # Sized to the screen it still ran off the bottom by its title bar, hiding the status
        # bar (seen under Xvfb with openbox at 1366x768): it is maximized instead, which the
        # window manager fits frame and all.
        assert window.isMaximized()
        window.close()


def test_a_window_that_fits_is_left_as_it_is(qtbot, tmp_path) -> None:
    from PySide6.QtCore import QRect

    from reviewer_app.services.workspace import Workspace
    from reviewer_app.ui.app import build_window, fit_to_screen

    with Workspace.open(tmp_path / "w.sqlite3") as workspace:
        window = build_window(workspace, None)
        qtbot.addWidget(window)
        size = window.size()
        fit_to_screen(window, QRect(0, 0, 1920, 1050))
        assert window.size() == size and not window.isMaximized()
        window.close()
