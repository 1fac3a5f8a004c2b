"""Colleagues' changes as they are committed: PostgreSQL ``LISTEN`` on a connection of its own.

The triggers of migration 0008 send one notification per changed record and table, at the
writer's commit (``NOTIFY`` is transactional). A notification carries no judgement, only which
record changed, so reading what changed still goes through row level security. Nothing here
touches Qt: the UI runs ``ChangeListener.wait`` on a worker thread.
"""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from sqlalchemy.engine import URL

from reviewer_app.storage.database import Database
from reviewer_app.storage.team_sql import NOTIFY_CHANNEL

if TYPE_CHECKING:
    import psycopg


def _psycopg() -> ModuleType:
    """The PostgreSQL driver, imported on first use: the window imports this module on every
    start, and a SQLite workspace never listens (importing psycopg cost ~0.1-0.3 s)."""
    import psycopg
    import psycopg.conninfo

    return psycopg


PROBE_EVERY_S = 5.0
"""How often an idle listener checks that its connection is still alive."""


class ListenerLost(Exception):
    """The listening connection is gone (server restart, network); reconnect and re-read."""


@dataclass(frozen=True)
class Change:
    table: str
    record_id: str | None
    """None for workspace-wide rows (tier policy, settings)."""
    reviewer_id: int | None
    sent_at: float | None
    """Server time (epoch seconds) when the writing statement started: latency from it is an
    upper bound of the latency from the commit."""
    received_at: float
    """``time.time()`` when this process received it."""


def supports_listening(database: Database) -> bool:
    return database.engine.dialect.name == "postgresql"


def parse_change(payload: str, received_at: float) -> Change | None:
    try:
        data = json.loads(payload)
        reviewer = data.get("reviewer")
        return Change(
            table=str(data["table"]),
            record_id=data.get("record"),
            reviewer_id=int(reviewer) if reviewer is not None else None,
            sent_at=float(data["at"]) if data.get("at") is not None else None,
            received_at=received_at,
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None  # not one of ours: another client may use the channel


class ChangeListener:
    """Holds one autocommit connection that LISTENs; ``wait`` returns what arrived."""

    def __init__(
        self, url: URL, *, connect_timeout_s: int = 5, probe_every_s: float = PROBE_EVERY_S
    ) -> None:
        self._probe_every_s = probe_every_s
        self._conninfo = _psycopg().conninfo.make_conninfo(
            host=url.host or "",
            port=str(url.port or ""),
            user=url.username or "",
            password=url.password or "",
            dbname=url.database or "",
            connect_timeout=str(connect_timeout_s),
            application_name="reviewer-app live updates",
            keepalives="1",
            keepalives_idle="10",
            keepalives_interval="5",
            keepalives_count="2",
        )
        self._connection: psycopg.Connection[tuple[object, ...]] | None = None
        self._last_probe = 0.0

    @classmethod
    def for_database(
        cls, database: Database, *, probe_every_s: float = PROBE_EVERY_S
    ) -> ChangeListener:
        return cls(database.engine.url, probe_every_s=probe_every_s)

    @property
    def connected(self) -> bool:
        return self._connection is not None and not self._connection.closed

    def connect(self) -> None:
        self.close()
        try:
            self._connection = _psycopg().connect(self._conninfo, autocommit=True)
            sql = _psycopg().sql
            self._connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(NOTIFY_CHANNEL)))
        except _psycopg().Error as exc:
            self.close()
            raise ListenerLost(_first_line(exc)) from None
        self._last_probe = time.monotonic()

    def wait(self, timeout_s: float) -> list[Change]:
        """The changes received within ``timeout_s`` (returns early once one arrives)."""
        if self._connection is None:
            raise ListenerLost("not connected")
        received: list[psycopg.Notify] = []
        try:
            received += self._connection.notifies(timeout=timeout_s, stop_after=1)
            # whatever else is already buffered comes along without waiting again
            received += self._connection.notifies(timeout=0.0)
            if not received and time.monotonic() - self._last_probe > self._probe_every_s:
                self._connection.execute("SELECT 1")
                self._last_probe = time.monotonic()
        except _psycopg().Error as exc:
            self.close()
            raise ListenerLost(_first_line(exc)) from None
        now = time.time()
        parsed = (parse_change(n.payload, now) for n in received)
        return [change for change in parsed if change is not None]

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(_psycopg().Error):  # already broken: nothing to release
                self._connection.close()
            self._connection = None


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
