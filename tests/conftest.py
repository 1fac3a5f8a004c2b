"""Shared fixtures. Qt runs offscreen; every test gets its own data directory and database."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import create_engine, text

from tests.pg_server import PostgresServer, PostgresUnavailable, start_server

if TYPE_CHECKING:
    from reviewer_app.services.grounding import GroundingService
    from reviewer_app.services.review import ReviewService
    from reviewer_app.services.scoring import ScoringService
    from reviewer_app.services.workspace import Workspace
    from tests.arxiv_support import FakeArxiv
    from tests.test_credentials import MemoryKeyring

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


# Shared by several test files and found by pytest itself: a test module that defines a fixture of
# the same name (e.g. its own ``scoring``) uses its own. The app is imported inside the fixtures so
# that loading this file stays cheap and imports no more than it did. ``db_workspace`` is not called
# ``workspace``: that name is the sample-records workspace of ``tests/ui_fixtures.py``, loaded as a
# plugin by the window tests, which a fixture here would override for all of them.


@pytest.fixture
def db_workspace(db_url: str) -> Iterator[Workspace]:
    """An empty workspace, once on SQLite and once on PostgreSQL (``db_url``)."""
    from reviewer_app.services.workspace import Workspace

    with Workspace.open(db_url) as opened:
        yield opened


@pytest.fixture
def record_id(db_workspace: Workspace, samples: Path) -> str:
    """The review-loop record: the sample report (ten claims, three arXiv references)."""
    from tests.review_support import SAMPLE_REPORT

    return db_workspace.import_file(samples / SAMPLE_REPORT).local_id


@pytest.fixture
def service(db_workspace: Workspace) -> ReviewService:
    from reviewer_app.services.review import ReviewService

    return ReviewService.for_workspace(db_workspace)


@pytest.fixture
def grounding(db_workspace: Workspace, service: ReviewService) -> GroundingService:
    from reviewer_app.services.grounding import GroundingService

    return GroundingService(db_workspace.database, service.pdf_store)


@pytest.fixture
def scoring(db_workspace: Workspace) -> ScoringService:
    from reviewer_app.services.scoring import ScoringService

    return ScoringService(db_workspace.database)


@pytest.fixture
def demo_workspace(tmp_path: Path, samples: Path) -> Iterator[Workspace]:
    """A SQLite workspace holding every demo record (the plot and scoring-dock tests)."""
    from reviewer_app.services.workspace import Workspace

    with Workspace.open(tmp_path / "workspace.sqlite3") as workspace:
        workspace.import_files(sorted(samples.glob("*.txt")))
        yield workspace


@pytest.fixture
def fake_arxiv(tmp_path: Path) -> Iterator[FakeArxiv]:
    """arXiv on loopback, serving ``review_support.make_source``'s paper."""
    from tests.arxiv_support import serve_fake_arxiv
    from tests.review_support import make_source

    with serve_fake_arxiv(make_source(tmp_path / "served.pdf").read_bytes()) as site:
        yield site


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """A keyring that works, in memory, for this test only."""
    import keyring

    from tests.test_credentials import MemoryKeyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """No keyring backend at all, as on a bare headless machine."""
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)
