"""The Grounding tab's "Allow online checks" switch (issue 13, item 1): off by default and
remembered in the user's settings; when on, arXiv (here a real HTTP server on loopback, never
the internet) is asked off the GUI thread; offline the check says "not checked online"."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import socket
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtTest import QTest

from reviewer_app.services.review import ReviewService
from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.grounding_view import GroundingView, grounding_view_for
from reviewer_app.ui.main_window import MainWindow
from reviewer_app.user_settings import load_settings
from tests.grounding_support import make_arxiv_pdf
from tests.review_support import SAMPLE_REPORT

NEWEST = {"2407.17856": 4, "2308.12898": 2}
"""The versions the fake arXiv knows (the report's third reference is unknown to it)."""


@dataclass
class FakeArxivApi:
    url: str = ""
    asked: list[str] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)


@pytest.fixture
def arxiv_api() -> Iterator[FakeArxivApi]:
    site = FakeArxivApi()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
            arxiv_id = query["id_list"][0]
            site.asked.append(arxiv_id)
            site.release.wait(timeout=20)  # held until the test has looked at the window
            entry = ""
            if arxiv_id in NEWEST:
                entry = (f"<entry><id>http://arxiv.org/abs/{arxiv_id}v{NEWEST[arxiv_id]}</id>"
                         "</entry>")  # fmt: skip
            body = f"<feed>{entry}</feed>".encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/atom+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site.url = f"http://127.0.0.1:{server.server_port}/api/query"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield site
    site.release.set()
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def record(tmp_path: Path, samples: Path) -> Iterator[tuple[Workspace, str]]:
    with Workspace.open(tmp_path / "workspace.sqlite3") as workspace:
        record_id = workspace.import_file(samples / SAMPLE_REPORT).local_id
        pdf = make_arxiv_pdf(tmp_path / "2407.17856v4.pdf", "2407.17856", 4)
        ReviewService.for_workspace(workspace).attach_pdf(record_id, pdf, reviewer="ana")
        yield workspace, record_id


def online_messages(view: GroundingView) -> list[str]:
    tree = view.references
    messages = []
    for row in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(row)
        for child in range(top.childCount()):
            if top.child(child).text(0).endswith(" online"):
                messages.append(top.child(child).text(1))
    return messages


def open_view(qtbot, workspace: Workspace, record_id: str, url: str) -> GroundingView:
    view = grounding_view_for(workspace)
    view.arxiv_api_url = url
    qtbot.addWidget(view)
    view.show()
    view.show_record(record_id)
    return view


def test_online_checks_are_off_until_allowed_then_asked_off_the_gui_thread(
    qtbot, record: tuple[Workspace, str], arxiv_api: FakeArxivApi
) -> None:
    workspace, record_id = record
    view = open_view(qtbot, workspace, record_id, arxiv_api.url)
    assert not view.online_box.isChecked()
    assert online_messages(view) == ["not checked online"] * 3
    assert arxiv_api.asked == []

    box = view.online_box
    QTest.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert view.online_box.isChecked()
    assert load_settings().allow_online_checks is True
    # arXiv is holding its answer: the window still answers and says it is asking
    qtbot.waitUntil(lambda: len(arxiv_api.asked) >= 1)
    assert view.online_pending
    assert view.online_status.text() == "Asking arXiv…"
    assert online_messages(view) == ["not checked online"] * 3  # the offline report meanwhile
    arxiv_api.release.set()
    qtbot.waitUntil(lambda: not view.online_pending, timeout=10_000)
    assert online_messages(view) == [
        "arXiv confirms 2407.17856 (newest v4)",
        "arXiv confirms 2308.12898 (newest v2)",
        "arXiv does not know 2312.11456",
    ]
    assert view.online_status.text() == "Online: 2 of 3 arXiv references confirmed"
    assert sorted(arxiv_api.asked) == ["2308.12898", "2312.11456", "2407.17856"]

    # remembered: a new view (a new session) starts with online checks on
    again = open_view(qtbot, workspace, record_id, arxiv_api.url)
    assert again.online_box.isChecked()
    qtbot.waitUntil(lambda: not again.online_pending, timeout=10_000)
    again.online_box.setChecked(False)
    assert load_settings().allow_online_checks is False
    assert online_messages(again) == ["not checked online"] * 3


def test_offline_says_not_checked_online(qtbot, record: tuple[Workspace, str]) -> None:
    workspace, record_id = record
    with socket.socket() as probe:  # a loopback port nobody listens on: as good as offline
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}/api/query"
    view = open_view(qtbot, workspace, record_id, closed)
    view.online_box.setChecked(True)
    qtbot.waitUntil(lambda: not view.online_pending, timeout=10_000)
    messages = online_messages(view)
    assert len(messages) == 3
    assert all(m.startswith("not checked online: arXiv could not be reached") for m in messages)
    assert view.online_status.text() == (
        "Online: 0 of 3 arXiv references confirmed, 3 not checked online"
    )


def test_the_online_status_does_not_widen_the_scoring_panel(
    qtbot, record: tuple[Workspace, str], tmp_path: Path
) -> None:
    """Found under Xvfb at 1366x768: the one-line status ("Online: 0 of 3 arXiv references
    confirmed, 3 not checked online") widened the scoring panel, squeezing the PDF pane until
    its toolbar overflowed, and was still cut off at the screen's edge."""
    workspace, record_id = record
    settings = QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat)
    window = MainWindow(workspace, settings=settings, report_message=lambda *_: None)
    qtbot.addWidget(window)
    window.resize(1366, 740)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.sig_record_shown):
        window.records.select(record_id)
    window.app_actions["scoring_panel"].setChecked(True)
    dock = window.scoring_dock
    qtbot.waitUntil(dock.isVisible)
    tabs = dock.tabs
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == "Grounding"))
    view = dock.grounding
    qtbot.waitUntil(lambda: view.report is not None)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        view.arxiv_api_url = f"http://127.0.0.1:{probe.getsockname()[1]}/api/query"
    box = view.online_box
    QTest.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    qtbot.waitUntil(lambda: not view.online_pending, timeout=10_000)
    assert "3 not checked online" in view.online_status.text()
    # the sentence wraps within the panel instead of asking for more room than it has
    assert view.online_status.minimumSizeHint().width() <= view.width() <= dock.width()
    window.close()
