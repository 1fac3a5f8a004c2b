"""Downloading a source from arXiv in the window, against a real server on loopback."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.main_window import MainWindow
from tests.arxiv_support import FakeArxiv

pytest_plugins = ("tests.ui_fixtures",)

REPORT = "report-sparse-multimodal-alignment.txt"


@pytest.fixture
def window(qtbot, tmp_path: Path, samples: Path) -> Iterator[MainWindow]:
    with Workspace.open(tmp_path / "w.sqlite3") as ws:
        outcome = ws.import_file(samples / REPORT)
        main = MainWindow(ws)
        qtbot.addWidget(main)
        main.errors = []  # type: ignore[attr-defined]
        main.show_error = lambda title, text: main.errors.append(text)  # type: ignore[attr-defined]
        main.show_record(outcome.local_id)
        yield main
        main.close()


def test_download_attaches_and_shows_the_reference(
    qtbot, window: MainWindow, fake_arxiv: FakeArxiv
) -> None:
    window.downloads.base_url = fake_arxiv.url
    assert window.review.sources.bar.current_slot().arxiv_id == "2407.17856"
    with qtbot.waitSignal(window.downloads.sig_download_done, timeout=20_000) as done:
        assert window.downloads.download_current()
    assert done.args == [True]
    slot = window.review.sources.bar.current_slot()
    assert [f.file_name for f in slot.files] == ["2407.17856v4.pdf"]
    assert window.pdf_pane.view.page_count > 0
    assert fake_arxiv.requests == ["/pdf/2407.17856v4"]
    assert window.errors == []  # type: ignore[attr-defined]


def test_offline_download_says_so(qtbot, window: MainWindow, tmp_path: Path) -> None:
    window.downloads.base_url = "http://127.0.0.1:9"  # the discard port: nothing listens
    with qtbot.waitSignal(window.downloads.sig_download_done, timeout=20_000) as done:
        window.downloads.download_current()
    assert done.args == [False]
    assert len(window.errors) == 1 and "offline?" in window.errors[0]  # type: ignore[attr-defined]
    assert window.review.sources.bar.current_slot().files == []
