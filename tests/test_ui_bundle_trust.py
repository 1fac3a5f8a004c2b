"""The window's verify and import dialogs say which work a bundle may not bring in."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

from reviewer_app.bundles import JsonTrustStore
from reviewer_app.services.bundles import BundleService
from reviewer_app.services.scoring import ScoringService
from reviewer_app.services.workspace import Workspace
from tests.bundle_db_support import add_sheet
from tests.test_ui_bundles import open_window

pytest_plugins = ("tests.ui_fixtures",)
RECORD = "SRCH:8F12A054"


def test_import_lists_the_rows_left_out_and_keeps_the_local_sheet(
    qtbot, tmp_path: Path, samples: Path, memory_keyring
) -> None:
    with Workspace.open(tmp_path / "mallory.sqlite3") as theirs:
        theirs.import_file(samples / "record-page-label-value.txt")
        with theirs.database.transaction() as session:
            add_sheet(session, RECORD, "ada", minutes=900, score=9.9)  # in ada's name
            add_sheet(session, RECORD, "mallory", minutes=901, score=5.0)
        bundle = tmp_path / "from-mallory.zip"
        BundleService(theirs.database, trust=JsonTrustStore(tmp_path / "m.json")).export(
            [RECORD], bundle, reviewer="mallory"
        )
    answers: list[str] = []
    with Workspace.open(tmp_path / "ada.sqlite3") as mine:
        mine.import_file(samples / "record-page-label-value.txt")
        ScoringService(mine.database).sheets.save(
            RECORD, "ada", dimensions={"evidence_strength": "LOW"}, review_score=6.5, submit=True
        )
        window = open_window(qtbot, mine, answers)
        window.show_record(RECORD)
        window.ask_bundle_path = lambda: bundle

        with qtbot.waitSignal(window.bundles.sig_op_finished, timeout=20_000):
            window.app_actions["verify_bundle"].trigger()
        verified = answers[-1]
        with qtbot.waitSignal(window.bundles.sig_op_finished, timeout=20_000):
            window.app_actions["import_bundle"].trigger()
        imported = answers[-1]

        assert "but some work is not signed by its author" in verified
        assert "ada: vouched for by nobody" in verified
        assert "mallory: vouched for by bundle signature (key seen for the first time)" in verified
        assert imported.startswith(f"info: Imported from-mallory.zip: {RECORD}: ")
        assert f"Left out, ada: {RECORD}, submitted score sheet" in imported
        assert (
            "First bundle from reviewer 'mallory'" in imported and "is now remembered" in imported
        )
        assert f"unvouched: reviews/SRCH_8F12A054.json: ada, {RECORD}, submitted" in verified
        sheet = ScoringService(mine.database).sheets.own(RECORD, "ada")
        assert sheet is not None and sheet.review_score == 6.5
