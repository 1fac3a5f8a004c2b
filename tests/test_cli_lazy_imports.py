"""``reviewer-app list`` on a local workspace whose schema is current loads not even SQLAlchemy
(it reads the file with ``sqlite3``), let alone PyMuPDF, numpy, Alembic, keyring or the
PostgreSQL driver and dialect; nor the importers, the GUI list's SQL and grounding tables, or
platformdirs when ``--db`` is given (start-up time is most of what it costs). Other commands
still load theirs when they run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
from click.testing import CliRunner

from reviewer_app.cli import cli
from reviewer_app.services.workspace import Workspace

PROBE = """
import json, sys
from reviewer_app.cli import cli
try:
    cli(sys.argv[1:])
except SystemExit:
    pass
heavy = ("pymupdf", "fitz", "numpy", "alembic", "PySide6", "cryptography", "keyring", "psycopg",
         "sqlalchemy", "reviewer_app.importers", "reviewer_app.storage.record_summaries",
         "reviewer_app.storage.grounding_levels", "reviewer_app.domain.grounding_rules",
         "platformdirs")
print(json.dumps([m for m in heavy if m in sys.modules]), file=sys.stderr)
"""


def loaded_by(args: list[str]) -> tuple[str, list[str]]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                          check=True, timeout=120)  # fmt: skip
    return done.stdout, json.loads(done.stderr.strip().splitlines()[-1])


def test_list_imports_nothing_heavy(tmp_path: Path, samples: Path) -> None:
    db = tmp_path / "w.sqlite3"
    with Workspace.open(db) as workspace:  # created and upgraded here, not by the probe
        workspace.import_file(samples / "record-page-label-value.txt")
    out, heavy = loaded_by(["--db", str(db), "list"])
    assert out.startswith("SRCH:8F12A054\trecord\t")
    assert heavy == []


def test_a_new_workspace_is_still_created_and_other_commands_load(tmp_path: Path) -> None:
    db = tmp_path / "new.sqlite3"
    out, heavy = loaded_by(["--db", str(db), "list"])
    assert out == "" and db.is_file() and "alembic" in heavy  # a schema had to be made
    out, heavy = loaded_by(["--db", str(db), "reviewers", "--json"])
    assert json.loads(out) == []
    out, _ = loaded_by(["--db", str(db), "--help"])
    for command in ("list", "export", "annotate", "tier"):  # help still lists every command
        assert f"  {command} " in out


def test_every_command_the_lazy_group_lists_is_reachable_with_its_help() -> None:
    """The group loads its command modules on demand (``CommandsOnDemand``): every command it
    lists must still be found by name, answer ``--help``, and appear in the group's help with
    its short help."""
    runner = CliRunner()
    top = runner.invoke(cli, ["--help"], prog_name="reviewer-app")
    assert top.exit_code == 0, top.output
    with click.Context(cli, info_name="reviewer-app") as ctx:
        names = cli.list_commands(ctx)
        commands = {name: cli.get_command(ctx, name) for name in names}
    assert {"import", "list", "show", "gui", "export", "annotate", "tier"} <= set(names)
    for name, command in commands.items():
        assert command is not None, name
        assert f"  {name} " in top.output
        assert command.get_short_help_str(limit=30).rstrip(".") in top.output, name
        result = runner.invoke(cli, [name, "--help"], prog_name="reviewer-app")
        assert result.exit_code == 0, (name, result.output)
        assert result.output.startswith(f"Usage: reviewer-app {name} "), name


def test_the_command_map_names_each_commands_module() -> None:
    """``MODULE_OF`` lets a command import only its own module; a command added to a module
    but not to the map would still run (every module is loaded then), only slower."""
    import importlib

    from reviewer_app.commands import MODULE_OF, command_modules

    actual = {
        command.name: name
        for name in command_modules()
        for command in getattr(importlib.import_module(f"reviewer_app.commands.{name}"),
                               "COMMANDS", ())
    }  # fmt: skip
    assert actual == MODULE_OF


def test_a_command_loads_only_its_own_module(tmp_path: Path, samples: Path) -> None:
    db = tmp_path / "w.sqlite3"
    with Workspace.open(db) as workspace:
        workspace.import_file(samples / "record-page-label-value.txt")
    probe = PROBE.replace(
        "heavy = (", 'heavy = ("reviewer_app.commands.bundles", "reviewer_app.commands.review", '
    )
    done = subprocess.run([sys.executable, "-c", probe, "--db", str(db), "agreement", "--json"],
                          capture_output=True, text=True, check=True, timeout=120)  # fmt: skip
    assert json.loads(done.stdout)["records"] is not None
    loaded = json.loads(done.stderr.strip().splitlines()[-1])
    assert "reviewer_app.commands.bundles" not in loaded
    assert "reviewer_app.commands.review" not in loaded
    assert "pymupdf" not in loaded
