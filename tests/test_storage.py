"""Storage on SQLite and on a real PostgreSQL: migrations, revisions, transactions, bad URLs."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import inspect, select

from reviewer_app.domain.records import (
    Benchmark,
    Claim,
    GateVerdict,
    Level,
    QualityDimensions,
    QualityTier,
    RecordKind,
    Reference,
    SynthesisRecord,
    Verification,
)
from reviewer_app.errors import DatabaseUnavailable
from reviewer_app.storage.database import Database
from reviewer_app.storage.models import ClaimRow, RevisionRow
from reviewer_app.storage.records_repository import (
    latest_revisions,
    load_revision,
    save_revision,
)


def make_record(**changes: object) -> SynthesisRecord:
    record = SynthesisRecord(
        kind=RecordKind.RECORD,
        title="Scaling Vision-Language Models with Sparse Mixture of Experts",
        source_sha256="a" * 64,
        publisher="Assignee Research",
        date=date(2026, 5, 27),
        record_id="SRCH:8F12A054",
        review_score=7.33,
        claims=(
            Claim(position=1, text="Sparse experts help.", verified=False, confidence=0.07),
            Claim(position=2, text="Dense models lag.", verified=True, confidence=0.9),
        ),
        references=(Reference.from_url("http://arxiv.org/abs/2407.17856v4"),),
        verification=Verification("L2", "Source-grounded claims", 3, "not publicly specified"),
        quality_tier=QualityTier("Watchlist", "below DOI-grade threshold"),
        quality_dimensions=QualityDimensions(Level.LOW, Level.MEDIUM, Level.MEDIUM, Level.HIGH),
        gate=GateVerdict("Unverified", "Gate 2", "not attempted", "2026-06-10T06:30:49+00:00"),
        authors=("Ada Lovelace", "Alan Turing"),
        year=2024,
        benchmarks=(Benchmark("VQA", "VQAv2", "Accuracy", 83.1, 177),),
    )
    return replace(record, **changes)  # type: ignore[arg-type]


def test_upgrade_from_empty_reaches_head(db_url: str) -> None:
    database = Database.open(db_url)
    try:
        assert database.schema_revision() == Database.head_revision()
        tables = set(inspect(database.engine).get_table_names())
        assert {"records", "record_revisions", "claims", "references", "benchmarks"} <= tables
        # Opening again is a no-op upgrade, not an error.
        Database.open(db_url).close()
        assert database.schema_revision() == Database.head_revision()
    finally:
        database.close()


def test_record_round_trips_every_field(db_url: str) -> None:
    database = Database.open(db_url)
    record = make_record()
    with database.transaction() as session:
        saved = save_revision(session, record, "page.txt")
    assert (saved.local_id, saved.revision, saved.status) == ("SRCH:8F12A054", 1, "new")
    with database.reading() as session:
        loaded = load_revision(session, "SRCH:8F12A054")
    database.close()
    assert loaded is not None
    assert loaded.record == record
    assert loaded.record.to_json() == record.to_json()


def test_identical_content_adds_no_revision_and_changes_add_one(db_url: str) -> None:
    database = Database.open(db_url)
    record = make_record()
    changed = make_record(review_score=8.0, source_sha256="b" * 64)
    with database.transaction() as session:
        save_revision(session, record, "v1.txt")
    with database.transaction() as session:
        again = save_revision(session, replace(record, source_sha256="c" * 64), "v1-crlf.txt")
    with database.transaction() as session:
        revised = save_revision(session, changed, "v2.txt")
    with database.reading() as session:
        newest = load_revision(session, "SRCH:8F12A054")
        first = load_revision(session, "SRCH:8F12A054", revision=1)
        revisions = session.scalars(select(RevisionRow.revision)).all()
        listed = latest_revisions(session)
    database.close()
    assert again.status == "unchanged"
    assert (revised.status, revised.revision) == ("revised", 2)
    assert sorted(revisions) == [1, 2]
    assert newest is not None and newest.record.review_score == 8.0
    assert newest.revision_count == 2
    # The records list shows the newest revision once, with the count of them.
    assert [(r.record_id, r.kind, r.review_score, r.revision_count) for r in listed] == [
        ("SRCH:8F12A054", "record", 8.0, 2)
    ]
    # The earlier version is kept as it was: revisions are additive.
    assert first is not None and first.record.review_score == 7.33


def test_failed_transaction_leaves_nothing(db_url: str) -> None:
    database = Database.open(db_url)
    with pytest.raises(RuntimeError), database.transaction() as session:
        save_revision(session, make_record(), "page.txt")
        raise RuntimeError("simulated failure after the rows were flushed")
    with database.reading() as session:
        assert session.scalars(select(RevisionRow)).all() == []
        assert session.scalars(select(ClaimRow)).all() == []
    database.close()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    database = Database.open(tmp_path / "w.sqlite3")
    with database.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    database.close()


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("mysql://user@host/db", "unsupported database 'mysql'"),
        ("postgresql+psycopg://u:secret@127.0.0.1:1/none", "Connection refused"),
        ("://nonsense", "not a database path or URL"),
        ("/definitely/missing/folder/w.sqlite3", "does not exist"),
    ],
)
def test_bad_database_targets_are_clear_errors(target: str, expected: str) -> None:
    with pytest.raises(DatabaseUnavailable) as caught:
        Database.open(target)
    assert expected in str(caught.value)
    assert "secret" not in str(caught.value)


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    impostor = tmp_path / "notes.sqlite3"
    impostor.write_text("these are my notes, not a database\n" * 200)
    before = impostor.read_bytes()
    with pytest.raises(DatabaseUnavailable, match=r"notes\.sqlite3: file is not a database"):
        Database.open(impostor)
    assert impostor.read_bytes() == before
