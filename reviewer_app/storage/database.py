"""Opening a workspace database from a path or URL, with the schema brought up to date."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeAlias

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from reviewer_app.errors import DatabaseUnavailable, WriteFailed
from reviewer_app.storage.schema_heads import is_current
from reviewer_app.storage.sqlite_file import BUSY_TIMEOUT_S, sqlite_path
from reviewer_app.storage.team_identity import refusal

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SUPPORTED_DIALECTS = ("sqlite", "postgresql")
SCHEMA_LOCK_KEY = 0x52455649455752  # "REVIEWR": the PostgreSQL advisory lock of migrations
WRITE_LOCK_KEY = SCHEMA_LOCK_KEY + 1
"""PostgreSQL advisory lock held by every write transaction, as SQLite's write lock is."""
WRITE_LOCK_TIMEOUT_S = BUSY_TIMEOUT_S
"""How long a PostgreSQL writer waits for the write lock (and any row lock) before giving up:
as long as SQLite's busy timeout, so a save stuck behind another never hangs the window."""
LOCK_TIMEOUT_SQLSTATE = "55P03"
_MODE = "reviewer_transaction"
"""Execution option read by the begin hooks: ``read``, ``write`` or ``schema``."""
_SQLITE_BEGIN = {"read": "DEFERRED", "write": "IMMEDIATE", "schema": "EXCLUSIVE"}


UnitOfWork: TypeAlias = Session
"""What ``Database.transaction()`` and ``reading()`` hand out, named for the code outside
``storage/``: services hold it for the length of one use case and pass it to repository
functions, never use it themselves (issue 11: SQLAlchemy stays inside ``storage/``)."""


def database_url(db: str | Path) -> URL:
    """A path becomes a SQLite URL; anything with ``://`` is parsed as an SQLAlchemy URL."""
    text = str(db)
    path = sqlite_path(db)
    if path is not None:
        if not path.parent.is_dir():
            raise DatabaseUnavailable(f"{text}: folder {path.parent} does not exist")
        return URL.create("sqlite", database=str(path))
    try:
        url = make_url(text)
    except ArgumentError as exc:
        raise DatabaseUnavailable(f"{text}: not a database path or URL ({exc})") from None
    if url.drivername in ("postgresql", "postgres"):
        # psycopg 3 is the driver we ship; SQLAlchemy's default would be psycopg2.
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in SUPPORTED_DIALECTS:
        raise DatabaseUnavailable(
            f"{_safe(url)}: unsupported database '{url.get_backend_name()}' "
            "(use a SQLite path or a postgresql+psycopg:// URL)"
        )
    return url


class Database:
    """An engine plus a session factory. Sessions are per unit of work and per thread."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # A write transaction takes the write lock at BEGIN, before its first read: a
        # deferred one would read, then fail to upgrade its lock ("database is locked") or act
        # on rows another process has changed since. Readers never wait. On PostgreSQL an
        # advisory lock plays the part, so every check-then-insert of a natural key (reviewer
        # names, tier results, settings, attached files) sees the rows of the writer before.
        self._writers = engine.execution_options(**{_MODE: "write"})
        self._sessions = sessionmaker(self._writers, expire_on_commit=False)
        self._readers = sessionmaker(engine, expire_on_commit=False)
        self._write_lock_scope = _safe(engine.url.set(username=None, password=None))
        """The database one write lock covers: the same for every role and password."""

    @classmethod
    def open(cls, db: str | Path, *, upgrade: bool = True) -> Database:
        url = database_url(db)
        try:
            engine = _create_engine(url)
        except (NoSuchModuleError, ModuleNotFoundError) as exc:
            raise DatabaseUnavailable(f"{_safe(url)}: database driver missing ({exc})") from None
        database = cls(engine)
        for attempt in range(_OPEN_ATTEMPTS):
            try:
                if upgrade:
                    database.upgrade()
                else:
                    with engine.connect():
                        pass
                return database
            except DBAPIError as exc:
                if attempt + 1 < _OPEN_ATTEMPTS and _locked_while_created(url, exc):
                    time.sleep(0.1 * 2**attempt)
                    continue
                engine.dispose()
                raise DatabaseUnavailable(f"{_safe(url)}: {_first_line(exc.orig)}") from None
        raise AssertionError("unreachable")  # the loop returns or raises

    @property
    def url(self) -> str:
        return _safe(self.engine.url)

    def upgrade(self) -> None:
        """Create or upgrade the schema to the newest migration, in one transaction.

        Processes opening a new database at once take turns: the first creates the schema,
        the others then find it at the head revision and do nothing. Alembic is imported only
        when there is something to do (it is slow to import).
        """
        with self.engine.connect() as connection:
            if is_current(connection):
                return  # the usual open: no lock taken, so no reader or writer waits for it
        from alembic import command
        from alembic.config import Config

        exclusive = self.engine.execution_options(**{_MODE: "schema"})
        with exclusive.begin() as connection:
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS_DIR))
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def schema_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    @staticmethod
    def head_revision() -> str | None:
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        return ScriptDirectory.from_config(config).get_current_head()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on any exception.

        A team workspace's refusal (row level security, a missing grant) or a lost connection is
        one clear line; any other write the database refuses (a constraint, a lock held past the
        busy timeout) is rolled back and raised as ``WriteFailed`` with the database's own first
        line.
        """
        target = self._write_lock_scope
        if target in _writing.scopes:
            # The outer transaction holds the write lock and waits for this one to finish: on
            # PostgreSQL this would wait for ever, on SQLite out the busy timeout.
            raise RuntimeError(f"{self.url}: a write transaction inside another one")
        _writing.scopes.add(target)
        try:
            with _refusals_explained(), self._sessions() as session, session.begin():
                yield session
        except DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", None) == LOCK_TIMEOUT_SQLSTATE:
                raise WriteFailed(
                    f"{self.url}: not saved: another save held the workspace for more than "
                    f"{WRITE_LOCK_TIMEOUT_S:g} s; try again"
                ) from exc
            raise WriteFailed(f"{self.url}: not saved: {_first_line(exc.orig)}") from exc
        finally:
            _writing.scopes.discard(target)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with _refusals_explained(), self._readers() as session:
            yield session

    @contextmanager
    def snapshot(self) -> Iterator[Session]:
        """Like ``reading``, but every statement sees the same committed state: PostgreSQL's
        default (READ COMMITTED) gives each statement its own, so figures read in several
        statements could mix a colleague's older and newer work. A SQLite read transaction
        holds one snapshot already."""
        with self.reading() as session:
            if session.get_bind().dialect.name == "postgresql":
                session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))
            yield session

    def close(self) -> None:
        self.engine.dispose()


