"""The workspace's ratings read as columns (``storage/rating_reads.py``): the same matrices,
agreement and tiers as the sheets read one by one, on SQLite and PostgreSQL; on a local SQLite
file ``agreement --json`` reads them without SQLAlchemy and prints the same."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from reviewer_app.cli import cli
from reviewer_app.domain.review_sheets import (
    RatingsTable,
    ReviewerSheet,
    collect_ratings,
    workspace_agreement,
)
from reviewer_app.services.review import ReviewService
from reviewer_app.services.scoring import ScoringService
from reviewer_app.services.workspace import Workspace
from reviewer_app.storage.rating_reads import read_sqlite_ratings
from tests.review_support import SAMPLE_REPORT

SheetsByRecord = Mapping[str, Sequence[ReviewerSheet]]
RECORD = "SRCH:8F12A054"
FULL = {
    "evidence_strength": "HIGH",
    "citation_grounding": "LOW",
    "uncertainty_disclosure": "MEDIUM",
    "reproducibility_status": "MEDIUM",
}


@pytest.fixture
def reviewed(db_url: str, samples: Path) -> Iterator[tuple[Workspace, str]]:
    """Sheets and verdicts in every state the reads must tell apart."""
    with Workspace.open(db_url) as workspace:
        workspace.import_files(sorted(samples.glob("*.txt")))
        report = workspace.import_file(samples / SAMPLE_REPORT).local_id  # ten claims
        other = next(r.local_id for r in workspace.list_records() if r.local_id != report)
        scoring = ScoringService(workspace.database)
        review = ReviewService.for_workspace(workspace)

        def verdict(record: str, position: int, reviewer: str, value: str | None) -> None:
            review.set_verdict(record, position, reviewer=reviewer, verdict=value, reason="read")

        # ann: submitted; claim 1 changed twice, claim 2 cleared, claim 3 kept
        scoring.sheets.save(report, "ann", dimensions=FULL, review_score=8.0, submit=True)
        for position, value in ((1, "supports"), (2, "contradicts"), (3, "conflicting")):
            verdict(report, position, "ann", value)
        verdict(report, 1, "ann", "special-case")
        verdict(report, 1, "ann", "contradicts")
        verdict(report, 2, "ann", None)
        # bob: submitted, then revised: his newest version is the one that counts
        scoring.sheets.save(report, "bob", dimensions=FULL, review_score=6.0, submit=True)
        scoring.sheets.save(report, "bob", review_score=5.0)
        verdict(report, 1, "bob", "supports")
        # carol: a draft only, with a verdict
        scoring.sheets.save(report, "carol", dimensions=FULL, review_score=7.0)
        verdict(report, 1, "carol", "supports")
        # dan: submitted with only a score on one record, verdicts on another he did not score
        scoring.sheets.save(other, "dan", review_score=4.0, submit=True)
        verdict(report, 4, "dan", "supports")
        # erin: submitted on both records, half filled in
        scoring.sheets.save(
            report, "erin", dimensions={"citation_grounding": "HIGH"}, review_score=7.1, submit=True
        )
        scoring.sheets.save(other, "erin", review_score=6.3, submit=True)
        verdict(report, 3, "erin", "conflicting")
        yield workspace, report


def assert_same_matrices(table: RatingsTable, sheets_by_record: SheetsByRecord) -> None:
    from_table, from_sheets = collect_ratings(table), collect_ratings(sheets_by_record)
    assert from_table.keys() == from_sheets.keys()
    for name, expected in from_sheets.items():
        found = from_table[name]
        assert found.reviewers == expected.reviewers, name
        assert found.items == expected.items, name
        assert np.array_equal(found.encoded.codes, expected.encoded.codes), name
        assert found.encoded.categories == expected.encoded.categories, name


def test_the_table_holds_what_the_sheets_say(reviewed: tuple[Workspace, str]) -> None:
    workspace, report = reviewed
    scoring = ScoringService(workspace.database)
    table = scoring.ratings.workspace_ratings()
    sheets = scoring.ratings.reviewer_sheets()
    assert_same_matrices(table, sheets)
    # the states above, as the table has them
    pairs = zip(table.sheet_record.tolist(), table.sheet_reviewer, strict=True)
    by_sheet = {pair: index for index, pair in enumerate(pairs)}
    record = table.records.index(report)
    assert (record, "carol") not in by_sheet  # a draft
    assert table.sheet_scores[by_sheet[(record, "bob")]] == 5.0
    ann = by_sheet[(record, "ann")]
    ann_verdicts = {
        int(p): int(c)
        for s, p, c in zip(
            table.verdict_sheet, table.verdict_position, table.verdict_code, strict=True
        )
        if s == ann
    }
    assert ann_verdicts == {1: 2, 3: 3}  # claim 1 now contradicts, 2 was cleared
    assert [r for r, _ in collect_ratings(table)["claim_verdicts"].items].count(
        report
    ) == 2  # not dan's claim 4
    assert json.dumps(workspace_agreement(table).to_json()) == json.dumps(
        workspace_agreement(sheets).to_json()
    )


def test_every_record_gives_the_records_without_sheets_their_rows(
    reviewed: tuple[Workspace, str],
) -> None:
    workspace, _ = reviewed
    scoring = ScoringService(workspace.database)
    table = scoring.ratings.workspace_ratings(every_record=True)
    assert set(table.records) == {r.local_id for r in workspace.list_records()}
    sheets = scoring.ratings.reviewer_sheets()
    everything = {record: sheets.get(record, []) for record in table.records}
    assert_same_matrices(table, everything)
    tiers = scoring.tiers.recompute()
    assert set(tiers) == set(table.records)


def test_an_empty_workspace_reads_as_an_empty_table(db_url: str) -> None:
    with Workspace.open(db_url) as workspace:
        table = ScoringService(workspace.database).ratings.workspace_ratings()
    assert table.records == () and len(table.verdict_code) == 0
    assert workspace_agreement(table).n_records == 0


def test_a_local_file_is_read_without_sqlalchemy_to_the_same_table(
    tmp_path: Path, samples: Path
) -> None:
    db = tmp_path / "w.sqlite3"
    with Workspace.open(db) as workspace:
        workspace.import_files(sorted(samples.glob("*.txt")))
        scoring = ScoringService(workspace.database)
        scoring.sheets.save(RECORD, "ann", dimensions=FULL, review_score=8.0, submit=True)
        scoring.sheets.save(RECORD, "bob", dimensions=FULL, review_score=6.5, submit=True)
        expected = scoring.ratings.workspace_ratings()
    quick = read_sqlite_ratings(str(db), every_record=False)
    assert quick is not None
    assert quick.records == expected.records and quick.sheet_reviewer == expected.sheet_reviewer
    assert np.array_equal(quick.sheet_levels, expected.sheet_levels)
    assert np.array_equal(quick.sheet_scores, expected.sheet_scores)
    # the CLI's agreement over the whole workspace: the quick read, then the usual open (a URL)
    quick_out = CliRunner().invoke(cli, ["--db", str(db), "agreement", "--json"])
    usual_out = CliRunner().invoke(cli, ["--db", f"sqlite:///{db}", "agreement", "--json"])
    assert quick_out.exit_code == 0 and usual_out.exit_code == 0
    assert json.loads(quick_out.output) == json.loads(usual_out.output)
    assert json.loads(quick_out.output)["records"] == 1
    loaded = subprocess.run(
        [sys.executable, "-c", (
            "import sys; from reviewer_app.cli import main; sys.argv = ['reviewer-app', '--db', "
            f"{str(db)!r}, 'agreement', '--json']\ntry: main()\nexcept SystemExit: pass\n"
            "print('sqlalchemy' in sys.modules, file=sys.stderr)"
        )],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert loaded.stderr.strip().splitlines()[-1] == "False"


def test_an_older_schema_or_a_missing_file_is_left_to_the_workspace(
    tmp_path: Path, samples: Path
) -> None:
    missing = tmp_path / "new.sqlite3"
    assert read_sqlite_ratings(str(missing), every_record=False) is None
    assert not missing.exists()
    db = tmp_path / "w.sqlite3"
    Workspace.open(db).close()
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'older'")
    connection.close()
    assert read_sqlite_ratings(str(db), every_record=False) is None
