"""Run pytest as if PySide6, pyqtgraph, qtawesome and pytest-qt were not installed (issue 11).

``python -m tests.without_qt PYTEST_ARGS…`` puts a meta-path finder in front of every other
one that refuses those packages with ``ModuleNotFoundError``, exactly what a machine without
them raises, then runs pytest with the pytest-qt plugin left out. The core's tests (domain,
storage, services, importers, bundles, pdf) must collect and pass like that; the tests that
drive Qt are the ``test_ui_*`` files, the files listed in ``QT_TEST_FILES`` and tests marked
``gui``.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

BLOCKED = ("PySide6", "shiboken6", "pyqtgraph", "qtawesome", "pytestqt")
"""Top-level packages the core may not need: Qt, its bindings' runtime and the Qt-only libraries."""

TESTS = Path(__file__).resolve().parent

QT_TEST_FILES = frozenset({"test_record_list_model.py"})
"""Test files outside ``test_ui_*`` that are about a Qt model."""


class QtBlocker(importlib.abc.MetaPathFinder):
    """Refuses the ``BLOCKED`` packages and everything inside them."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


def core_test_files() -> list[Path]:
    """Every test file that is not about the window or a Qt model."""
    return [
        path
        for path in sorted(TESTS.glob("test_*.py"))
        if not path.name.startswith("test_ui_") and path.name not in QT_TEST_FILES
    ]


def block_qt() -> None:
    if any(name.split(".")[0] in BLOCKED for name in sys.modules):
        raise RuntimeError("Qt is already imported; block it before anything loads it")
    sys.meta_path.insert(0, QtBlocker())


def main(args: Sequence[str]) -> int:
    block_qt()
    import pytest

    # pytest-qt (the name of its entry point) is loaded before any conftest and would import
    # Qt; left out, its ``qt_api`` ini option is merely unknown
    unknown_option = "ignore:Unknown config option:pytest.PytestConfigWarning"
    return int(pytest.main(["-p", "no:pytest-qt", "-W", unknown_option, "-m", "not gui", *args]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
