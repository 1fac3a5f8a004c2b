"""Roles, grants and row level security of a team workspace (PostgreSQL only).

Everything here runs as the database owner except ``team_identity`` and ``change_own_password``,
which any member runs on their own connection. Role names are checked against a strict pattern
before they are put into DDL (PostgreSQL takes no bind parameters in CREATE ROLE).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from reviewer_app.errors import ReviewerAppError
from reviewer_app.storage import team_sql
from reviewer_app.storage.database import Database
from reviewer_app.storage.reviewers_repository import ensure_reviewer

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
GROUPS = ("member", "adjudicator", "policy_editor")


class TeamRefused(ReviewerAppError):
    """A team set-up step the server or the input does not allow; nothing was changed."""


@dataclass(frozen=True)
class TeamMember:
    name: str
    roles: tuple[str, ...]
    can_login: bool


def is_postgres(database: Database) -> bool:
    return database.engine.dialect.name == "postgresql"


def group_role(connection: Connection, group: str) -> str:
    database = connection.scalar(text("SELECT current_database()"))
    return f"{database}_{group}"


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def check_role_name(name: str) -> str:
    if not ROLE_NAME.match(name):
        raise TeamRefused(
            f"'{name}' cannot be a reviewer's database role: use lower-case letters, digits and "
            "'_', starting with a letter or '_' (at most 63 characters)"
        )
    return name


def init_team(database: Database) -> list[str]:
    """Create the group roles, grant them the app's privileges, (re)install the policies and
    switch row level security on.

    Safe to run again, and how an existing team database is upgraded. Returns the group roles'
    names."""
    _require_postgres(database)
    with _owner_transaction(database, "team init") as connection:
        groups = [group_role(connection, g) for g in GROUPS]
        for name in groups:
            if not _role_exists(connection, name):
                connection.execute(text(f"CREATE ROLE {quoted(name)} NOLOGIN"))
        member, adjudicator, editor = (quoted(n) for n in groups)
        schema = quoted(connection.scalar(text("SELECT current_schema()")))
        db = quoted(connection.scalar(text("SELECT current_database()")))
        statements = [
            f"GRANT CONNECT ON DATABASE {db} TO {member}",
            f"GRANT USAGE ON SCHEMA {schema} TO {member}",
            f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {member}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {member}",
            f"GRANT INSERT ON {_tables(team_sql.MEMBER_INSERTS)} TO {member}",
            f"GRANT UPDATE ON {_tables(team_sql.MEMBER_UPDATES)} TO {member}",
            f"GRANT DELETE ON {_tables(team_sql.MEMBER_DELETES)} TO {member}",
            f"GRANT {member} TO {adjudicator}",
            f"GRANT {member} TO {editor}",
        ]
        # Policies and triggers come from this version of the app, so running 'team init' again
        # upgrades a team database made by an older one (tables added since included).
        statements += team_sql.reinstall_statements()
        statements += [
            f"ALTER TABLE {quoted(t)} {mode} ROW LEVEL SECURITY"
            for t in team_sql.TEAM_TABLES
            for mode in ("ENABLE", "FORCE")
        ]
        for statement in statements:
            connection.execute(text(statement))
        return groups


def member_connection_string(database: Database, name: str, password: str) -> str:
    """The one-time connection string a new member joins with: this server and database, their
    role and password, the plain ``postgresql`` driver name (any client can use it)."""
    url = database.engine.url.set(username=name, password=password)
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def add_member(
    database: Database, name: str, *, adjudicator: bool = False, policy_editor: bool = False
) -> str:
    """Create login role ``name`` in the team (and its reviewer profile); returns its first
    password, meant to be used once by ``team join``."""
    _require_postgres(database)
    check_role_name(name)
    password = secrets.token_urlsafe(24)  # [A-Za-z0-9_-] only: safe inside a quoted literal
    with _owner_transaction(database, "team add") as connection:
        _require_team(connection)
        if _role_exists(connection, name):
            raise TeamRefused(f"a database role called '{name}' already exists on this server")
        groups = ["member"] + ["adjudicator"] * adjudicator + ["policy_editor"] * policy_editor
        in_roles = ", ".join(quoted(group_role(connection, g)) for g in groups)
        connection.execute(
            text(f"CREATE ROLE {quoted(name)} LOGIN PASSWORD '{password}' IN ROLE {in_roles}")
        )
        with Session(bind=connection) as session:
            ensure_reviewer(session, name)
    return password


def remove_member(database: Database, name: str) -> None:
    """Take ``name`` out of the team: no group role, no login. Their past work stays theirs."""
    _require_postgres(database)
    check_role_name(name)
    with _owner_transaction(database, "team remove") as connection:
        _require_team(connection)
        if not _role_exists(connection, name):
            raise TeamRefused(f"there is no database role called '{name}'")
        for group in GROUPS:
            role = group_role(connection, group)
            if _is_member(connection, name, role):
                connection.execute(text(f"REVOKE {quoted(role)} FROM {quoted(name)}"))
        connection.execute(text(f"ALTER ROLE {quoted(name)} NOLOGIN"))


def list_members(database: Database) -> list[TeamMember]:
    _require_postgres(database)
    with database.engine.connect() as connection:
        groups = {group_role(connection, g): g for g in GROUPS}
        rows = connection.execute(
            text(
                "SELECT m.rolname, m.rolcanlogin, array_agg(g.rolname ORDER BY g.rolname) "
                "FROM pg_roles g JOIN pg_auth_members am ON am.roleid = g.oid "
                "JOIN pg_roles m ON m.oid = am.member "
                "WHERE g.rolname = ANY(:groups) AND NOT m.rolname = ANY(:groups) "
                "GROUP BY m.rolname, m.rolcanlogin ORDER BY m.rolname"
            ),
            {"groups": list(groups)},
        )
        return [
            TeamMember(name, tuple(groups[g] for g in roles), can_login)
            for name, can_login, roles in rows
        ]


def change_own_password(database: Database) -> str:
    """Give the connected role a new random password (the one-time one stops working)."""
    _require_postgres(database)
    password = secrets.token_urlsafe(24)
    with database.engine.begin() as connection:
        me = connection.scalar(text("SELECT current_user"))
        connection.execute(text(f"ALTER ROLE {quoted(me)} PASSWORD '{password}'"))
    return password


def _tables(names: tuple[str, ...]) -> str:
    return ", ".join(quoted(n) for n in names)


def _role_exists(connection: Connection, name: str) -> bool:
    return bool(connection.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}))


def _is_member(connection: Connection, member: str, group: str) -> bool:
    return bool(
        connection.scalar(
            text(
                "SELECT 1 FROM pg_auth_members am JOIN pg_roles g ON g.oid = am.roleid "
                "JOIN pg_roles m ON m.oid = am.member WHERE g.rolname = :g AND m.rolname = :m"
            ),
            {"g": group, "m": member},
        )
    )


def _require_postgres(database: Database) -> None:
    if not is_postgres(database):
        raise TeamRefused(
            f"{database.url}: a team workspace needs PostgreSQL (a SQLite file is a local, "
            "single-user workspace)"
        )


def _require_team(connection: Connection) -> None:
    if not _role_exists(connection, group_role(connection, "member")):
        raise TeamRefused("this database is not a team workspace yet: run 'team init' first")


@contextmanager
def _owner_transaction(database: Database, step: str) -> Iterator[Connection]:
    """One transaction; a refusal by the server (not owner, no CREATEROLE) becomes one line."""
    try:
        with database.engine.begin() as connection:
            yield connection
    except DBAPIError as exc:
        raise _refusal(step, exc) from None


def _refusal(step: str, exc: DBAPIError) -> TeamRefused:
    first = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else repr(exc)
    return TeamRefused(
        f"{step} refused by the server: {first} (it must be run by the database owner, "
        "a role with CREATEROLE)"
    )
