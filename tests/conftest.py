"""Shared fixtures. Qt runs offscreen; every test gets its own data directory and database."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.pg_server import PostgresServer, PostgresUnavailable, start_server

pytest_plugins = ("tests.run_clock",)

# Test modules import helpers from it directly as well as loading it as a plugin.
pytest.register_assert_rewrite("tests.ui_fixtures")
pytest.register_assert_rewrite("tests.team_support")
pytest.register_assert_rewrite("tests.review_window_fixtures")

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLES = REPO_ROOT / "resources" / "demo" / "records"


@pytest.fixture(autouse=True)
def isolated_app_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep tests away from the user's real data directory, database and keyring."""
    data = tmp_path / "app-data"
    monkeypatch.setenv("REVIEWER_APP_DATA_DIR", str(data))
    monkeypatch.delenv("REVIEWER_APP_DB", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    return data


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    try:
        server = start_server()
    except PostgresUnavailable as exc:
        if os.environ.get("REVIEWER_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required for this run: {exc}")
        pytest.skip(str(exc))
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh, empty database on the session's PostgreSQL server."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_server.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield postgres_server.url_for(name)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each storage test runs once on a SQLite file and once on a real PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "workspace.sqlite3")
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def samples() -> Path:
    return SAMPLES
