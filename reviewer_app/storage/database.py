"""Opening a workspace database from a path or URL, with the schema brought up to date."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from reviewer_app.errors import DatabaseUnavailable

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SUPPORTED_DIALECTS = ("sqlite", "postgresql")


def database_url(db: str | Path) -> URL:
    """A path becomes a SQLite URL; anything with ``://`` is parsed as an SQLAlchemy URL."""
    text = str(db)
    if "://" not in text:
        path = Path(text).expanduser().resolve()
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
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, db: str | Path, *, upgrade: bool = True) -> Database:
        url = database_url(db)
        try:
            engine = _create_engine(url)
        except (NoSuchModuleError, ModuleNotFoundError) as exc:
            raise DatabaseUnavailable(f"{_safe(url)}: database driver missing ({exc})") from None
        database = cls(engine)
        try:
            if upgrade:
                database.upgrade()
            else:
                with engine.connect():
                    pass
        except DBAPIError as exc:
            engine.dispose()
            raise DatabaseUnavailable(f"{_safe(url)}: {_first_line(exc.orig)}") from None
        return database

    @property
    def url(self) -> str:
        return _safe(self.engine.url)

    def upgrade(self) -> None:
        """Create or upgrade the schema to the newest migration, in one transaction."""
        with self.engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS_DIR))
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def schema_revision(self) -> str | None:
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    @staticmethod
    def head_revision() -> str | None:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        return ScriptDirectory.from_config(config).get_current_head()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on any exception."""
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()


def _create_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the GUI read while a background import writes; foreign keys are off by default.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _safe(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def _first_line(error: object) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
