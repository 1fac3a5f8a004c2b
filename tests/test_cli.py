"""The CLI contract of issue 3: import, list, show --json, errors and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from reviewer_app.cli import cli
from reviewer_app.config import schema_path

RECORD_SCHEMA = json.loads(schema_path("record.schema.json").read_text())


def run(db: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def all_samples(samples: Path) -> list[str]:
    return [str(p) for p in sorted(samples.glob("*.txt"))]


def test_import_prints_id_kind_title_per_record(db_url: str, all_samples: list[str]) -> None:
    code, out, err = run(db_url, "import", *all_samples)
    assert code == 0, err
    lines = [line.split("\t") for line in out.splitlines()]
    assert len(lines) == 5
    assert all(len(fields) == 3 for fields in lines)
    kinds = sorted(kind for _, kind, _ in lines)
    assert kinds == ["paper", "record", "record", "report", "report"]
    assert [
        "SRCH:8F12A054",
        "record",
        "Scaling Vision-Language Models with Sparse Mixture of Experts",
    ] in lines


def test_reimport_of_identical_files_creates_no_duplicates(
    db_url: str, all_samples: list[str]
) -> None:
    run(db_url, "import", *all_samples)
    code, _, _ = run(db_url, "import", *all_samples)
    assert code == 0
    _, out, _ = run(db_url, "list", "--json")
    listed = json.loads(out)
    assert len(listed) == 5
    assert all(entry["revisions"] == 1 for entry in listed)


def test_show_json_matches_schema_and_values(db_url: str, all_samples: list[str]) -> None:
    run(db_url, "import", *all_samples)
    _, out, _ = run(db_url, "list")
    ids = [line.split("\t")[0] for line in out.splitlines()]
    shown = {}
    for record_id in ids:
        code, out, err = run(db_url, "show", record_id, "--json")
        assert code == 0, err
        document = json.loads(out)
        jsonschema.validate(document, RECORD_SCHEMA)
        shown[document["id"]] = document
    page = shown["SRCH:8F12A054"]
    assert page["quality_tier"]["tier"] == "Watchlist"
    assert page["review_score"] == 7.33
    assert page["verification"]["level"] == "L2"
    reports = [d for d in shown.values() if d["kind"] == "report"]
    with_claims = next(d for d in reports if d["claims"])
    assert [c["confidence"] for c in with_claims["claims"]][:3] == [0.07, 0.06, 0.04]
    assert with_claims["date"] == "2026-05-29"


def test_a_changed_version_becomes_a_new_revision(tmp_path: Path, samples: Path) -> None:
    db = str(tmp_path / "w.sqlite3")
    original = samples / "record-page-label-value.txt"
    changed = tmp_path / "record-page-corrected.txt"
    changed.write_text(
        original.read_text().replace("Review score: 7.33/10", "Review score: 7.5/10")
    )
    run(db, "import", str(original))
    code, _, _ = run(db, "import", str(changed))
    assert code == 0
    _, out, _ = run(db, "show", "SRCH:8F12A054", "--json")
    assert json.loads(out)["review_score"] == 7.5
    _, out, _ = run(db, "show", "SRCH:8F12A054", "--json", "--revision", "1")
    assert json.loads(out)["review_score"] == 7.33


def test_refused_files_exit_2_but_good_files_are_imported(tmp_path: Path, samples: Path) -> None:
    db = str(tmp_path / "w.sqlite3")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    good = samples / "paper-page-benchmarks.txt"
    code, out, err = run(db, "import", str(empty), str(good))
    assert code == 2
    assert "empty.txt" in err
    assert len(out.splitlines()) == 1
    assert out.split("\t")[1] == "paper"


def test_refused_file_leaves_the_database_unchanged(tmp_path: Path, samples: Path) -> None:
    db = str(tmp_path / "w.sqlite3")
    run(db, "import", str(samples / "report-no-claims.txt"))
    before = run(db, "list", "--json")[1]
    cut = tmp_path / "cut.txt"
    text = (samples / "report-sparse-multimodal-alignment.txt").read_text()
    cut.write_text(text[: len(text) // 2])
    code, _, err = run(db, "import", str(cut))
    assert code == 2
    assert "cut.txt" in err
    assert run(db, "list", "--json")[1] == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "SRCH:DOESNOTEXIST", "--json"], "no record 'SRCH:DOESNOTEXIST'"),
        (["import", "/no/such/file.txt"], "/no/such/file.txt"),
    ],
)
def test_errors_print_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    code, _, err = run(str(tmp_path / "w.sqlite3"), *args)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_bad_database_url_is_one_clear_line() -> None:
    code, _, err = run("postgresql+psycopg://nobody@127.0.0.1:1/none", "list")
    assert code == 2
    assert err.startswith("reviewer-app: error: postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert len(err.strip().splitlines()) == 1


def test_console_script_runs_without_importing_qt(tmp_path: Path, samples: Path) -> None:
    script = Path(sys.executable).parent / "reviewer-app"
    db = str(tmp_path / "w.sqlite3")
    done = subprocess.run(
        [str(script), "--db", db, "import", str(samples / "report-no-claims.txt")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("RPT-")
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, reviewer_app.cli, reviewer_app.services.workspace;"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in"
            " ('PySide6', 'pyqtgraph', 'qtawesome')))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.strip() == "[]"
