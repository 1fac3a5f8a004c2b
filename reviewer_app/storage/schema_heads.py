"""Whether a database already has the newest schema, answered without importing Alembic.

Importing Alembic costs more than everything else a quick command such as ``reviewer-app
list`` does, and on almost every open there is nothing to upgrade. The migration files declare
``revision = '…'`` and ``down_revision = '…'`` at their top; the heads are the revisions no
other one names as its parent. Only when the database is not at those heads is Alembic loaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Connection

VERSIONS_DIR = Path(__file__).parent / "migrations" / "versions"
_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+)$", re.MULTILINE)
_QUOTED = re.compile(r"['\"]([^'\"]+)['\"]")


@cache
def script_heads() -> frozenset[str] | None:
    """The head revisions of the migration scripts, or None if a file cannot be read simply
    (then the caller asks Alembic)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in VERSIONS_DIR.glob("*.py"):
        if path.name == "__init__.py":
            continue
        found = dict(_ASSIGNMENT.findall(path.read_text(encoding="utf-8")))
        own = _QUOTED.findall(found.get("revision", ""))
        if len(own) != 1 or "down_revision" not in found:
            return None
        revisions.add(own[0])
        parents.update(_QUOTED.findall(found["down_revision"]))
    heads = frozenset(revisions - parents)
    return heads or None


def is_current(connection: Connection) -> bool:
    """True when the database's recorded revisions are exactly the scripts' heads."""
    # start-up time: the quick records list reads script_heads without SQLAlchemy
    from sqlalchemy import inspect, text

    if script_heads() is None or not inspect(connection).has_table("alembic_version"):
        return False
    return at_heads(row[0] for row in connection.execute(text(STORED_REVISIONS_SQL)))


STORED_REVISIONS_SQL = "SELECT version_num FROM alembic_version"


def at_heads(stored: Iterable[str]) -> bool:
    """True when ``stored`` (the revisions a database records) are exactly the scripts' heads."""
    heads = script_heads()
    return heads is not None and set(stored) == heads
