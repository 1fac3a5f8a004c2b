"""A workspace named by a path is a SQLite file: how the path is read, how long the processes
sharing it wait for one another, and how a quick command reads a current one. Apart from
``database.py`` so that the quick reads (the records list, ``record_listing.py``; the workspace's
ratings, ``rating_reads.py``) use the same rules without importing SQLAlchemy."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

from reviewer_app.storage.schema_heads import STORED_REVISIONS_SQL, at_heads

T = TypeVar("T")

BUSY_TIMEOUT_S = 60
"""How long a SQLite writer waits for another process's write lock before giving up."""


def sqlite_path(db: str | Path) -> Path | None:
    """The file a workspace path names, resolved; None for a database URL (one with ``://``)."""
    text = str(db)
    if "://" in text:
        return None
    return Path(text).expanduser().resolve()


def read_current_sqlite(db: str, read: Callable[[sqlite3.Cursor], T]) -> T | None:
    """What ``read`` reads, in one snapshot, from the SQLite workspace file ``db`` names; None
    when this cannot answer and the workspace has to be opened the usual way (which creates,
    upgrades or reports): ``db`` is a URL, the file does not exist yet, its schema is not the
    newest, or SQLite refuses (locked past the busy timeout, not a database, ...)."""
    path = sqlite_path(db)
    if path is None or not path.is_file():
        return None
    try:
        # mode=rw: never create a file here (opening the workspace does that, with its schema)
        connection = sqlite3.connect(
            f"file:{quote(str(path))}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_S,
            isolation_level=None,
        )  # fmt: skip
        try:
            connection.execute("BEGIN")  # one snapshot: the schema checked is the one read
            if not at_heads(row[0] for row in connection.execute(STORED_REVISIONS_SQL)):
                return None
            return read(connection.cursor())
        finally:
            connection.close()
    except sqlite3.Error:
        return None
