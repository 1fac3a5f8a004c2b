"""Corrections: additive entries in a record's correction record, carried in bundles."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from reviewer_app.cli import cli
from reviewer_app.errors import NotFound
from reviewer_app.services.bundles import BundleService
from reviewer_app.services.corrections import CorrectionService, InvalidCorrection
from reviewer_app.storage.database import Database
from tests.bundle_db_support import RECORD_PAGE, REPORT, import_samples, table_counts

RECORD = "SRCH:8F12A054"  # declares "CURRENT" with count 0 in its own correction record


@pytest.fixture
def database(db_url: str) -> Database:
    database = Database.open(db_url)
    import_samples(database, RECORD_PAGE, REPORT)
    yield database
    database.close()


def test_imported_status_stands_until_a_correction_is_filed(database: Database) -> None:
    service = CorrectionService(database)

    assert service.history(RECORD).to_json() == {
        "record": RECORD,
        "status": "CURRENT",
        "count": 0,
        "history": [],
    }
    assert service.history("RPT-60A47641").status is None  # a report declares none


def test_filed_corrections_add_up_in_order(database: Database) -> None:
    service = CorrectionService(database)

    first = service.file(
        RECORD,
        reviewer="bob",
        what="Claim 2 misquotes Table 3",
        why="Table 3 reports 71.2, not 81.2",
        evidence="p. 6, Table 3",
    )
    second = service.file(RECORD.lower(), reviewer=" carol ", what="Wrong year", why="2024")

    history = service.history(RECORD)
    assert history.status == "CORRECTED" and history.count == 2
    assert [e.id for e in history.history] == [first.id, second.id]
    assert history.history[1].reviewer == "carol" and history.history[1].evidence is None
    assert history.history[0].evidence == "p. 6, Table 3"
    assert datetime.fromisoformat(first.created).tzinfo == UTC


@pytest.mark.parametrize("blank", ["what", "why", "reviewer"])
def test_a_correction_needs_who_what_and_why(database: Database, blank: str) -> None:
    fields = {"reviewer": "bob", "what": "x", "why": "y", blank: "  "}
    before = table_counts(database)

    with pytest.raises(InvalidCorrection, match=blank):
        CorrectionService(database).file(RECORD, **fields)
    assert table_counts(database) == before


def test_unknown_record(database: Database) -> None:
    with pytest.raises(NotFound, match="NOPE"):
        CorrectionService(database).file("NOPE", reviewer="bob", what="x", why="y")
    with pytest.raises(NotFound, match="NOPE"):
        CorrectionService(database).history("NOPE")


def test_corrections_travel_in_bundles_once(database: Database, tmp_path: Path) -> None:
    CorrectionService(database).file(RECORD, reviewer="bob", what="x", why="y")
    bundle = tmp_path / "b.zip"
    BundleService(database).export(
        [RECORD],
        bundle,
        reviewer="bob",
        allow_unsigned=True,
        created=datetime(2026, 1, 1, tzinfo=UTC),
    )
    other = Database.open(tmp_path / "other.sqlite3")
    assert table_counts(other)["corrections"] == 0
    BundleService(other).import_bundle(bundle, allow_unsigned=True)
    CorrectionService(other).file(RECORD, reviewer="erin", what="z", why="w")

    BundleService(other).import_bundle(bundle, allow_unsigned=True)  # again: no duplicate

    history = CorrectionService(other).history(RECORD)
    assert [e.reviewer for e in history.history] == ["bob", "erin"]
    assert history.count == 2 and history.status == "CORRECTED"
    assert history.history[0] == CorrectionService(database).history(RECORD).history[0]
    other.close()


def test_cli_correct_and_corrections_json(tmp_path: Path) -> None:
    db = str(tmp_path / "w.sqlite3")
    runner = CliRunner()
    import_samples(Database.open(db), RECORD_PAGE)

    result = runner.invoke(
        cli,
        [
            "--db",
            db,
            "correct",
            RECORD,
            "--reviewer",
            "bob",
            "--what",
            "Misquote",
            "--why",
            "Table 3",
            "--evidence",
            "p. 6",
        ],
    )
    assert result.exit_code == 0, result.stderr
    record, entry_id, status, count = result.stdout.rstrip("\n").split("\t")
    assert (record, status, count) == (RECORD, "CORRECTED", "1")

    shown = runner.invoke(cli, ["--db", db, "corrections", RECORD, "--json"])
    document = json.loads(shown.stdout)
    assert document["record"] == RECORD and document["count"] == 1
    assert document["history"][0]["id"] == entry_id
    assert set(document["history"][0]) == {"id", "reviewer", "what", "why", "evidence", "created"}

    shown = runner.invoke(cli, ["--db", db, "show", RECORD, "--json"])
    assert json.loads(shown.stdout)["correction_record"]["count"] == 0  # contract unchanged

    refused = runner.invoke(
        cli, ["--db", db, "correct", "NOPE", "--reviewer", "bob", "--what", "x", "--why", "y"]
    )
    assert refused.exit_code == 2 and "NOPE" in refused.stderr
