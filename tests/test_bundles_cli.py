"""The bundle commands: export, verify, import-bundle; their output and exit codes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import keyring
import pytest
from click.testing import CliRunner

from reviewer_app.cli import cli
from reviewer_app.storage.database import Database
from tests.bundle_db_support import (
    RECORD_PAGE,
    REPORT,
    import_samples,
    populate,
    sign_own_work,
    table_counts,
)
from tests.bundle_support import rewrite_zip
from tests.test_credentials import MemoryKeyring

IDS = ("RPT-60A47641", "SRCH:8F12A054")

# Fixtures shared with the other bundle tests.


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "source.sqlite3"
    database = Database.open(path)
    populate(database, import_samples(database, REPORT, RECORD_PAGE))
    database.close()
    return path


@pytest.fixture
def signed_bundle(source: Path, tmp_path: Path, memory_keyring: MemoryKeyring) -> Path:
    """alice's bundle, carrying bob's, carol's and dana's work with their own signatures."""
    database = Database.open(source)
    sign_own_work(database, IDS, tmp_path, authors=("bob", "carol", "dana"))
    database.close()
    out = tmp_path / "signed.zip"
    code, _, stderr = run(source, "export", *IDS, "--out", str(out), "--reviewer", "alice")
    assert code == 0, stderr
    return out


def test_signed_export_then_verify(source: Path, signed_bundle: Path) -> None:
    code, out, err = run(source, "export", *IDS, "--out", str(signed_bundle), "--reviewer", "alice")
    path, count, signed, fingerprint = out.rstrip("\n").split("\t")
    assert code == 0 and path == str(signed_bundle) and count == "2 records"
    assert signed == "signed by alice" and len(fingerprint.split()) == 16

    code, out, err = run(source, "verify", str(signed_bundle))

    assert code == 0, out + err
    first, *reviewers = out.splitlines()
    assert first.split("\t")[:3] == ["OK", str(signed_bundle), "signed by alice"]
    assert [line.split("\t")[:3] for line in reviewers] == [
        ["reviewer", "alice", "bundle signature"],
        ["reviewer", "bob", "work signature"],
        ["reviewer", "carol", "work signature"],
        ["reviewer", "dana", "work signature"],
    ]
    assert all(line.endswith("already here") for line in reviewers)  # verified where made
    assert "First bundle" not in err  # alice's own key was entered at her first export


def test_export_without_keyring_needs_allow_unsigned(
    source: Path, tmp_path: Path, no_keyring: None
) -> None:
    out = tmp_path / "b.zip"

    code, _, err = run(source, "export", *IDS, "--out", str(out), "--reviewer", "alice")
    assert code == 2 and "--allow-unsigned" in err and not out.exists()

    code, stdout, err = run(
        source, "export", *IDS, "--out", str(out), "--reviewer", "alice", "--allow-unsigned"
    )
    assert code == 0 and stdout.rstrip().endswith("UNSIGNED") and "NOT signed" in err

    code, stdout, err = run(source, "verify", str(out))
    assert code == 2 and stdout.startswith("unsigned\t-\t")


def test_export_needs_a_reviewer(source: Path, tmp_path: Path) -> None:
    code, _, err = run(source, "export", IDS[0], "--out", str(tmp_path / "b.zip"))
    assert code == 2 and "--reviewer" in err


def test_export_of_unknown_record_fails(source: Path, tmp_path: Path) -> None:
    code, _, err = run(
        source,
        "export",
        "NOPE-1",
        "--out",
        str(tmp_path / "b.zip"),
        "--reviewer",
        "alice",
        "--allow-unsigned",
    )
    assert code == 2 and "NOPE-1" in err


def _members(bundle: Path) -> list[str]:
    with zipfile.ZipFile(bundle) as archive:
        return archive.namelist()


def test_tampering_with_any_single_file_is_named(
    source: Path, signed_bundle: Path, tmp_path: Path
) -> None:
    assert run(source, "verify", str(signed_bundle))[0] == 0  # remember alice's key
    original = signed_bundle.read_bytes()
    names = _members(signed_bundle)
    assert len(names) > 10
    for name in names:
        signed_bundle.write_bytes(original)
        with zipfile.ZipFile(signed_bundle) as archive:
            data = archive.read(name)
        tampered = data[:-2] + (b"A=\n" if name == "manifest.sig" else b"x\n")
        rewrite_zip(signed_bundle, replace={name: tampered})

        code, out, err = run(source, "verify", str(signed_bundle))

        assert code == 2, name
        # A payload file is named in the MEMBER column; a broken envelope file (manifest.json,
        # manifest.sig, signer.json) either fails the signature or cannot be read at all.
        named = {line.split("\t")[1] for line in out.splitlines()}
        assert name in named or f"{signed_bundle}: {name}" in err, (name, out, err)


def test_a_changed_key_is_a_loud_warning(source: Path, signed_bundle: Path, tmp_path: Path) -> None:
    assert run(source, "verify", str(signed_bundle))[0] == 0
    keyring.set_keyring(MemoryKeyring())  # alice on a new machine: a new key
    other = tmp_path / "other.zip"
    assert run(source, "export", IDS[0], "--out", str(other), "--reviewer", "alice")[0] == 0

    code, out, err = run(source, "verify", str(other))

    assert code == 2
    assert out.startswith("key-changed\tsigner.json\t")
    assert "THE SIGNING KEY OF REVIEWER 'alice' HAS CHANGED" in err and "!!!!" in err


def test_import_bundle_prints_what_was_added_and_reimport_adds_nothing(
    source: Path, signed_bundle: Path, tmp_path: Path
) -> None:
    target = tmp_path / "target.sqlite3"

    code, out, err = run(target, "import-bundle", str(signed_bundle))

    assert code == 0, err
    lines = dict(line.split("\t", 1) for line in out.splitlines())
    assert lines["RPT-60A47641"] == (
        "new\t6 sheets, 9 verdicts, 3 spans, 1 adjudications, 1 corrections, 1 tiers, 1 sources"
    )
    database = Database.open(target)
    before = table_counts(database)
    code, out, _ = run(target, "import-bundle", str(signed_bundle))
    assert code == 0 and table_counts(database) == before
    assert all("unchanged\t0 sheets, 0 verdicts, 0 spans" in line for line in out.splitlines())
    database.close()


def test_import_bundle_refuses_unsigned_unless_allowed(
    source: Path, tmp_path: Path, no_keyring: None
) -> None:
    bundle = tmp_path / "u.zip"
    run(source, "export", *IDS, "--out", str(bundle), "--reviewer", "alice", "--allow-unsigned")
    target = tmp_path / "target.sqlite3"

    code, out, err = run(target, "import-bundle", str(bundle))
    assert code == 2 and "not signed" in err and out == ""

    code, out, err = run(target, "import-bundle", str(bundle), "--allow-unsigned")
    assert code == 0 and len(out.splitlines()) == 2


def test_import_bundle_names_the_damaged_file(source: Path, signed_bundle: Path, tmp_path: Path):
    rewrite_zip(signed_bundle, replace={"reviews/RPT-60A47641.json": b"{}"})

    code, out, err = run(tmp_path / "target.sqlite3", "import-bundle", str(signed_bundle))

    assert code == 2 and out == ""
    assert str(signed_bundle) in err and "reviews/RPT-60A47641.json was changed" in err


@pytest.mark.parametrize(
    ("command", "documented"),
    [
        ("export", "signed by NAME"),
        ("verify", "KIND<TAB>MEMBER<TAB>MESSAGE"),
        ("import-bundle", "ID<TAB>REVISION<TAB>ADDED"),
        ("correct", "ID<TAB>CORRECTION-ID<TAB>STATUS<TAB>COUNT"),
        ("corrections", '"history"'),
    ],
)
def test_help_documents_the_output(tmp_path: Path, command: str, documented: str) -> None:
    code, out, _ = run(tmp_path / "unused.sqlite3", command, "--help")
    assert code == 0 and documented in out
    assert not (tmp_path / "unused.sqlite3").exists()  # --help opens no database
