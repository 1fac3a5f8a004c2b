"""Rows of a query as the database driver returns them, for reads of a whole workspace.

SQLAlchemy builds a ``Row`` per row and runs each column's result processor; over the
100,000 current verdicts of 10,000 records that was as long as the query itself. Queries that
select only text, integer and float columns (which need no processing) can skip it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session


def driver_rows(session: Session, statement: Select[*tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """``statement``'s rows as plain tuples, run on the session's connection (and so inside
    its transaction). Only for columns whose values the driver already gives as Python wants
    them: no booleans (SQLite gives 0/1), dates or JSON."""
    connection = session.connection()
    compiled = statement.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    params: Any = compiled.construct_params()
    if compiled.positiontup is not None:
        params = tuple(params[name] for name in compiled.positiontup)
    cursor = connection.connection.cursor()
    try:
        cursor.execute(str(compiled), params)
        return [tuple(row) for row in cursor.fetchall()]
    finally:
        cursor.close()
