"""Killing the app loses nothing: every change in the window is committed when it is made."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from reviewer_app.domain.evidence import Stance, Verdict
from reviewer_app.services.review import ReviewService
from reviewer_app.services.workspace import Workspace
from tests.pdf_factory import make_lines_pdf
from tests.ui_fixtures import sample_records

REPO = Path(__file__).resolve().parents[1]
REVIEWER = "Kim Crash"
QUOTE = "Sparse experts align image and text tokens"


def test_evidence_and_verdicts_set_in_the_window_survive_a_sigkill(tmp_path: Path) -> None:
    database = tmp_path / "workspace.sqlite3"
    with Workspace.open(database) as workspace:
        for number, record in enumerate(sample_records(), start=1):
            workspace.import_record(record, source_name=f"sample-{number}.txt")

    pdf = make_lines_pdf(tmp_path / "2407.17856v4.pdf", [[QUOTE, "Another line of the paper."]])
    run = subprocess.run(
        [sys.executable, "-m", "tests.crash_driver", str(database), REVIEWER, str(pdf), QUOTE],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )

    assert run.returncode == -signal.SIGKILL, run.stderr
    assert "verdicts set" in run.stdout
    with sqlite3.connect(database) as raw:  # the file is whole after the crash
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with Workspace.open(database) as workspace:
        report = next(s.local_id for s in workspace.list_records() if s.claims_extracted)
        service = ReviewService.for_workspace(workspace)
        states = service.claim_states(report, REVIEWER)
        (span,) = [view.span for view in service.spans(report)]
    assert [s.verdict for s in states] == [
        Verdict.SUPPORTS, Verdict.CONTRADICTS, Verdict.NOT_ENOUGH_EVIDENCE,
    ]  # fmt: skip
    assert states[0].reason is None  # claim 1 has its span: no reason was needed
    assert states[1].reason == "The source is not available to us"
    assert (span.claim_position, span.stance, span.reviewer) == (1, Stance.SUPPORTS, REVIEWER)
    assert span.exact == QUOTE
