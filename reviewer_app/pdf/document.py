"""Opening PDFs: every way a file can be unusable becomes one clear ``PdfUnreadable``."""

from __future__ import annotations

import threading
from pathlib import Path
from types import TracebackType

import pymupdf

from reviewer_app.pdf.damage import looks_cut_off, mupdf_reason, no_pages_reason
from reviewer_app.pdf.errors import PdfUnreadable
from reviewer_app.pdf.spans import Rect
from reviewer_app.pdf.text_layer import MUPDF_ERRORS, DocumentText, build_document_text

_HEADER_WINDOW = 1024
"""PDF readers accept the %PDF- header anywhere in the first kilobyte."""


class _DocumentWithoutOutline(pymupdf.Document):
    """A PyMuPDF document that does not read the outline (bookmarks) when it opens.

    PyMuPDF reads the whole outline on every open, and the app never shows it: for the
    2,415-page R reference manual that was 0.3–0.9 s of each of the three opens (the GUI
    thread, the page worker and the thumbnail worker) before the first page could be drawn.
    """

    def _loadOutline(self) -> None:  # PyMuPDF's name, called by its __init__
        return None


class WrongThread(RuntimeError):
    """A PyMuPDF document was used off the thread that opened it: a bug, not bad input."""


class PdfDocument:
    """An open PDF file.

    PyMuPDF does not support using one document from several threads, so every method
    checks it is called on the thread that opened the file. The ``DocumentText`` returned
    by ``text_layer`` holds no PyMuPDF object and may be handed to other threads.
    """

    def __init__(self, path: Path, raw: pymupdf.Document) -> None:
        self.path = path
        self._raw = raw
        self._owner = threading.get_ident()
        self._text: DocumentText | None = None

    @property
    def raw(self) -> pymupdf.Document:
        """The PyMuPDF document, for rendering. Same thread rule."""
        self._check_thread()
        return self._raw

    @property
    def page_count(self) -> int:
        return int(self.raw.page_count)

    @property
    def repaired(self) -> bool:
        """MuPDF had to repair the file (e.g. truncated): some pages may be empty."""
        return bool(self.raw.is_repaired)

    def page(self, number: int) -> pymupdf.Page:
        """Page ``number`` (0-based)."""
        page: pymupdf.Page = self.raw.load_page(number)  # PyMuPDF leaves load_page unannotated
        return page

    def page_rect(self, number: int) -> Rect:
        rect = self.page(number).rect
        return (rect.x0, rect.y0, rect.x1, rect.y1)

    def text_layer(self) -> DocumentText:
        """The document's text with word positions (built on first use, then kept)."""
        if self._text is None:
            self._text = build_document_text(self.raw)
        return self._text

    def close(self) -> None:
        self._check_thread()
        self._raw.close()

    def __enter__(self) -> PdfDocument:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _check_thread(self) -> None:
        if threading.get_ident() != self._owner:
            raise WrongThread(
                f"{self.path}: a PyMuPDF document must be used on the thread that opened it"
            )


def open_pdf(path: Path | str) -> PdfDocument:
    """Open ``path`` as a PDF, or raise ``PdfUnreadable`` saying what is wrong with it."""
    path = Path(path)
    header = _read_header(path)
    if not header:
        raise PdfUnreadable(path, "not a valid PDF (the file is empty)")
    try:
        raw = _DocumentWithoutOutline(path, filetype="pdf")
        locked, page_count = raw.needs_pass, raw.page_count
    except MUPDF_ERRORS as exc:
        # PyMuPDF's own message only repeats the path
        raise PdfUnreadable(path, f"not a valid PDF ({_why_not_parsed(path, header)})") from exc
    if locked or page_count == 0:
        repaired = bool(raw.is_repaired)
        raw.close()
        if locked:
            raise PdfUnreadable(path, "PDF is password-protected")
        raise PdfUnreadable(path, no_pages_reason(path, repaired))
    return PdfDocument(path, raw)


def _read_header(path: Path) -> bytes:
    try:
        with path.open("rb") as file:
            return file.read(_HEADER_WINDOW)
    except FileNotFoundError:
        raise PdfUnreadable(path, "file not found") from None
    except IsADirectoryError:
        raise PdfUnreadable(path, "is a directory, not a PDF file") from None
    except OSError as exc:
        raise PdfUnreadable(path, f"cannot be read ({exc.strerror or exc})") from exc


def _why_not_parsed(path: Path, header: bytes) -> str:
    if b"%PDF-" not in header:
        return f"no %PDF- header; the file starts with {header[:16]!r}"
    if looks_cut_off(path):
        return "cut off: it does not end with %%EOF, e.g. an incomplete download"
    return "damaged beyond repair, e.g. truncated"


def first_page_problem(document: PdfDocument) -> str | None:
    """Why the first page cannot be loaded (e.g. a cycle in the page tree), or None."""
    try:
        document.page(0)
    except MUPDF_ERRORS as exc:
        return f"its first page cannot be read ({mupdf_reason(exc)})"
    return None