class _WritingNow(threading.local):
    def __init__(self) -> None:
        self.scopes: set[str] = set()
        """Databases this thread has a write transaction open on (whichever role)."""


_writing = _WritingNow()


@contextmanager
def _refusals_explained() -> Iterator[None]:
    """A team workspace's refusal (row level security, missing grant) or a lost connection as
    one clear line."""
    try:
        yield
    except DBAPIError as exc:
        if exc.connection_invalidated or _server_unreachable(exc):
            # The server went away mid-work: nothing of this unit was written; say so plainly.
            raise DatabaseUnavailable(
                f"connection to the database lost, not saved ({_first_line(exc.orig)})"
            ) from None
        explained = refusal(exc)
        if explained is None:
            raise
        raise explained from None


def _server_unreachable(error: DBAPIError) -> bool:
    """psycopg could not reach the server at all (no SQLSTATE: the server never answered)."""
    orig = error.orig
    return (
        type(orig).__module__.startswith("psycopg")
        and isinstance(error, OperationalError)
        and getattr(orig, "sqlstate", None) is None
    )


_OPEN_ATTEMPTS = 6
"""A brand-new SQLite file opened by several processes at once can report "database is
locked" without waiting out the busy timeout while one of them switches it to WAL and creates
the schema (seen once in 3 x 4 racing first opens under load); opening again then finds it
ready. About 3 s of retries in all."""


def _locked_while_created(url: URL, error: DBAPIError) -> bool:
    return url.get_backend_name() == "sqlite" and "database is locked" in str(error.orig)


def _create_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})
        event.listen(engine, "connect", _configure_sqlite)
        event.listen(engine, "begin", _begin_sqlite)
        return engine
    # imported here: keyring is needed only for a team database (~0.1 s at every start)
    from reviewer_app.storage.connection_secrets import with_saved_password

    url = with_saved_password(url)  # a team member's password lives in the OS keyring
    engine = create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    event.listen(engine, "begin", _begin_postgresql)
    return engine


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite would BEGIN only at the first INSERT, leaving the reads before it outside the
    # transaction; hand BEGIN to _begin_sqlite instead (SQLAlchemy's documented recipe).
    dbapi_connection.isolation_level = None
    # WAL lets the GUI read while a background import writes; foreign keys are off by default.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin_sqlite(connection: Connection) -> None:
    mode = connection.get_execution_options().get(_MODE, "read")
    connection.exec_driver_sql(f"BEGIN {_SQLITE_BEGIN[mode]}")


def _begin_postgresql(connection: Connection) -> None:
    mode = connection.get_execution_options().get(_MODE, "read")
    # transaction-level locks: released at commit or rollback, never left by a crash
    if mode == "schema":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
    elif mode == "write":
        timeout_ms = int(WRITE_LOCK_TIMEOUT_S * 1000)
        connection.execute(text(f"SET LOCAL lock_timeout = {timeout_ms}"))
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})


def _safe(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def _first_line(error: object) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
