"""Inserting a row keyed by a natural key when another process may insert the same key at once.

A SELECT-then-INSERT loses that race with an ``IntegrityError``. ``INSERT … ON CONFLICT DO
NOTHING`` (SQLite and PostgreSQL spell it alike) lets the database decide: the loser's insert
waits for the winner's transaction and then does nothing, and a SELECT afterwards finds the row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import CursorResult, Table
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from sqlalchemy.dialects.postgresql import Insert as PostgresqlInsert
    from sqlalchemy.dialects.sqlite import Insert as SqliteInsert


def upsert_insert(session: Session, table: Any) -> PostgresqlInsert | SqliteInsert:
    """An ``INSERT`` into ``table`` in the session's dialect, which has ``on_conflict_do_*``
    (each dialect imported when used: the PostgreSQL one, with its asyncpg and psycopg
    modules, cost a SQLite workspace's start ~0.1 s)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


def insert_unless_present(
    session: Session, table: Table, values: Mapping[str, Any], key: Sequence[str]
) -> bool:
    """Insert ``values`` unless a row with the same ``key`` columns exists; True if inserted."""
    statement = upsert_insert(session, table).values(**values)
    result = session.execute(statement.on_conflict_do_nothing(index_elements=key))
    # an INSERT's result is a CursorResult (SQLAlchemy's stubs type Session.execute's as Result)
    assert isinstance(result, CursorResult)
    return bool(result.rowcount)
