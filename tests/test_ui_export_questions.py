"""Ctrl+E with no keyring: every question is asked, by keyboard, before any progress window.

Before the fix the export opened its modal progress window and only then asked "Export
unsigned?": the progress window came up on top of the question and blocked it, and nothing was
written. The question's text speaks to a reviewer, not in backend names or CLI flags.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from reviewer_app.services.scoring import ScoringService
from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.main_window import MainWindow
from tests.modal_driver import ModalDriver, press, type_file_name

pytest_plugins = ("tests.ui_fixtures",)

RECORD = "SRCH:8F12A054"
FORBIDDEN_IN_QUESTION = ("keyring.backends", "Keyring(", "--allow-unsigned", "PYTHON_KEYRING",
                         "SigningUnavailable", "fail.", "allow_unsigned")  # fmt: skip


@pytest.fixture
def window(qtbot, tmp_path: Path, samples: Path) -> Iterator[MainWindow]:
    with Workspace.open(tmp_path / "a.sqlite3") as workspace:
        workspace.import_file(samples / "record-page-label-value.txt")
        ScoringService(workspace.database).sheets.save(RECORD, "ada", review_score=6.5, submit=True)
        window = MainWindow(workspace)
        qtbot.addWidget(window)
        window.reviewer_combo.set_reviewer("ada")
        window.show()
        QTest.qWaitForWindowExposed(window)
        window.show_record(RECORD)
        yield window
        window.close()


def export_by_keyboard(qtbot, window: MainWindow, out: Path, driver: ModalDriver) -> None:
    window.claims.table.setFocus()
    with qtbot.waitSignal(window.bundles.sig_op_finished, timeout=20_000):
        QTest.keyClick(window.claims.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert driver.done
    driver.stop()


def test_unsigned_export_asks_first_and_writes_the_bundle(
    qtbot, tmp_path: Path, window: MainWindow, no_keyring: None
) -> None:
    out = tmp_path / "review.zip"
    driver = (
        ModalDriver()
        .then("Export review bundle", type_file_name(str(out)))
        .then("Include source PDFs?", press(Qt.Key.Key_Escape))  # No
        .then("Export unsigned?", press(Qt.Key.Key_Return))  # Yes
    )
    export_by_keyboard(qtbot, window, out, driver)
    qtbot.waitUntil(out.is_file, timeout=10_000)

    questions = {seen.title: seen for seen in driver.seen}
    unsigned = questions["Export unsigned?"]
    assert unsigned.progress_windows == [], "a progress window was open while asking"
    assert questions["Include source PDFs?"].progress_windows == []
    assert "password manager" in unsigned.text
    assert "cannot check that it comes from you" in unsigned.text
    assert not [word for word in FORBIDDEN_IN_QUESTION if word in unsigned.text]
    with zipfile.ZipFile(out) as bundle:
        names = bundle.namelist()
        manifest = json.loads(bundle.read("manifest.json"))
    assert "manifest.sig" not in names
    assert manifest["reviewer"] == "ada"
    assert "unsigned" in window.statusBar().currentMessage()


def test_declining_the_unsigned_export_writes_nothing(
    qtbot, tmp_path: Path, window: MainWindow, no_keyring: None
) -> None:
    out = tmp_path / "review.zip"
    driver = (
        ModalDriver()
        .then("Export review bundle", type_file_name(str(out)))
        .then("Include source PDFs?", press(Qt.Key.Key_Escape))
        .then("Export unsigned?", press(Qt.Key.Key_Escape))  # No
    )
    export_by_keyboard(qtbot, window, out, driver)
    assert not out.exists()
    assert list(tmp_path.glob("*.zip*")) == []


def test_with_a_keyring_nothing_is_asked_about_signing(
    qtbot, tmp_path: Path, window: MainWindow, memory_keyring: object
) -> None:
    out = tmp_path / "review.zip"
    driver = (
        ModalDriver()
        .then("Export review bundle", type_file_name(str(out)))
        .then("Include source PDFs?", press(Qt.Key.Key_Escape))
    )
    export_by_keyboard(qtbot, window, out, driver)
    qtbot.waitUntil(out.is_file, timeout=10_000)
    assert "Export unsigned?" not in [seen.title for seen in driver.seen]
    with zipfile.ZipFile(out) as bundle:
        assert "manifest.sig" in bundle.namelist()
    assert "signed by ada" in window.statusBar().currentMessage()
