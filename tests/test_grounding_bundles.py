"""Grounding results, artifacts and attestations travel in bundles (issue 13, item 6)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from reviewer_app.bundles import open_bundle, write_bundle
from reviewer_app.cli import cli
from tests.bundle_support import rewrite_zip
from tests.grounding_support import QUOTE, make_arxiv_pdf
from tests.review_support import SAMPLE_REPORT


def run(db: str | Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def reviewed(db_url: str, samples: Path, tmp_path: Path) -> tuple[str, str]:
    """A record with a grounded claim, an artifact and an attestation; (record id, artifact)."""
    record = run(db_url, "import", str(samples / SAMPLE_REPORT))[1].split("\t")[0]
    pdf = make_arxiv_pdf(tmp_path / "2407.17856v4.pdf", "2407.17856", 4)
    sha = run(db_url, "attach", record, str(pdf), "--reviewer", "ana")[1].split("\t")[0]
    run(db_url, "annotate", record, "--claim", "1", "--pdf", sha, "--quote", QUOTE,
        "--stance", "supports", "--reviewer", "ana")  # fmt: skip
    script = tmp_path / "repro.py"
    script.write_text("print(42)\n", encoding="utf-8")
    artifact = run(db_url, "artifact", record, str(script), "--kind", "repro-script",
                   "--reviewer", "ana")[1].strip()  # fmt: skip
    results = tmp_path / "out.txt"
    results.write_text("42\n", encoding="utf-8")
    code, _, err = run(db_url, "attest", record, "--artifact", artifact, "--reproduced",
                       "yes", "--results", str(results), "--note", "py3.11",
                       "--reviewer", "ben")  # fmt: skip
    assert code == 0, err
    return record, artifact


def export(db: str, record: str, out: Path) -> None:
    code, _, err = run(db, "export", record, "--out", str(out), "--reviewer", "ana",
                       "--allow-unsigned")  # fmt: skip
    assert code == 0, err


def test_bundle_carries_grounding_artifacts_and_attestations(
    db_url: str, reviewed: tuple[str, str], tmp_path: Path, no_keyring: None
) -> None:
    record, artifact = reviewed
    bundle = tmp_path / "b.zip"
    export(db_url, record, bundle)
    with zipfile.ZipFile(bundle) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
        document = json.loads(archive.read(f"grounding/{record}.json"))
        assert archive.read(f"artifacts/{artifact}") == b"print(42)\n"
    assert {f"grounding/{record}.json", f"artifacts/{artifact}"} <= names
    assert {f["path"] for f in manifest["files"]} >= {f"artifacts/{artifact}"}
    assert document["grounding"]["computed"]["source_grounded_claims"] == 1
    assert document["gate"]["computed"]["status"] == "Reproduced by 1 reviewer"
    assert [a["reviewer"] for a in document["attestations"]] == ["ben"]

    target = tmp_path / "target.sqlite3"
    code, _, err = run(target, "import-bundle", str(bundle), "--allow-unsigned")
    assert code == 0, err
    gate = json.loads(run(target, "gate", record, "--json")[1])
    assert gate["computed"]["status"] == "Reproduced by 1 reviewer"
    assert gate["computed"]["artifacts"][0]["sha256"] == artifact
    assert gate["computed"]["attestations"][0]["note"] == "py3.11"
    again = run(target, "import-bundle", str(bundle), "--allow-unsigned")
    assert again[0] == 0
    gate_again = json.loads(run(target, "gate", record, "--json")[1])
    assert len(gate_again["computed"]["attestations"]) == 1  # re-import adds nothing


def test_verify_names_an_altered_artifact(
    db_url: str, reviewed: tuple[str, str], tmp_path: Path, no_keyring: None
) -> None:
    record, artifact = reviewed
    bundle = tmp_path / "b.zip"
    export(db_url, record, bundle)
    rewrite_zip(bundle, replace={f"artifacts/{artifact}": b"import os; os.system('rm -rf ~')\n"})
    code, out, _ = run(db_url, "verify", str(bundle))
    assert code == 2
    assert f"altered\tartifacts/{artifact}\t" in out
    target = tmp_path / "target.sqlite3"
    code, _, err = run(target, "import-bundle", str(bundle), "--allow-unsigned")
    assert code == 2
    assert f"artifacts/{artifact}" in err


def test_import_refuses_an_attestation_of_an_unlisted_artifact(
    db_url: str, reviewed: tuple[str, str], tmp_path: Path, no_keyring: None
) -> None:
    record, _ = reviewed
    bundle = tmp_path / "b.zip"
    export(db_url, record, bundle)
    with zipfile.ZipFile(bundle) as archive:
        document = json.loads(archive.read(f"grounding/{record}.json"))
    document["attestations"][0]["artifact"] = "f" * 64
    # rewritten with a fresh manifest, so only the content check can refuse it
    contents = open_bundle(bundle)
    members = {**contents.members, f"grounding/{record}.json": json.dumps(document).encode()}
    write_bundle(bundle, members, app_version="0.1.0", reviewer="ana", signer=None)
    assert run(db_url, "verify", str(bundle))[1].startswith("unsigned")
    target = tmp_path / "target.sqlite3"
    code, _, err = run(target, "import-bundle", str(bundle), "--allow-unsigned")
    assert code == 2
    assert (
        f"grounding/{record}.json: attestation 1: attests an artifact the record does not list"
        in err
    )
    assert not target.exists() or "RPT" not in run(target, "list")[1]


def test_an_attestation_in_the_local_reviewers_name_is_refused_and_listed(
    db_url: str,
    reviewed: tuple[str, str],
    tmp_path: Path,
    no_keyring: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 16 for the gate's work: ana's unsigned bundle carries an attestation by ben; on
    ben's own machine it may not speak for him, while ana's artifact still comes in."""
    record, artifact = reviewed
    bundle = tmp_path / "b.zip"
    export(db_url, record, bundle)
    monkeypatch.setenv("REVIEWER_APP_REVIEWER", "ben")
    target = tmp_path / "bens.sqlite3"
    code, out, err = run(target, "import-bundle", str(bundle), "--allow-unsigned")
    assert code == 0, err
    refused = [line.split("\t") for line in out.splitlines() if line.startswith("refused\t")]
    assert [(r[1], r[2]) for r in refused if "attestation" in r[3]] == [("ben", record)]
    gate = json.loads(run(target, "gate", record, "--json")[1])
    assert gate["computed"]["attestations"] == []
    assert [a["sha256"] for a in gate["computed"]["artifacts"]] == [artifact]


def test_verify_flags_an_attestation_not_vouched_for(
    db_url: str,
    reviewed: tuple[str, str],
    tmp_path: Path,
    no_keyring: None,
) -> None:
    """verify's exit 0 means every row of work is vouched for: ben's attestation in ana's
    unsigned bundle is named as not vouched for, under its grounding member."""
    record, _artifact = reviewed
    bundle = tmp_path / "b.zip"
    export(db_url, record, bundle)
    code, out, _err = run(tmp_path / "other.sqlite3", "verify", str(bundle))
    assert code != 0
    flagged = [line for line in out.splitlines() if line.startswith("unvouched")]
    assert any(
        "grounding/" in line and "ben" in line and "attestation" in line for line in flagged
    ), out
