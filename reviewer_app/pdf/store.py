"""A content-addressed store of source PDFs: ``root/ab/cdef….pdf`` named by SHA-256.

The same file added twice is stored once. Files are written to a temporary name inside
``root`` and moved into place with ``os.replace``, so a crash never leaves half a PDF under
a real name, and stored files are made read-only to discourage editing them in place.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from reviewer_app.pdf.damage import repair_warning
from reviewer_app.pdf.document import PdfDocument, first_page_problem, open_pdf
from reviewer_app.pdf.errors import PdfUnreadable, StoredPdfAltered, StoredPdfMissing

_CHUNK = 1 << 20
_SHA256 = re.compile(r"[0-9a-f]{64}")
_READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH


@dataclass(frozen=True)
class StoredPdf:
    sha256: str
    path: Path
    size: int
    page_count: int
    warnings: tuple[str, ...] = ()
    """Problems worth telling the person attaching it (e.g. a repaired, cut-off file)."""
    created: bool = field(default=False, compare=False)
    """This call put the file in the store (it was not there, or was altered): a fact about
    the call, not the file, so two results for the same file compare equal."""


@dataclass(frozen=True)
class StagedPdf:
    """A checked copy of a PDF inside the store's folder, not yet under its real name."""

    sha256: str
    path: Path
    size: int
    page_count: int
    warnings: tuple[str, ...]


class PdfStore:
    """PDFs kept under ``root`` by content hash."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def add(self, source: Path | str) -> StoredPdf:
        """Copy ``source`` into the store (once per content) after checking it opens as a PDF."""
        with self.staging(source) as staged:
            return self.keep(staged)

    @contextmanager
    def staging(self, source: Path | str) -> Iterator[StagedPdf]:
        """A checked temporary copy of ``source``; gone afterwards unless ``keep`` took it.

        Callers that record the file in a database keep it only once the database has
        accepted the row, so that a refused attach leaves no file behind.
        """
        source = Path(source)
        self.root.mkdir(parents=True, exist_ok=True)
        temp = self._copy_to_temp(source)
        try:
            sha256, size = _hash_file(temp)
            page_count, warnings = _check(temp, shown_as=source)
            yield StagedPdf(sha256, temp, size, page_count, warnings)
        finally:
            temp.unlink(missing_ok=True)

    def keep(self, staged: StagedPdf) -> StoredPdf:
        """Move a staged copy under its real name (unless an intact copy is already there)."""
        target = self.path_for(staged.sha256, must_exist=False)
        created = not (target.exists() and _hash_file(target)[0] == staged.sha256)
        if created:
            # absent, or altered since: the fresh copy takes its place
            target.parent.mkdir(exist_ok=True)
            os.chmod(staged.path, _READ_ONLY)
            os.replace(staged.path, target)
        return StoredPdf(
            staged.sha256, target, staged.size, staged.page_count, staged.warnings, created
        )

    def discard(self, stored: StoredPdf) -> None:
        """Take back a file that ``keep`` just created, when what it was kept for failed."""
        if stored.created:
            stored.path.unlink(missing_ok=True)

    def path_for(self, sha256: str, *, must_exist: bool = True) -> Path:
        """Where the PDF with this hash lives; ``StoredPdfMissing`` if it is not there."""
        if not _SHA256.fullmatch(sha256):
            raise StoredPdfMissing(self.root, f"{sha256!r} is not a lower-case SHA-256 hex digest")
        path = self.root / sha256[:2] / f"{sha256[2:]}.pdf"
        if must_exist and not path.is_file():
            raise StoredPdfMissing(path, f"no stored PDF with SHA-256 {sha256}")
        return path

    def contains(self, sha256: str) -> bool:
        return (
            _SHA256.fullmatch(sha256) is not None
            and self.path_for(sha256, must_exist=False).is_file()
        )

    def verify(self, sha256: str) -> Path:
        """Re-hash the stored file; ``StoredPdfAltered`` if its content changed."""
        path = self.path_for(sha256)
        actual, _ = _hash_file(path)
        if actual != sha256:
            raise StoredPdfAltered(
                path, f"stored PDF was altered: its SHA-256 is now {actual}, expected {sha256}"
            )
        return path

    def open(self, sha256: str) -> PdfDocument:
        """Verify, then open the stored PDF (on the calling thread)."""
        return open_pdf(self.verify(sha256))

    def _copy_to_temp(self, source: Path) -> Path:
        try:
            reader = source.open("rb")
        except FileNotFoundError:
            raise PdfUnreadable(source, "file not found") from None
        except OSError as exc:
            raise PdfUnreadable(source, f"cannot be read ({exc.strerror or exc})") from exc
        with (
            reader,
            tempfile.NamedTemporaryFile(dir=self.root, prefix=".adding-", delete=False) as out,
        ):
            try:
                while chunk := reader.read(_CHUNK):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            except OSError as exc:
                Path(out.name).unlink(missing_ok=True)
                raise PdfUnreadable(source, f"cannot be copied ({exc.strerror or exc})") from exc
        return Path(out.name)


def _hash_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("rb") as file:
            while chunk := file.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except FileNotFoundError:
        raise StoredPdfMissing(path, "stored PDF is missing") from None
    return digest.hexdigest(), size


def _check(path: Path, *, shown_as: Path) -> tuple[int, tuple[str, ...]]:
    """Check the copy (not the source, which could change meanwhile) opens as a PDF whose
    first page loads; its page count and what to warn about."""
    try:
        with open_pdf(path) as document:
            if problem := first_page_problem(document):
                raise PdfUnreadable(shown_as, f"PDF page tree is damaged: {problem}")
            warnings = (repair_warning(path, shown_as.name),) if document.repaired else ()
            return document.page_count, warnings
    except PdfUnreadable as exc:
        raise PdfUnreadable(shown_as, exc.reason) from exc
