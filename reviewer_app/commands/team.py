"""``reviewer-app team ...``: set up a team workspace on PostgreSQL (issue 14)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from reviewer_app.cli_support import AppContext, handles_app_errors
from reviewer_app.services.team import TeamService, join

DB_HELP = "The team database (a postgresql:// URL); the same as the global --db."


def _service(app: AppContext, db: str | None) -> TeamService:
    if db:
        app.use_database(db)
    return TeamService(app.workspace.database)


_Command = TypeVar("_Command", bound=Callable[..., Any])


def _db_option(func: _Command) -> _Command:
    return click.option("--db", "db", metavar="URL", help=DB_HELP)(func)


@click.group("team")
def team_command() -> None:
    """A shared PostgreSQL workspace where each reviewer is a database role and the server
    enforces blindness and authorship (row level security)."""


@team_command.command("init")
@_db_option
@click.pass_obj
@handles_app_errors
def init_command(app: AppContext, db: str | None) -> None:
    """Make the database a team workspace (run once, as the database owner).

    Creates the group roles DB_member, DB_adjudicator and DB_policy_editor, grants them the
    app's privileges and switches row level security on. Prints the group roles.
    """
    for role in _service(app, db).init():
        click.echo(role)


@team_command.command("add")
@click.argument("name")
@click.option("--adjudicator", is_flag=True, help="May adjudicate and change the tier policy.")
@click.option("--policy-editor", is_flag=True, help="May change the tier policy and settings.")
@_db_option
@click.pass_obj
@handles_app_errors
def add_command(
    app: AppContext, name: str, adjudicator: bool, policy_editor: bool, db: str | None
) -> None:
    """Create login role NAME for a reviewer and print a one-time connection string.

    Hand the string to the reviewer over a private channel; 'team join' replaces its password
    at once by one kept in their keyring.
    """
    click.echo(_service(app, db).add(name, adjudicator=adjudicator, policy_editor=policy_editor))


@team_command.command("remove")
@click.argument("name")
@_db_option
@click.pass_obj
@handles_app_errors
def remove_command(app: AppContext, name: str, db: str | None) -> None:
    """Revoke NAME's team roles and login; their past work stays attributed to them."""
    _service(app, db).remove(name)
    click.echo(f"removed\t{name}")


@team_command.command("list")
@_db_option
@click.pass_obj
@handles_app_errors
def list_command(app: AppContext, db: str | None) -> None:
    """The team's roles: NAME<TAB>ROLES<TAB>login|no-login."""
    for member in _service(app, db).members():
        login = "login" if member.can_login else "no-login"
        click.echo(f"{member.name}\t{','.join(member.roles)}\t{login}")


@team_command.command("join")
@click.argument("connection_string", metavar="ONE_TIME_URL")
@handles_app_errors
def join_command(connection_string: str) -> None:
    """Join with the one-time string from 'team add': a new password goes into your keyring
    (never a file, never shown) and the URL to use as --db is printed."""
    result = join(connection_string)
    click.echo(result.url)


@team_command.command("whoami")
@_db_option
@click.pass_obj
@handles_app_errors
def whoami_command(app: AppContext, db: str | None) -> None:
    """The reviewer this connection writes as (the database role), or '-' outside a team."""
    click.echo(_service(app, db).connected_reviewer() or "-")


COMMANDS = [team_command]
