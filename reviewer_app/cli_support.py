"""Shared pieces of the ``reviewer-app`` commands: the lazily opened workspace and error exits."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn

import click

from reviewer_app.config import default_database
from reviewer_app.errors import ReviewerAppError
from reviewer_app.services.workspace import Workspace

EXIT_REFUSED = 2


class AppContext:
    """Opens the workspace lazily so ``--help`` and argument errors need no database."""

    def __init__(self, db: str | None) -> None:
        self.db_given = db is not None
        self.db = db or default_database()
        self._workspace: Workspace | None = None

    def use_database(self, db: str) -> None:
        self.close()
        self.db = db

    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            self._workspace = Workspace.open(self.db)
        return self._workspace

    def close(self) -> None:
        if self._workspace is not None:
            self._workspace.close()
            self._workspace = None


def fail(message: str) -> NoReturn:
    click.echo(f"reviewer-app: error: {message}", err=True)
    sys.exit(EXIT_REFUSED)


def handles_app_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn any ReviewerAppError into one clear line on stderr and exit status 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ReviewerAppError as exc:
            fail(str(exc))

    return wrapper
