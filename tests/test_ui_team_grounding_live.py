"""A colleague's gate artifact and attestation appear live in the other window's grounding tab
(team workspace, issues 13 and 14)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer_app.services.gate import GateService
from reviewer_app.services.workspace import Workspace
from reviewer_app.ui.main_window import MainWindow
from tests.team_support import Team
from tests.test_ui_team_live import windows  # noqa: F401  (the two-window fixture)

pytest_plugins = ("tests.ui_fixtures", "tests.team_support")
pytestmark = pytest.mark.postgres


def attesters_shown(window: MainWindow) -> list[str]:
    report = window.scoring_dock.grounding.gate_report
    return [] if report is None else [a.reviewer for a in report.attestations]


def test_a_colleagues_attestation_appears_live_in_the_grounding_tab(
    qtbot,
    team: Team,
    windows: dict[str, MainWindow],  # noqa: F811
    tmp_path: Path,
) -> None:
    alice = windows["alice"]
    dock = alice.scoring_dock
    dock.tabs.setCurrentWidget(dock.grounding)
    qtbot.waitUntil(lambda: dock.grounding.gate_report is not None)
    assert attesters_shown(alice) == []

    record = team.records[0]
    script = tmp_path / "repro.sh"
    script.write_text("#!/bin/sh\necho 42\n")
    with Workspace.open(team.urls["bob"]) as workspace:
        gate = GateService.for_database(workspace.database)
        artifact = gate.attach_artifact(
            record, script, kind="repro-script", reviewer=team.roles["bob"]
        )
        qtbot.waitUntil(lambda: "Artifact attached" in dock.grounding.gate_label.text())
        with qtbot.waitSignal(alice.live_updates.sig_repainted, timeout=5000):
            gate.attest(record, artifact_sha256=artifact.sha256, reproduced=True,
                        reviewer=team.roles["bob"])  # fmt: skip
    qtbot.waitUntil(lambda: attesters_shown(alice) == [team.roles["bob"]])
    assert "Reproduced by 1 reviewer" in dock.grounding.gate_label.text()
    assert alice.errors == []  # type: ignore[attr-defined]
