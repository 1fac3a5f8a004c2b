"""The team workspace through the CLI: identity is the database role, the server's refusals are
one clear line, blind mode holds, and team init/add/join/remove/list (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path

import keyring
import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from reviewer_app.cli import cli
from reviewer_app.storage.connection_secrets import secret_name
from reviewer_app.storage.database import Database
from tests.team_support import Team
from tests.test_credentials import MemoryKeyring

pytest_plugins = ("tests.team_support",)

pytestmark = pytest.mark.postgres
ERROR_PREFIX = "reviewer-app: error: "


def run(db: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(ERROR_PREFIX), err
    return lines[0]


def verdict(team: Team, who: str, record: str, *extra: str) -> tuple[int, str, str]:
    return run(
        team.urls[who], "verdict", record, "--claim", "1", "--verdict", "not-enough-evidence",
        *extra,
    )  # fmt: skip



def test_writes_are_recorded_as_the_connected_role(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = team.records[0]
    monkeypatch.setenv("REVIEWER_APP_REVIEWER", "somebody-else")  # ignored in a team
    code, out, err = verdict(team, "alice", record)
    assert code == 0, err
    assert json.loads(out)["reviewer"] == team.roles["alice"]
    code, out, err = verdict(team, "alice", record, "--reviewer", team.roles["alice"])
    assert code == 0, err

    code, out, err = verdict(team, "alice", record, "--reviewer", team.roles["bob"])
    assert code == 2 and out == ""
    line = one_error_line(err)
    assert f"'{team.roles['bob']}' is not you" in line and team.roles["alice"] in line
    code, _out, err = run(team.urls["alice"], "score", record, "--reviewer", "bob", "--submit")
    assert code == 2 and "is not you" in one_error_line(err)
    names = team.sql("owner", "SELECT DISTINCT r.name FROM claim_verdicts v JOIN reviewers r "
                     "ON r.id = v.reviewer_id")  # fmt: skip
    assert names == [(team.roles["alice"],)]
    assert run(team.urls["alice"], "team", "whoami")[1].strip() == team.roles["alice"]
    assert run(team.owner_url, "team", "whoami")[1].strip() == "-"


def test_blind_mode_holds_through_the_cli(team: Team) -> None:
    record = team.records[0]
    assert verdict(team, "bob", record)[0] == 0
    code, _out, err = run(team.urls["bob"], "score", record, "--reviewer", team.roles["bob"],
                          "--review-score", "8", "--submit")  # fmt: skip
    assert code == 0, err
    code, out, err = run(team.urls["alice"], "agreement", record)
    assert code == 0, err
    assert team.roles["bob"] not in out
    code, _out, err = run(team.urls["alice"], "score", record, "--reviewer",
                          team.roles["alice"], "--review-score", "3", "--submit")  # fmt: skip
    assert code == 0, err
    code, out, err = run(team.urls["alice"], "agreement", record)
    assert code == 0, err
    assert set(json.loads(out)["reviewers"]) >= {team.roles["alice"], team.roles["bob"]}


def test_refusals_by_the_server_are_one_clear_line(team: Team, tmp_path: Path) -> None:
    record = team.records[0]
    policy = tmp_path / "policy.json"
    code, out, err = run(team.owner_url, "policy")
    assert code == 0, err
    policy.write_text(out)
    code, _out, err = run(team.urls["alice"], "policy", "--set", str(policy))
    assert code == 2 and "refused" in one_error_line(err) and "tier_policies" in err
    code, _out, err = run(team.urls["alice"], "setting", "blind_mode", "off")
    assert code == 2 and "workspace_settings" in one_error_line(err)
    code, _out, err = run(team.urls["carol"], "setting", "blind_mode", "off")
    assert code == 0, err

    adjudicate = ("adjudicate", record, "--field", "review_score", "--value", "5",
                  "--rationale", "split the difference")  # fmt: skip
    code, _out, err = run(team.urls["alice"], *adjudicate, "--adjudicator", team.roles["alice"])
    assert code == 2 and "adjudications" in one_error_line(err)
    code, _out, err = run(team.urls["carol"], *adjudicate, "--adjudicator", team.roles["carol"])
    assert code == 0, err
    assert team.sql("owner", "SELECT count(*) FROM adjudications") == [(1,)]


def test_records_are_readable_by_every_member(team: Team) -> None:
    for who in ("alice", "bob", "carol"):
        code, out, err = run(team.urls[who], "list")
        assert code == 0, err
        assert {line.split("\t")[0] for line in out.splitlines()} == set(team.records)


def test_team_set_up_add_join_list_remove(postgres_url: str, memory_keyring: MemoryKeyring) -> None:
    suffix = make_url(postgres_url).database.removeprefix("test_")  # type: ignore[union-attr]
    dana = f"dana_{suffix}"
    result = CliRunner().invoke(cli, ["team", "init", "--db", postgres_url])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0].endswith("_member")
    again = CliRunner().invoke(cli, ["team", "init", "--db", postgres_url])
    assert (again.exit_code, again.stdout) == (0, result.stdout)  # safe to run twice
    code, out, err = run(postgres_url, "team", "add", dana, "--adjudicator")
    assert code == 0, err
    one_time = make_url(out.strip())
    assert (one_time.username, one_time.database) == (dana, make_url(postgres_url).database)
    assert one_time.password and len(one_time.password) >= 24

    hash_before = _password_hash(postgres_url, dana)
    result = CliRunner().invoke(cli, ["team", "join", one_time.render_as_string(False)])
    assert result.exit_code == 0, result.stderr
    shown = result.stdout.strip()
    assert make_url(shown).password is None and make_url(shown).username == dana
    saved = memory_keyring.get_password("synthesis-reviewer", secret_name(make_url(shown)))
    assert saved and saved != one_time.password and saved not in result.output
    assert _password_hash(postgres_url, dana) != hash_before  # the one-time password is gone
    # the app's own connections take the password from the keyring, not from the URL
    opened = Database.open(shown)
    assert opened.engine.url.password == saved
    opened.close()

    code, out, err = run(postgres_url, "team", "list")
    assert code == 0, err
    assert f"{dana}\tadjudicator,member\tlogin" in out.splitlines()

    code, out, err = run(postgres_url, "team", "remove", dana)
    assert code == 0, err
    code, out, err = run(postgres_url, "team", "list")
    assert dana not in out
    engine = create_engine(make_url(postgres_url).set(username=dana))
    with pytest.raises(OperationalError, match="not permitted to log in"):
        engine.connect()
    engine.dispose()


def test_team_commands_refuse_sqlite_and_bad_names(tmp_path: Path, postgres_url: str) -> None:
    code, _out, err = run(str(tmp_path / "w.sqlite3"), "team", "init")
    assert code == 2 and "needs PostgreSQL" in one_error_line(err)
    code, _out, err = run(postgres_url, "team", "add", "dana")
    assert code == 2 and "team init" in one_error_line(err)
    code, _out, err = run(postgres_url, "team", "add", 'Robert"; DROP TABLE records; --')
    assert code == 2 and "cannot be a reviewer's database role" in one_error_line(err)


def test_join_without_a_keyring_leaves_the_one_time_password(team: Team, postgres_url: str) -> None:
    previous = keyring.get_keyring()
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    try:
        code, out, err = run(postgres_url, "team", "add", f"erin_{team.roles['alice'][6:]}")
        assert code == 0, err
        before = _password_hash(postgres_url, make_url(out.strip()).username or "")
        result = CliRunner().invoke(cli, ["team", "join", out.strip()])
    finally:
        keyring.set_keyring(previous)
    assert result.exit_code == 2 and "one-time password was left unchanged" in result.stderr
    assert _password_hash(postgres_url, make_url(out.strip()).username or "") == before


def _password_hash(url: str, role: str) -> str:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = connection.scalar(
            text("SELECT rolpassword FROM pg_authid WHERE rolname = :r"), {"r": role}
        )
    engine.dispose()
    return str(found)
