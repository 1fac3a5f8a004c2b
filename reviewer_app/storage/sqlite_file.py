"""A workspace named by a path is a SQLite file: how the path is read, and how long the
processes sharing it wait for one another. Apart from ``database.py`` so that the quick records
list (``record_listing.py``) uses the same rules without importing SQLAlchemy."""

from __future__ import annotations

from pathlib import Path

BUSY_TIMEOUT_S = 60
"""How long a SQLite writer waits for another process's write lock before giving up."""


def sqlite_path(db: str | Path) -> Path | None:
    """The file a workspace path names, resolved; None for a database URL (one with ``://``)."""
    text = str(db)
    if "://" in text:
        return None
    return Path(text).expanduser().resolve()
