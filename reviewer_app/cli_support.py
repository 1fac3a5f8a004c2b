"""Shared pieces of the ``reviewer-app`` commands: the lazily opened workspace and error exits."""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, NoReturn

import click

from reviewer_app.config import default_database
from reviewer_app.errors import ReviewerAppError
from reviewer_app.services.records_list import RecordSummary, quick_record_summaries

if TYPE_CHECKING:
    from reviewer_app.domain.review_sheets import WorkspaceAgreement
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
            # start-up time: SQLAlchemy comes with it, which ``list`` mostly does without
            from reviewer_app.services.workspace import Workspace

            self._workspace = Workspace.open(self.db)
        return self._workspace

    def list_records(self) -> list[RecordSummary]:
        """The records list, read without opening the workspace when it is a local file whose
        schema is current (start-up time: opening it costs several times the query)."""
        if self._workspace is None:
            quick = quick_record_summaries(self.db)
            if quick is not None:
                return quick
        return self.workspace.list_records()

    def workspace_agreement(self) -> WorkspaceAgreement:
        """The agreement pooled over the workspace, read without opening the workspace when it
        is a local file whose schema is current (SQLAlchemy's import is more than half the
        command's time otherwise)."""
        from reviewer_app.services.quick_agreement import quick_workspace_agreement

        if self._workspace is None:
            quick = quick_workspace_agreement(self.db)
            if quick is not None:
                return quick
        from reviewer_app.services.scoring import ScoringService

        return ScoringService(self.workspace.database).ratings.workspace_agreement()

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


_LINE_BREAKING = frozenset({"Cc", "Zl", "Zp"})


def one_line(text: str) -> str:
    """``text`` safe for line-oriented output: control and separator characters escaped.

    A title holding U+2028, U+0085 or a tab would otherwise split an ``ID<TAB>KIND<TAB>TITLE``
    line for readers that honour Unicode line breaks (Python's ``splitlines``, many editors).
    """
    if all(unicodedata.category(c) not in _LINE_BREAKING for c in text):
        return text
    return "".join(
        (f"\\u{ord(c):04x}" if unicodedata.category(c) in _LINE_BREAKING else c) for c in text
    )
