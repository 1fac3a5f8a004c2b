"""Gate artifacts, attestations and the computed gate status (issue 13, item 4), with the CLI."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from reviewer_app.artifacts import ArtifactRefused, ArtifactStore
from reviewer_app.cli import cli
from reviewer_app.services.gate import GateService, artifact_store_dir
from reviewer_app.services.workspace import Workspace
from reviewer_app.storage.grounding_models import GateArtifactRow, GateAttestationRow

RECORD_PAGE = "record-page-pipe-table.txt"  # imported gate verdict: Unverified


def run(db: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def record(db_url: str, samples: Path) -> str:
    code, out, _ = run(db_url, "import", str(samples / RECORD_PAGE))
    assert code == 0
    return out.split("\t")[0]


def write(path: Path, text: str, *, executable: bool = False) -> Path:
    path.write_text(text, encoding="utf-8")
    if executable:
        os.chmod(path, 0o755)
    return path


def gate(db_url: str, record: str) -> dict:
    code, out, err = run(db_url, "gate", record, "--json")
    assert code == 0, err
    return json.loads(out)


def test_gate_states_from_unverified_to_reproduced(
    db_url: str, record: str, tmp_path: Path
) -> None:
    first = gate(db_url, record)
    assert set(first) >= {"imported", "computed", "differs"}
    assert set(first["computed"]) >= {"status", "artifacts", "attestations", "basis"}
    assert first["imported"]["status"] == "Unverified"
    assert (first["computed"]["status"], first["differs"]) == ("Unverified", False)

    script = write(tmp_path / "repro.sh", "#!/bin/sh\necho 42 > results.txt\n", executable=True)
    code, out, _ = run(db_url, "artifact", record, str(script), "--kind", "repro-script",
                       "--reviewer", "ana")  # fmt: skip
    assert code == 0
    sha = out.strip()
    assert len(sha) == 64
    stored = artifact_store_dir() / sha[:2] / sha[2:]
    assert stored.read_bytes() == script.read_bytes()
    assert not stored.stat().st_mode & (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    attached = gate(db_url, record)["computed"]
    assert attached["status"] == "Artifact attached"
    assert attached["artifacts"][0]["kind"] == "repro-script"
    assert attached["artifacts"][0]["attached_by"] == "ana"

    results = write(tmp_path / "results.txt", "42\n")
    for reviewer in ("ben", "cy"):
        code, out, err = run(db_url, "attest", record, "--artifact", sha, "--reproduced", "yes",
                             "--results", str(results), "--note", "Debian 12, sh",
                             "--reviewer", reviewer)  # fmt: skip
        assert code == 0, err
        assert json.loads(out)["reproduced"] is True
    reproduced = gate(db_url, record)
    assert reproduced["computed"]["status"] == "Reproduced by 2 reviewers"
    assert reproduced["computed"]["reproduced_by"] == ["ben", "cy"]
    assert "agrees" in reproduced["computed"]["basis"]
    assert len(reproduced["computed"]["attestations"]) == 2
    assert reproduced["differs"] is True  # imported Unverified, the review reproduced it


def test_disagreeing_results_and_refusals_are_not_reproduced(
    db_url: str, record: str, tmp_path: Path
) -> None:
    proof = write(tmp_path / "Main.lean", "theorem t : 1 + 1 = 2 := rfl\n")
    sha = run(db_url, "artifact", record, str(proof), "--kind", "proof", "--reviewer", "ana")[1]
    sha = sha.strip()
    one = write(tmp_path / "one.txt", "1\n")
    two = write(tmp_path / "two.txt", "2\n")
    run(db_url, "attest", record, "--artifact", sha, "--reproduced", "yes", "--results", str(one),
        "--reviewer", "ben")  # fmt: skip
    run(db_url, "attest", record, "--artifact", sha, "--reproduced", "yes", "--results", str(two),
        "--reviewer", "cy")  # fmt: skip
    computed = gate(db_url, record)["computed"]
    assert computed["status"] == "Not reproduced"
    assert computed["basis"].startswith("the reproduced results disagree")
    # cy's newer attestation replaces the earlier one in the status; both stay stored
    run(db_url, "attest", record, "--artifact", sha, "--reproduced", "no", "--reviewer", "cy",
        "--note", "lean 4.9 fails")  # fmt: skip
    computed = gate(db_url, record)["computed"]
    assert computed["status"] == "Reproduced by 1 reviewer"
    assert computed["basis"].endswith("cy could not reproduce it")
    assert len(computed["attestations"]) == 3
    run(db_url, "attest", record, "--artifact", sha, "--reproduced", "no", "--reviewer", "ben")
    assert gate(db_url, record)["computed"]["status"] == "Not reproduced"


def test_unknown_artifact_and_missing_results_change_nothing(
    db_url: str, record: str, tmp_path: Path
) -> None:
    code, _, err = run(db_url, "attest", record, "--artifact", "0" * 64, "--reproduced", "yes",
                       "--reviewer", "ben")  # fmt: skip
    assert code == 2
    assert "has no artifact with SHA-256 " + "0" * 64 in err
    sha = run(db_url, "artifact", record, str(write(tmp_path / "a.py", "print(1)\n")))[1].strip()
    code, _, err = run(db_url, "attest", record, "--artifact", sha, "--reproduced", "yes",
                       "--results", str(tmp_path / "nope.txt"), "--reviewer", "ben")  # fmt: skip
    assert code == 2
    assert "nope.txt: results file not found" in err
    with Workspace.open(db_url) as workspace, workspace.database.reading() as session:
        assert session.scalar(select(func.count()).select_from(GateAttestationRow)) == 0


def test_too_large_artifact_is_refused_and_nothing_stored(
    db_url: str, record: str, tmp_path: Path
) -> None:
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * 2048)
    with Workspace.open(db_url) as workspace:
        service = GateService(workspace.database, ArtifactStore(tmp_path / "store", max_bytes=1024))
        with pytest.raises(ArtifactRefused, match=r"big\.bin: is 2\.0 KiB, more than the 1\.0 KiB"):
            service.attach_artifact(record, big, reviewer="ana")
        with workspace.database.reading() as session:
            assert session.scalar(select(func.count()).select_from(GateArtifactRow)) == 0
    assert not any(p.is_file() for p in (tmp_path / "store").rglob("*"))


def test_same_artifact_twice_is_stored_once(db_url: str, record: str, tmp_path: Path) -> None:
    script = write(tmp_path / "r.sh", "echo\n")
    first = run(db_url, "artifact", record, str(script))[1]
    again = run(db_url, "artifact", record, str(script))[1]
    assert first == again
    assert len(gate(db_url, record)["computed"]["artifacts"]) == 1
    code, _, err = run(db_url, "artifact", record, str(script), "--kind", "binary")
    assert "binary" in err
    assert code == 2  # click refuses the unknown kind
