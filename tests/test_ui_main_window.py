"""The main window over a real SQLite workspace: records, details, claims, imports, layout."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.ui.models import Roles
from tests.ui_fixtures import sample_records

REPORT = sample_records()[0]

# Shared GUI fixtures (make_pdf, workspace, isolated_qsettings) until conftest.py has them.
pytest_plugins = ("tests.ui_fixtures",)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def messages() -> list[tuple[str, str]]:
    return []


@pytest.fixture
def window(qtbot, workspace: Workspace, settings: QSettings, messages) -> MainWindow:
    window = MainWindow(workspace, settings=settings)
    qtbot.addWidget(window)
    window.show_error = lambda title, text: messages.append((title, text))
    window.show_info = lambda title, text: messages.append((title, text))
    window.show()
    qtbot.waitExposed(window)
    return window


def test_lists_every_record_newest_first(window: MainWindow) -> None:
    proxy = window.records.proxy
    titles = [proxy.index(row, 0).data() for row in range(proxy.rowCount())]
    assert titles[:2] == [REPORT.title, sample_records()[1].title]
    assert set(titles) == {record.title for record in sample_records()}
    assert window.record_count.text() == "3 records"


def test_selecting_a_record_shows_its_details_and_claims(qtbot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.sig_record_shown) as shown:
        assert window.records.select(REPORT.local_id)
    assert shown.args == [REPORT.local_id]
    claims = window.claims.proxy
    assert [claims.index(r, 1).data() for r in range(claims.rowCount())] == [
        claim.text for claim in REPORT.claims
    ]
    text = window.details.toPlainText()
    for expected in (REPORT.title, "Assignee Research", "Watchlist", "arXiv:2407.17856v4",
                     "Unverified", REPORT.research_question):  # fmt: skip
        assert expected in text
    assert "Claims</b> (3)" in window.claims.title.text()


def test_a_record_without_claims_empties_the_table(qtbot, window: MainWindow) -> None:
    window.records.select(REPORT.local_id)
    paper = sample_records()[2]
    with qtbot.waitSignal(window.sig_record_shown):
        window.records.select(paper.local_id)
    assert window.claims.model.rowCount() == 0
    assert "Y. Yin" in window.details.toPlainText()


def test_the_filter_box_narrows_the_list(qtbot, window: MainWindow) -> None:
    qtbot.keyClicks(window.records.filter_edit, "srch:8f")
    proxy = window.records.proxy
    assert [proxy.index(r, 0).data(Roles.ID) for r in range(proxy.rowCount())] == ["SRCH:8F12A054"]


def test_reference_links_go_through_the_replaceable_opener(window: MainWindow) -> None:
    window.records.select(REPORT.local_id)
    opened: list[str] = []
    window.details.open_url = lambda url: opened.append(url.toString())
    html = window.details.toHtml()
    assert 'href="https://arxiv.org/abs/2407.17856v4"' in html
    window.details.anchorClicked.emit(QUrl("https://arxiv.org/abs/2407.17856v4"))
    assert opened == ["https://arxiv.org/abs/2407.17856v4"]


def drop_files(window: MainWindow, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    where, action = QPointF(20, 20), Qt.DropAction.CopyAction
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    # Qt 6.11 takes an integer QPoint for drag-enter events and a QPointF for drops.
    enter = QDragEnterEvent(where.toPoint(), action, mime, buttons, keys)
    QApplication.sendEvent(window, enter)  # Qt delivers a drop only after an accepted enter
    assert enter.isAccepted()
    QApplication.sendEvent(window, QDropEvent(where, action, mime, buttons, keys))


def test_dropped_record_files_are_imported_and_refusals_reported(
    qtbot, window: MainWindow, samples: Path, tmp_path: Path, messages
) -> None:
    good = tmp_path / "record.txt"
    shutil.copy(samples / "record-page-pipe-table.txt", good)
    bad = tmp_path / "shopping-list.txt"
    bad.write_text("eggs\nmilk\n", encoding="utf-8")
    with qtbot.waitSignal(window.sig_record_shown):
        drop_files(window, [good, bad])
    assert window.records.model.rowCount() == 4
    assert window.record_count.text() == "4 records"
    assert window.claims.model.rowCount() == 0  # the imported record page lists no claims
    assert len(messages) == 1
    title, text = messages[0]
    assert "1 file(s) not imported" in title
    assert "shopping-list.txt" in text


def test_import_action_asks_for_files_then_imports(
    qtbot, window: MainWindow, samples: Path, tmp_path: Path
) -> None:
    path = tmp_path / "report.txt"
    shutil.copy(samples / "report-sparse-multimodal-alignment.txt", path)
    window.ask_record_paths = lambda: [path]
    window.app_actions["import_records"].trigger()
    assert window.records.model.rowCount() == 4
    assert window.claims.model.rowCount() > 0


def test_open_pdf_action_and_a_broken_pdf_in_the_status_bar(
    qtbot, window: MainWindow, make_pdf: Callable, tmp_path: Path
) -> None:
    window.ask_pdf_path = lambda: make_pdf("source.pdf", pages=3)
    with qtbot.waitSignal(window.pdf_pane.view.sig_document_opened):
        window.app_actions["open_pdf"].trigger()
    assert window.windowTitle().startswith("source.pdf")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"not a pdf at all")
    window.ask_pdf_path = lambda: broken
    window.app_actions["open_pdf"].trigger()
    assert "broken.pdf" in window.statusBar().currentMessage()


def test_keyboard_help_lists_the_shortcuts(window: MainWindow) -> None:
    window.app_actions["keyboard_help"].trigger()
    assert window.help_overlay.isVisible()
    text = window.help_overlay.label.text()
    for expected in ("Open PDF", "Ctrl+O", "Import records", "Ctrl+I", "PgDown", "F1"):
        assert expected in text


def test_window_layout_is_remembered(qtbot, workspace: Workspace, settings: QSettings) -> None:
    first = MainWindow(workspace, settings=settings)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    first.resize(720, 560)  # within the offscreen screen, which restoreGeometry clamps to
    first.main_splitter.setSizes([150, 250, 300])
    wanted = first.main_splitter.sizes()
    first.close()
    second = MainWindow(workspace, settings=settings)
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert second.main_splitter.sizes() == wanted
    assert second.size() == first.size()


def test_a_screenshot_waits_for_the_pages_and_thumbnails_in_view(
    qtbot, window: MainWindow, make_pdf: Callable
) -> None:
    from reviewer_app.ui.screenshot import grab_when_ready

    window.show()
    assert window.open_pdf(make_pdf(pages=5))
    image = grab_when_ready(window, 20_000)
    assert not image.isNull()
    assert window.pdf_pane.view.is_fully_rendered()
    thumbnails = window.pdf_pane.thumbnails
    assert thumbnails.isVisible() and thumbnails.visible_rows()
    assert thumbnails.is_up_to_date()
