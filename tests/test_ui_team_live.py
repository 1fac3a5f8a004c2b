"""Two windows, two database roles: a colleague's verdict appears live in the other window, and
a lost listening connection shows a banner until it is back (issue 14)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings

from reviewer_app.domain.evidence import Verdict
from reviewer_app.services.scoring import ScoringService
from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.main_window import MainWindow
from tests.team_support import Team

pytest_plugins = ("tests.ui_fixtures", "tests.team_support")
pytestmark = pytest.mark.postgres


def open_window(qtbot, url: str, settings: QSettings) -> MainWindow:
    window = MainWindow(Workspace.open(url), settings=settings)
    qtbot.addWidget(window)
    errors: list[tuple[str, str]] = []
    window.show_error = lambda title, text: errors.append((title, text))
    window.errors = errors  # type: ignore[attr-defined]
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def windows(qtbot, team: Team, tmp_path) -> Iterator[dict[str, MainWindow]]:
    record = team.records[0]
    for who, score in (("alice", 4.0), ("bob", 7.0)):
        with Workspace.open(team.urls[who]) as workspace:
            ScoringService(workspace.database).sheets.save(
                record, team.roles[who], dimensions={}, review_score=score, submit=True
            )
    opened = {
        who: open_window(qtbot, team.urls[who], QSettings(str(tmp_path / f"{who}.ini"),
                                                          QSettings.Format.IniFormat))
        for who in ("alice", "bob")
    }  # fmt: skip
    for window in opened.values():
        window.records.select(record)
        window.scoring_dock.show()
        qtbot.waitUntil(lambda w=window: w.live_updates is not None and w.live_updates.listening)
    yield opened
    for window in opened.values():
        window.close()
        window.workspace.close()


def claim_verdicts_shown(window: MainWindow, position: int) -> tuple[str, ...]:
    comparison = window.scoring_dock.comparison.model.comparison()
    assert comparison is not None
    for row in comparison.rows:
        if row.field == f"claim_verdicts:{position}":
            return row.values
    return ()


def test_a_colleagues_verdict_appears_live(qtbot, team: Team, windows) -> None:
    alice, bob = windows["alice"], windows["bob"]
    assert alice.reviewer_combo.reviewer == team.roles["alice"]
    assert not alice.reviewer_combo.isEnabled()  # the role is the reviewer
    alice.scoring_dock.tabs.setCurrentWidget(alice.scoring_dock.comparison)
    assert "not-enough-evidence" not in claim_verdicts_shown(alice, 2)

    bob.claims.select_position(2)
    with qtbot.waitSignal(alice.live_updates.sig_repainted, timeout=5000):
        assert bob.review.set_verdict(Verdict.NOT_ENOUGH_EVIDENCE)
    qtbot.waitUntil(lambda: "not-enough-evidence" in claim_verdicts_shown(alice, 2))
    columns = alice.scoring_dock.comparison.model.comparison().columns  # type: ignore[union-attr]
    assert team.roles["bob"] in columns
    assert bob.errors == [] and alice.errors == []  # type: ignore[attr-defined]


def test_a_lost_connection_shows_a_banner_and_reconnects(qtbot, team: Team, windows) -> None:
    alice = windows["alice"]
    live = alice.live_updates
    assert live is not None and not live.connection_lost
    team.sql(
        "owner",
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE application_name = 'reviewer-app live updates' AND usename = :role",
        role=team.roles["alice"],
    )
    qtbot.waitUntil(lambda: live.connection_lost, timeout=15000)
    assert "Connection to the team database lost" in live.banner.text()
    qtbot.waitUntil(lambda: not live.connection_lost and live.listening, timeout=15000)

    # listening again: the next colleague's change still arrives
    windows["bob"].claims.select_position(3)
    with qtbot.waitSignal(live.sig_repainted, timeout=5000):
        windows["bob"].review.set_verdict(Verdict.NOT_ENOUGH_EVIDENCE)


def test_a_hidden_tab_catches_up_when_shown(qtbot, team: Team, windows) -> None:
    alice, bob = windows["alice"], windows["bob"]
    dock = alice.scoring_dock
    dock.tabs.setCurrentWidget(dock.sheet_editor)  # the reviewer is typing her own sheet
    bob.claims.select_position(4)
    with qtbot.waitSignal(alice.live_updates.sig_repainted, timeout=5000):
        assert bob.review.set_verdict(Verdict.NOT_ENOUGH_EVIDENCE)
    dock.tabs.setCurrentWidget(dock.comparison)
    assert "not-enough-evidence" in claim_verdicts_shown(alice, 4)
