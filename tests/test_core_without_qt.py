"""The core's tests run where PySide6, pyqtgraph and qtawesome are not installed (issue 11).

Each check runs pytest in a child process whose imports of Qt fail as on a machine without it
(``tests/without_qt.py``): every core test file must collect there, and a cross-section of
them (domain, importers, storage on SQLite and PostgreSQL, services, bundles, pdf) must pass.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.without_qt import core_test_files

ROOT = Path(__file__).resolve().parents[1]

# One file a layer, chosen for speed: together they import every core package.
CROSS_SECTION = (
    "tests/test_consensus.py",  # domain
    "tests/test_tier_policy.py",  # domain
    "tests/test_importers.py",  # importers
    "tests/test_storage_boundary.py",  # storage, SQLite and PostgreSQL
    "tests/test_scoring.py",  # services
    "tests/test_bundle_roundtrip.py",  # bundles
    "tests/test_pdf_open.py",  # pdf
)


def run_without_qt(*args: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "tests.without_qt"]
    return subprocess.run(
        [*command, *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_blocker_fails_qt_imports_as_a_machine_without_qt_does() -> None:
    done = run_without_qt(
        code=(
            "from tests.without_qt import block_qt\n"
            "block_qt()\n"
            "qt = ('PySide6.QtWidgets', 'pyqtgraph', 'qtawesome', 'reviewer_app.ui.main_window')\n"
            "for name in qt:\n"
            "    try:\n"
            "        __import__(name)\n"
            "    except ModuleNotFoundError as exc:\n"
            "        print(name, 'missing', exc.name)\n"
            "import reviewer_app.services.workspace\n"
            "print('core imported')\n"
        )
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "PySide6.QtWidgets missing PySide6",
        "pyqtgraph missing pyqtgraph",
        "qtawesome missing qtawesome",
        "reviewer_app.ui.main_window missing PySide6",
        "core imported",
    ]


def test_every_core_test_file_collects_without_qt() -> None:
    files = [str(path.relative_to(ROOT)) for path in core_test_files()]
    assert "tests/test_scoring.py" in files and not any("test_ui_" in f for f in files)
    done = run_without_qt("--collect-only", "-q", *files)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert " collected" in done.stdout or "tests collected" in done.stdout, done.stdout[-500:]
    assert "error" not in done.stdout.splitlines()[-1].lower(), done.stdout[-3000:]


@pytest.mark.slow
def test_a_cross_section_of_core_tests_passes_without_qt() -> None:
    done = run_without_qt("-q", "-p", "no:cacheprovider", *CROSS_SECTION)
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in summary and "failed" not in summary and "error" not in summary, summary
