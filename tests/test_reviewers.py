"""Reviewer profiles through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from reviewer_app.cli import cli


def test_profiles_are_created_once_and_listed(tmp_path: Path) -> None:
    db = str(tmp_path / "w.sqlite3")
    runner = CliRunner()
    added = runner.invoke(
        cli, ["--db", db, "reviewers", "--add", "Ada", "--orcid", "0000-0002-1825-0097"]
    )
    assert added.exit_code == 0, added.stderr
    again = runner.invoke(cli, ["--db", db, "reviewers", "--add", "Ada"])
    assert again.stdout.count("Ada") == 1
    listed = json.loads(runner.invoke(cli, ["--db", db, "reviewers", "--json"]).stdout)
    assert listed[0]["name"] == "Ada" and listed[0]["orcid"] == "0000-0002-1825-0097"
    assert listed[0]["colour"].startswith("#")


def test_a_malformed_orcid_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "w.sqlite3"), "reviewers", "--add", "Bo", "--orcid", "12"]
    )
    assert result.exit_code == 2
    assert "not an ORCID iD" in result.stderr
