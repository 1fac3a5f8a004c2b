"""Where the app keeps its data. One place, with an environment override for tests and scripts."""

from __future__ import annotations

import os
from pathlib import Path

import reviewer_app

APP_NAME = "synthesis-reviewer"
DATA_DIR_ENV = "REVIEWER_APP_DATA_DIR"
DB_ENV = "REVIEWER_APP_DB"


def data_dir() -> Path:
    """The user's data directory (created on first use); ``REVIEWER_APP_DATA_DIR`` overrides it."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        path = Path(override)
    else:
        import platformdirs  # start-up time: not needed when --db or an override names the place

        path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def pdf_store_dir() -> Path:
    """Where attached source PDFs are kept (content-addressed, ``ab/cdef….pdf``)."""
    return data_dir() / "pdfs"


def default_database() -> str:
    """``REVIEWER_APP_DB`` when set, else the SQLite file in the data directory."""
    return os.environ.get(DB_ENV) or str(data_dir() / "workspace.sqlite3")


def resources_dir() -> Path:
    """The ``resources/`` folder shipped beside the package (and inside frozen builds)."""
    bundled = Path(reviewer_app.__file__).resolve().parent / "resources"
    if bundled.is_dir():
        return bundled
    return Path(reviewer_app.__file__).resolve().parents[1] / "resources"


def demo_workspace_dir() -> Path:
    """Sample records (``records/*.txt``) and source PDFs (``pdfs/*.pdf``) for a first run."""
    return resources_dir() / "demo"


def schema_path(name: str) -> Path:
    return resources_dir() / "schemas" / name
