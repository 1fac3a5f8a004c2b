"""A small cache of the text layers of stored PDFs, for re-anchoring and quote search."""

from __future__ import annotations

import threading
from collections import OrderedDict

from reviewer_app.pdf import DocumentText, PdfStore

DEFAULT_CAPACITY = 4
"""Text layers of a few files: a 500-page paper's is a few MB of words and boxes."""


class TextLayers:
    """``DocumentText`` per stored SHA-256, least recently used dropped first.

    Each layer is built on the calling thread from a document opened (and closed) there, so
    the cache may be shared between threads; ``DocumentText`` holds no PyMuPDF object.
    """

    def __init__(self, store: PdfStore, capacity: int = DEFAULT_CAPACITY) -> None:
        self._store = store
        self._capacity = capacity
        self._layers: OrderedDict[str, DocumentText] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, sha256: str) -> DocumentText:
        with self._lock:
            if sha256 in self._layers:
                self._layers.move_to_end(sha256)
                return self._layers[sha256]
        with self._store.open(sha256) as document:
            layer = document.text_layer()
        self.put(sha256, layer)
        return layer

    def put(self, sha256: str, layer: DocumentText) -> None:
        with self._lock:
            self._layers[sha256] = layer
            self._layers.move_to_end(sha256)
            while len(self._layers) > self._capacity:
                self._layers.popitem(last=False)
