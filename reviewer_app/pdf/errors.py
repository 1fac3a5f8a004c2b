"""Errors about PDF files, each naming the file and what is wrong with it."""

from __future__ import annotations

from pathlib import Path

from reviewer_app.errors import ReviewerAppError


class PdfError(ReviewerAppError):
    """A PDF file could not be used; ``path`` names it and ``reason`` says why."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class PdfUnreadable(PdfError):
    """Missing, not a PDF, damaged beyond repair, password-protected, or without pages."""


class StoredPdfMissing(PdfError):
    """The content store has no file for a SHA-256 it was asked about."""


class StoredPdfAltered(PdfError):
    """A stored file no longer hashes to the SHA-256 it is stored under."""
