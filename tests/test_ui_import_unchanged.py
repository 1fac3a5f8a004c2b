"""Importing an earlier version again from the window says that nothing was added (issue 16)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

from PySide6.QtCore import QSettings

from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.main_window import MainWindow

pytest_plugins = ("tests.ui_fixtures",)

SAMPLE = "report-sparse-multimodal-alignment.txt"


def test_reimporting_an_earlier_version_says_unchanged(
    qtbot, tmp_path: Path, samples: Path
) -> None:
    text = (samples / SAMPLE).read_text()
    v1, v2 = tmp_path / "v1.txt", tmp_path / "v2.txt"
    v1.write_text(text)
    v2.write_text(text.replace("11 papers retrieved.", "12 papers retrieved."))
    with Workspace.open(tmp_path / "w.db") as workspace:
        settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
        window = MainWindow(workspace, settings=settings)
        qtbot.addWidget(window)
        errors: list[tuple[str, str]] = []
        window.show_error = lambda title, body: errors.append((title, body))
        window.show()
        window.import_records([v1])
        window.import_records([v2])
        assert "unchanged" not in window.statusBar().currentMessage()
        window.import_records([v1])
        assert window.statusBar().currentMessage() == (
            "Imported 1 of 1 file(s); 1 unchanged (imported before, nothing added)"
        )
        assert errors == []
        assert workspace.list_records()[0].revision_count == 2
