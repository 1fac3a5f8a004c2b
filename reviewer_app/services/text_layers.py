"""A small cache of the text layers of stored PDFs, for re-anchoring and quote search.

A file with a passage index has its text layer stored with it (``pdf/packed_layer.py``):
reading that takes a fraction of a second where reading every page of a 2,415-page manual
from the PDF takes ten, so the stored one is used whenever it exists.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict

from reviewer_app.pdf import DocumentText, PdfStore
from reviewer_app.pdf.packed_layer import PackedLayerInvalid, unpack_text_layer
from reviewer_app.storage import text_layer_repository as text_layer_repo
from reviewer_app.storage.database import Database

DEFAULT_CAPACITY = 4
"""Text layers of a few files: a 500-page paper's is a few MB of words and boxes."""

log = logging.getLogger(__name__)


class TextLayers:
    """``DocumentText`` per stored SHA-256, least recently used dropped first.

    Each layer is read from the database (when it holds one) or built on the calling thread
    from a document opened (and closed) there, so the cache may be shared between threads;
    ``DocumentText`` holds no PyMuPDF object.
    """

    def __init__(
        self, store: PdfStore, capacity: int = DEFAULT_CAPACITY, database: Database | None = None
    ) -> None:
        self._store = store
        self._capacity = capacity
        self._database = database
        self._layers: OrderedDict[str, DocumentText] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, sha256: str) -> DocumentText:
        """The stored layer if there is one, else the layer read from the PDF."""
        found = self.cached(sha256) or self.stored(sha256)
        if found is not None:
            return found
        with self._store.open(sha256) as document:
            layer = document.text_layer()
        self.put(sha256, layer)
        return layer

    def cached(self, sha256: str) -> DocumentText | None:
        with self._lock:
            if sha256 in self._layers:
                self._layers.move_to_end(sha256)
                return self._layers[sha256]
        return None

    def stored(self, sha256: str) -> DocumentText | None:
        """The layer kept with the file's passage index, or None (not indexed yet)."""
        if self._database is None:
            return None
        with self._database.reading() as session:
            packed = text_layer_repo.stored_text_layer(session, sha256)
        if packed is None:
            return None
        try:
            layer = unpack_text_layer(packed)
        except PackedLayerInvalid as exc:
            log.warning("text layer of %s not used: %s", sha256, exc)
            return None
        self.put(sha256, layer)
        return layer

    def put(self, sha256: str, layer: DocumentText) -> None:
        with self._lock:
            self._layers[sha256] = layer
            self._layers.move_to_end(sha256)
            while len(self._layers) > self._capacity:
                self._layers.popitem(last=False)
