"""Bundle actions in the window: export, import by drag and drop, verify, corrections."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from reviewer_app.services.corrections import CorrectionService
from reviewer_app.services.scoring import ScoringService
from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.bundle_controller import CorrectionText, ExportChoice
from reviewer_app.ui.main_window import MainWindow

pytest_plugins = ("tests.ui_fixtures",)

RECORD = "SRCH:8F12A054"


@pytest.fixture
def source_workspace(tmp_path: Path, samples: Path) -> Iterator[Workspace]:
    with Workspace.open(tmp_path / "a.sqlite3") as ws:
        ws.import_file(samples / "record-page-label-value.txt")
        ScoringService(ws.database).sheets.save(
            RECORD, "ada", dimensions={"evidence_strength": "LOW"}, review_score=6.5, submit=True
        )
        yield ws


def open_window(qtbot, workspace: Workspace, answers: list[str]) -> MainWindow:
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.show_error = lambda title, text: answers.append(f"error: {title}: {text}")
    window.show_info = lambda title, text: answers.append(f"info: {title}: {text}")
    window.confirm = lambda title, text: answers.append(f"confirm: {title}") is None
    window.reviewer_combo.set_reviewer("ada")
    return window


def export_from(qtbot, workspace: Workspace, out: Path, answers: list[str]) -> MainWindow:
    window = open_window(qtbot, workspace, answers)
    window.show_record(RECORD)
    window.ask_export_choice = lambda record_id: ExportChoice(out, include_pdfs=False)
    with qtbot.waitSignal(window.bundles.sig_op_finished, timeout=10_000):
        window.app_actions["export_bundle"].trigger()
    return window


def test_export_then_drop_the_bundle_on_another_workspace(
    qtbot, tmp_path: Path, source_workspace: Workspace
) -> None:
    answers: list[str] = []
    out = tmp_path / "review.zip"
    export_from(qtbot, source_workspace, out, answers)
    assert out.is_file()
    # No keyring backend on a headless machine: the reviewer was asked before exporting unsigned.
    assert "confirm: Export unsigned?" in answers
    with Workspace.open(tmp_path / "b.sqlite3") as target:
        window = open_window(qtbot, target, answers)
        assert target.list_records() == []
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(out))])
        buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        enter = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, mime, buttons, keys)
        QApplication.sendEvent(window, enter)
        assert enter.isAccepted()
        drop = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, buttons, keys)
        with qtbot.waitSignal(window.bundles.sig_op_finished, timeout=10_000):
            QApplication.sendEvent(window, drop)
        assert "confirm: Import unsigned bundle?" in answers
        assert any(a.startswith(f"info: Imported review.zip: {RECORD}: new") for a in answers)
        assert [s.local_id for s in target.list_records()] == [RECORD]
        sheet = ScoringService(target.database).sheets.own(RECORD, "ada")
        assert sheet is not None and sheet.review_score == 6.5


def test_verify_names_the_altered_file(qtbot, tmp_path: Path, source_workspace: Workspace) -> None:
    answers: list[str] = []
    out = tmp_path / "review.zip"
    window = export_from(qtbot, source_workspace, out, answers)
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(out) as source, zipfile.ZipFile(tampered, "w") as copy:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "summary.html":
                data = data.replace(b"</body>", b"<p>forged</p></body>")
            copy.writestr(info, data)
    window.ask_bundle_path = lambda: tampered
    with qtbot.waitSignal(window.bundles.sig_op_finished, timeout=10_000):
        window.app_actions["verify_bundle"].trigger()
    report = answers[-1]
    assert report.startswith("info: Verify tampered.zip: <b>Verification failed.</b>")
    assert "altered: summary.html" in report
    with qtbot.waitSignal(window.bundles.sig_op_finished, timeout=10_000):
        window.app_actions["import_bundle"].trigger()
    assert answers[-1].startswith("error: Bundle refused")
    assert "summary.html" in answers[-1]
    assert [s.local_id for s in source_workspace.list_records()] == [RECORD]


def test_filing_a_correction(qtbot, source_workspace: Workspace) -> None:
    answers: list[str] = []
    window = open_window(qtbot, source_workspace, answers)
    window.show_record(RECORD)
    window.ask_correction = lambda record_id: CorrectionText(
        "Tier basis cites no claim", "The page lists 3 verified claims", "Verified claims: 3"
    )
    window.app_actions["file_correction"].trigger()
    history = CorrectionService(source_workspace.database).history(RECORD)
    assert history.status == "CORRECTED"
    assert [entry.what for entry in history.history] == ["Tier basis cites no claim"]
    assert "CORRECTED" in window.statusBar().currentMessage()


def test_a_failed_unsigned_export_is_reported_not_raised(
    qtbot, tmp_path: Path, source_workspace: Workspace
) -> None:
    answers: list[str] = []
    out = tmp_path / "no-such-folder" / "review.zip"
    export_from(qtbot, source_workspace, out, answers)
    assert "confirm: Export unsigned?" in answers
    assert answers[-1].startswith("error: Export failed")
    assert "no-such-folder" in answers[-1]
    assert not out.exists()
