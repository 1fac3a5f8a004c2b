"""`reviewer-app grounding` and `grounding-rules` on SQLite and PostgreSQL; migration 0007."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from click.testing import CliRunner

from reviewer_app.cli import cli
from reviewer_app.domain.grounding_rules import DEFAULT_GROUNDING_RULES
from reviewer_app.storage.database import MIGRATIONS_DIR, Database, database_url
from tests.grounding_support import QUOTE, make_arxiv_pdf
from tests.review_support import SAMPLE_REPORT


def run(db: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_grounding_json_contract(db_url: str, samples: Path, tmp_path: Path) -> None:
    _, out, _ = run(db_url, "import", str(samples / SAMPLE_REPORT))
    record = out.split("\t")[0]
    pdf = make_arxiv_pdf(tmp_path / "2407.17856v4.pdf", "2407.17856", 4)
    code, out, _ = run(db_url, "attach", record, str(pdf), "--reviewer", "ana")
    assert code == 0
    sha = out.split("\t")[0]
    run(db_url, "annotate", record, "--claim", "2", "--pdf", sha, "--quote", QUOTE,
        "--stance", "supports", "--reviewer", "ana")  # fmt: skip
    code, out, err = run(db_url, "grounding", record, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert set(data) >= {"record", "imported", "computed", "differs", "references", "claims"}
    assert data["record"] == record
    assert set(data["imported"]) == {"level", "label", "source_grounded_claims", "verified_claims"}
    assert set(data["computed"]) == {
        "level",
        "label",
        "source_grounded_claims",
        "confirmed_claims",
        "contradicted_claims",
        "basis",
        "rules_version",
    }
    assert data["computed"]["level"] == "L1"
    assert data["computed"]["source_grounded_claims"] == 1
    assert data["differs"] is False  # the report states no level and no grounded count
    first = data["references"][0]
    assert set(first) == {
        "url",
        "arxiv_id",
        "version",
        "version_pinned",
        "attached_sha256",
        "checks",
    }
    assert first["attached_sha256"] == sha
    assert all(set(c) == {"name", "ok", "message"} for c in first["checks"])
    second = data["claims"][1]
    assert set(second) == {
        "position",
        "grounded",
        "confirmed",
        "contradicted",
        "evidence_sources",
        "checks",
    }
    assert (second["position"], second["grounded"], second["evidence_sources"]) == (2, True, [sha])
    code, out, _ = run(db_url, "grounding", record)
    assert code == 0
    assert "computed L1 (aggregate claims only)" in out
    assert "claim 2: grounded" in out


def test_grounding_of_unknown_record_is_a_clear_error(db_url: str) -> None:
    code, _, err = run(db_url, "grounding", "RPT-NOPE", "--json")
    assert code == 2
    assert err.startswith("reviewer-app: error: no record 'RPT-NOPE'")


def test_grounding_rules_print_and_set(db_url: str, tmp_path: Path) -> None:
    code, out, _ = run(db_url, "grounding-rules")
    assert code == 0
    assert json.loads(out) == DEFAULT_GROUNDING_RULES.to_json()
    rules = DEFAULT_GROUNDING_RULES.to_json()
    rules["min_reviewers"] = 3
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(rules), encoding="utf-8")
    code, out, _ = run(db_url, "grounding-rules", "--set", str(path))
    assert code == 0
    assert (json.loads(out)["version"], json.loads(out)["min_reviewers"]) == (2, 3)
    path.write_text('{"levels": []}', encoding="utf-8")
    code, _, err = run(db_url, "grounding-rules", "--set", str(path))
    assert code == 2
    assert str(path) in err
    assert json.loads(run(db_url, "grounding-rules")[1])["version"] == 2


def test_migration_adds_the_grounding_tables_from_0003(db_url: str) -> None:
    engine = sa.create_engine(database_url(db_url))
    try:
        with engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS_DIR))
            config.attributes["connection"] = connection
            command.upgrade(config, "0003")
        assert "gate_artifacts" not in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
    database = Database.open(db_url)
    try:
        assert database.schema_revision() == Database.head_revision()
        tables = set(sa.inspect(database.engine).get_table_names())
        assert {"grounding_rules", "gate_artifacts", "gate_attestations"} <= tables
    finally:
        database.close()


def test_grounding_as_a_viewer_keeps_blind_review(db_url: str, samples: Path) -> None:
    _, out, _ = run(db_url, "import", str(samples / SAMPLE_REPORT))
    record = out.split("\t")[0]
    for reviewer in ("ben", "cy"):
        code, _, err = run(db_url, "verdict", record, "--claim", "2", "--reviewer", reviewer,
                           "--verdict", "supports", "--reason", "read it")  # fmt: skip
        assert code == 0, err
        code, _, err = run(db_url, "score", record, "--reviewer", reviewer, "--submit",
                           "--review-score", "6")  # fmt: skip
        assert code == 0, err

    def confirmed(*viewer: str) -> int:
        code, out, err = run(db_url, "grounding", record, "--json", *viewer)
        assert code == 0, err
        return json.loads(out)["computed"]["confirmed_claims"]

    assert confirmed() == 1
    assert confirmed("--viewer", "dee") == 0  # blind mode: dee has not submitted
    assert confirmed("--viewer", "ben") == 1
