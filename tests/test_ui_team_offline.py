"""The server goes away under an open window: a banner says so, and a verdict saved meanwhile
is refused with a message naming what was not saved (issue 14). Uses a PostgreSQL server of
its own, since it is stopped."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from reviewer_app.domain.evidence import Verdict
from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.main_window import MainWindow
from tests.conftest import SAMPLES
from tests.pg_server import PostgresServer, PostgresUnavailable, start_server
from tests.team_support import REPORT

pytest_plugins = ("tests.ui_fixtures",)
pytestmark = pytest.mark.postgres


@pytest.fixture
def own_server() -> Iterator[PostgresServer]:
    try:
        server = start_server()
    except PostgresUnavailable as exc:
        pytest.skip(str(exc))
    yield server
    server.stop()


def test_server_gone_banner_and_unsaved_verdict_named(qtbot, own_server: PostgresServer) -> None:
    admin = create_engine(own_server.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("CREATE DATABASE gone"))
    admin.dispose()
    workspace = Workspace.open(own_server.url_for("gone"))
    record = workspace.import_files([SAMPLES / REPORT]).imported[0].local_id
    window = MainWindow(workspace, settings=None)
    qtbot.addWidget(window)
    errors: list[tuple[str, str]] = []
    window.show_error = lambda title, body: errors.append((title, body))
    window.show()
    window.records.select(record)
    live = window.live_updates
    assert live is not None
    qtbot.waitUntil(lambda: live.listening)
    window.claims.select_position(1)

    own_server.stop()
    qtbot.waitUntil(lambda: live.connection_lost, timeout=15000)
    assert "Reconnecting" in live.banner.text()
    qtbot.waitUntil(lambda: live.banner.isVisible())
    # the banner spans the window (it was once squeezed into a narrow box at the left)
    assert live.banner.width() >= 0.8 * window.width()
    assert window.review.set_verdict(Verdict.NOT_ENOUGH_EVIDENCE) is False
    [(title, body)] = errors
    assert title == "Verdict not recorded"
    assert "connection to the database lost, not saved" in body
    window.close()
    workspace.close()
