"""The quick records list (``storage/record_listing.py``): read from a SQLite file with
``sqlite3``, it says the same as the same SQL run through SQLAlchemy, and leaves anything out of
the ordinary to opening the workspace as usual; ``reviewer-app list`` prints it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner

from reviewer_app.cli import cli
from reviewer_app.services.records_list import quick_record_summaries
from reviewer_app.services.workspace import Workspace
from reviewer_app.storage.record_listing import read_sqlite_latest_revisions
from reviewer_app.storage.records_repository import latest_revisions


def a_workspace(tmp_path: Path, samples: Path) -> Path:
    """Every sample (dates, scores, tiers and their absence), one of them in two revisions."""
    db = tmp_path / "w.sqlite3"
    original = samples / "record-page-label-value.txt"
    changed = tmp_path / "record-page-corrected.txt"
    changed.write_text(
        original.read_text().replace("Review score: 7.33/10", "Review score: 7.5/10")
    )
    with Workspace.open(db) as workspace:
        workspace.import_files([*sorted(samples.glob("*.txt")), changed])
    return db


def test_the_quick_list_says_what_sqlalchemy_reads(tmp_path: Path, samples: Path) -> None:
    db = a_workspace(tmp_path, samples)
    with Workspace.open(db) as workspace, workspace.database.reading() as session:
        expected = latest_revisions(session)
    assert read_sqlite_latest_revisions(str(db)) == expected
    assert len(expected) == 5
    assert {r.record_id: r.revision_count for r in expected}["SRCH:8F12A054"] == 2
    assert {r.record_id: r.review_score for r in expected}["SRCH:8F12A054"] == 7.5
    assert any(r.published_on is not None for r in expected)


def test_it_leaves_a_url_or_a_missing_file_to_the_workspace(tmp_path: Path) -> None:
    missing = tmp_path / "new.sqlite3"
    assert read_sqlite_latest_revisions(str(missing)) is None
    assert not missing.exists()  # creating it, with its schema, is opening the workspace's part
    assert read_sqlite_latest_revisions("postgresql+psycopg://nobody@127.0.0.1:1/none") is None


def test_a_schema_not_at_the_heads_is_left_to_the_usual_open(tmp_path: Path, samples: Path) -> None:
    db = a_workspace(tmp_path, samples)
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'older'")
    connection.close()
    assert read_sqlite_latest_revisions(str(db)) is None


def test_a_file_that_is_not_a_database_is_left_to_the_workspace(tmp_path: Path) -> None:
    db = tmp_path / "notes.sqlite3"
    db.write_text("not a database\n" * 100)
    assert read_sqlite_latest_revisions(str(db)) is None


def test_list_prints_the_quick_reading_as_the_workspace_would(
    tmp_path: Path, samples: Path
) -> None:
    db = a_workspace(tmp_path, samples)
    with Workspace.open(db) as workspace:
        expected = workspace.list_records()
    assert quick_record_summaries(str(db)) == expected
    result = CliRunner().invoke(cli, ["--db", str(db), "list"])
    assert result.exit_code == 0
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == [
        s.local_id for s in expected
    ]


def test_list_of_a_file_that_is_not_a_database_is_one_clear_line(tmp_path: Path) -> None:
    db = tmp_path / "notes.sqlite3"
    db.write_text("not a database\n" * 100)
    result = CliRunner().invoke(cli, ["--db", str(db), "list"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"reviewer-app: error: sqlite:///{db}: ")
    assert len(result.stderr.strip().splitlines()) == 1
