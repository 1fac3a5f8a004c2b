"""Reading dropped files out of drag-and-drop data."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData


def local_paths(mime: QMimeData, suffix: str) -> list[Path]:
    """The local files with ``suffix`` (case-insensitive, e.g. ``.pdf``) among dropped URLs."""
    if not mime.hasUrls():
        return []
    paths = (Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile())
    return [path for path in paths if path.suffix.lower() == suffix]


def pdf_path_from(mime: QMimeData) -> Path | None:
    """The first dropped PDF file, if any."""
    pdfs = local_paths(mime, ".pdf")
    return pdfs[0] if pdfs else None
