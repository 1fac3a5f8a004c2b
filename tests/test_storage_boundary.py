"""The repository functions services call instead of touching rows (issue 11), on SQLite and
PostgreSQL: they take plain values and hand back domain values, and the operations that used
to be row mutations in services keep their rules."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewer_app.artifacts import ArtifactStore
from reviewer_app.domain.corrections import CorrectionEntry
from reviewer_app.domain.evidence import ClaimVerdict, Verdict
from reviewer_app.domain.gate import Artifact
from reviewer_app.domain.reviewers import Reviewer
from reviewer_app.services.corrections import CorrectionService
from reviewer_app.services.gate import GateService
from reviewer_app.services.reviewers import ReviewerService
from reviewer_app.services.workspace import Workspace
from reviewer_app.storage import evidence_repository as evidence_repo
from reviewer_app.storage import gate_repository as gate_repo
from reviewer_app.storage import span_repository as span_repo
from reviewer_app.storage.corrections_repository import corrections_of
from reviewer_app.storage.reviewers_repository import ensure_reviewer_profile, reviewer_named

SAMPLE_REPORT = "report-sparse-multimodal-alignment.txt"


@pytest.fixture
def workspace(db_url: str) -> Iterator[Workspace]:
    with Workspace.open(db_url) as opened:
        yield opened


@pytest.fixture
def record(workspace: Workspace, samples: Path) -> str:
    return workspace.import_file(samples / SAMPLE_REPORT).local_id


def test_reviewer_profiles_are_domain_values(workspace: Workspace) -> None:
    service = ReviewerService(workspace.database)
    made = service.ensure(" ana ", orcid="0000-0002-1825-0097")
    assert type(made) is Reviewer
    assert (made.name, made.orcid, made.colour) == ("ana", "0000-0002-1825-0097", "#0072B2")
    assert service.list() == [made]
    with workspace.database.reading() as session:
        assert reviewer_named(session, "ana ") == made
        assert reviewer_named(session, "bo") is None


def test_record_verdict_appends_only_what_changes(workspace: Workspace, record: str) -> None:
    with workspace.database.transaction() as session:
        ana = ensure_reviewer_profile(session, "ana")

        def record_verdict(verdict: str | None, reason: str | None = None) -> ClaimVerdict | None:
            return evidence_repo.record_verdict(
                session,
                record_id=record,
                claim_position=2,
                reviewer=ana,
                verdict=verdict,
                reason=reason,
                note=None,
            )

        assert record_verdict(None) is None  # nothing to clear: no row
        first = record_verdict("supports", "seen in table 2")
        assert isinstance(first, ClaimVerdict) and first.reviewer == "ana"
        assert record_verdict("supports", "seen in table 2") == first  # no new row
        assert record_verdict(None) is None  # a clearing row
        assert record_verdict(None) is None  # already cleared: no row
        history = evidence_repo.verdict_history(session, record, 2, ana.id, "ana")
        current = evidence_repo.current_verdicts(session, record, ana.id, "ana")
        rows = evidence_repo.verdict_rows(session, record, 2, ana.id)
    assert [(v.verdict, v.reason) for v in history] == [(Verdict.SUPPORTS, "seen in table 2")]
    assert current == {}
    assert [row.verdict for row in rows] == ["supports", None]


def test_corrections_and_artifacts_come_back_with_reviewer_names(
    workspace: Workspace, record: str, tmp_path: Path
) -> None:
    filed = CorrectionService(workspace.database).file(
        record, reviewer=" ana ", what="claim 3", why="the table says otherwise"
    )
    artifact_file = tmp_path / "run.py"
    artifact_file.write_text("print('reproduced')\n", encoding="utf-8")
    gate = GateService(workspace.database, ArtifactStore(tmp_path / "artifacts"))
    attached = gate.attach_artifact(record, artifact_file, kind="repro-script", reviewer="bo")
    again = gate.attach_artifact(record, artifact_file, kind="repro-script", reviewer="cy")
    with workspace.database.reading() as session:
        entries = corrections_of(session, record)
        found = gate_repo.find_artifact(session, record, attached.sha256)
        by_record = gate_repo.artifacts_by_record(session)
        missing = gate_repo.find_artifact(session, record, "0" * 64)
    assert entries == [filed] and type(filed) is CorrectionEntry and filed.reviewer == "ana"
    assert type(found) is Artifact and found == attached == again
    assert found.attached_by == "bo"  # attaching it again keeps who attached it first
    assert by_record == {record: [attached]} and missing is None


def test_removing_an_unknown_span_is_reported(workspace: Workspace) -> None:
    with workspace.database.transaction() as session:
        assert span_repo.set_span_removed(session, "no-such-span", True) is False
