"""The README's key table is true: every key it names is a shortcut of the window's actions."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re
from pathlib import Path

from PySide6.QtGui import QKeySequence

from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.main_window import MainWindow

pytest_plugins = ("tests.ui_fixtures",)

README = Path(__file__).resolve().parents[1] / "README.md"
FIND_BAR_KEYS = {"Enter", "Shift+Enter"}
"""Typed in the find field, not window shortcuts."""


def table_keys() -> list[str]:
    text = README.read_text(encoding="utf-8")
    table = text.split("| key | action |", 1)[1].split("\n\n", 1)[0]
    keys: list[str] = []
    for row in table.splitlines()[2:]:
        cell = row.split("|")[1]
        cell = cell.replace("Ctrl+1..3", "Ctrl+1, Ctrl+2, Ctrl+3")
        keys += [k for k in re.split(r" / |, | \(|\)| ", cell) if k.strip()]
    return keys


def test_every_key_in_the_readme_table_is_a_shortcut(qtbot, workspace: Workspace) -> None:
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    shortcuts = {
        sequence.toString(QKeySequence.SequenceFormat.PortableText)
        for action in window.app_actions.all()
        for sequence in action.shortcuts()
    }
    keys = table_keys()
    assert len(keys) > 25
    missing = [key for key in keys if key not in shortcuts and key not in FIND_BAR_KEYS]
    assert missing == []
    assert "Alt+Down" not in shortcuts  # left to the drop-downs
