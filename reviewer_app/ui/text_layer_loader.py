"""The open PDF's text layer, loaded off the GUI thread.

Reading the text layer of a 2,415-page manual from the PDF takes about ten seconds; reading
the one stored with its passage index a fraction of one. Either way it happens on a pool
thread: the review loop asks for the stored layer when a source is shown
(``request(read)``), and find asks for a plain read of the file when nobody supplied one.
Until it arrives, ``current()`` is None and ``sig_text_layer_ready`` follows.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal

from reviewer_app.pdf.document import open_pdf
from reviewer_app.pdf.search import prepare_for_find
from reviewer_app.pdf.text_layer import DocumentText
from reviewer_app.ui.pool_tasks import PoolTask, start_task
from reviewer_app.ui.thread_keeper import wait_or_keep_pool


class TextLayerLoader(QObject):
    sig_text_layer_ready = Signal()
    """The open document's text layer is loaded: ``current()`` returns it."""
    sig_text_layer_failed = Signal(str)
    """Reading the text layer failed: the message."""

    def __init__(self, view: Any) -> None:
        """``view``: the ``PdfView`` (its ``path`` and document signals)."""
        super().__init__(view)
        self._view = view
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)  # a stored layer need not wait behind a long read
        self._layer: DocumentText | None = None
        self._path: Path | None = None
        self._reading: set[tuple[Path, str]] = set()
        self._tasks: list[PoolTask] = []
        view.sig_document_opened.connect(self._on_document_opened)
        view.sig_document_closed.connect(self._on_document_closed)

    def current(self) -> DocumentText | None:
        """The open document's text layer once loaded, else None (nothing is built here)."""
        return self._layer if self._path is not None and self._path == self._view.path else None

    def supply(self, layer: DocumentText, path: Path) -> None:
        """``layer`` is the text layer of ``path``; ignored unless that file is still open."""
        if self.current() is None and path == self._view.path:
            self._layer, self._path = layer, path
            self.sig_text_layer_ready.emit()

    def is_reading(self) -> bool:
        """A read of the open document's layer (stored or from the file) is under way."""
        path = self._view.path
        return any(read_path == path for read_path, _kind in self._reading)

    def request(self, read: Callable[[], DocumentText] | None = None, kind: str = "file") -> None:
        """Load the open document's layer with ``read`` (default: from the file itself) on a
        pool thread, unless it is loaded or the same kind of read is under way."""
        path = self._view.path
        if path is None or self.current() is not None or (path, kind) in self._reading:
            return
        self._reading.add((path, kind))
        reader = read or (lambda: _read_file(path))

        def work() -> tuple[Path, str, DocumentText]:
            return path, kind, prepare_for_find(reader())

        # kept until their signal has come: a few reads at most are ever under way
        self._tasks = [
            *self._tasks[-6:],
            start_task(self._pool, work, self._on_loaded, self._on_failed),
        ]

    def wait_for_reads(self) -> None:
        """Block until running reads end (before the workspace they read is closed)."""
        wait_or_keep_pool(self._pool, "reading a text layer", *self._tasks)

    def _on_loaded(self, result: tuple[Path, str, DocumentText]) -> None:
        path, kind, layer = result
        self._reading.discard((path, kind))
        self.supply(layer, path)

    def _on_failed(self, message: str) -> None:
        self._reading.clear()
        self.sig_text_layer_failed.emit(message)

    def _on_document_opened(self, *_args: object) -> None:
        self._layer, self._path = None, None

    def _on_document_closed(self) -> None:
        self._layer, self._path = None, None


def _read_file(path: Path) -> DocumentText:
    with open_pdf(path) as document:  # its own document: PyMuPDF objects stay on one thread
        return document.text_layer()
