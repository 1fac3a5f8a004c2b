"""Errors the app reports to people. Each carries a message fit to show as is."""

from __future__ import annotations

from pathlib import Path


class ReviewerAppError(Exception):
    """Base of every error the CLI and the GUI show as one clear line."""


class ImportRefused(ReviewerAppError):
    """A file could not be imported; nothing of it was stored."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class DatabaseUnavailable(ReviewerAppError):
    """The database URL is malformed, unreachable or not a database of ours."""


class WriteFailed(ReviewerAppError):
    """The database refused or could not complete a write; the transaction was rolled back."""


class NotFound(ReviewerAppError):
    """An id that names nothing in the workspace."""
