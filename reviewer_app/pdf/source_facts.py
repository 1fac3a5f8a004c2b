"""What the grounding checks read from stored PDFs, cached so a workspace is checked quickly.

Two caches, both per process and per store (``SourceFacts.shared``: every service made for a
pass over the workspace finds what the last pass read):

* the hash of a stored file, keyed by its path, size, inode and modification time: a file
  that is rewritten (even to the same size) gets a new modification time and is hashed
  again, so an altered file is always noticed, while an untouched one is hashed once;
* the text read from a file, keyed by its SHA-256 (content-addressed, so it never goes stale):
  first page, metadata and the text layer's string, against which quotes are re-verified.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from reviewer_app.pdf.document import open_pdf
from reviewer_app.pdf.errors import PdfError
from reviewer_app.pdf.normalize import normalize_query
from reviewer_app.pdf.store import PdfStore

_CHUNK = 1 << 20
TEXT_CACHE_CHARS = 64_000_000
"""The text cache keeps files until their text passes this many characters (~64 MB for the
ASCII text most papers are), dropping the least recently used: a workspace of 300 papers
fits many times over, a 2,400-page manual (~4 M characters) fits beside them."""


@dataclass(frozen=True)
class SourceText:
    first_page_text: str
    metadata: dict[str, str]
    text: str | None
    """The text layer's string (offsets as evidence spans store them); None until needed."""


@dataclass(frozen=True)
class HashCheck:
    intact: bool
    message: str


class SourceFacts:
    """Hash checks and text of the files in one ``PdfStore``; safe to share between threads."""

    def __init__(self, store: PdfStore, max_chars: int = TEXT_CACHE_CHARS) -> None:
        self.store = store
        self._max_chars = max_chars
        self._chars = 0
        self._hashes: dict[Path, tuple[tuple[int, int, int], str]] = {}
        self._texts: OrderedDict[str, SourceText] = OrderedDict()
        self._quotes: dict[tuple[str, int | None, int | None, str], bool] = {}
        self._lock = threading.Lock()

    def hash_check(self, sha256: str) -> HashCheck:
        """Whether the stored file still has ``sha256`` (re-hashed only if it changed on disk)."""
        try:
            path = self.store.path_for(sha256)
            stat = path.stat()
        except (PdfError, OSError):
            return HashCheck(False, f"the stored file {sha256[:12]}… is missing")
        key = (stat.st_size, stat.st_ino, stat.st_mtime_ns)
        with self._lock:
            cached = self._hashes.get(path)
        if cached is not None and cached[0] == key:
            actual = cached[1]
        else:
            actual = _hash(path)
            with self._lock:
                self._hashes[path] = (key, actual)
        if actual != sha256:
            return HashCheck(
                False, f"the stored file was altered: its SHA-256 is now {actual[:12]}…"
            )
        return HashCheck(True, "the stored file still has its SHA-256")

    def first_page(self, sha256: str) -> SourceText | None:
        """First page and metadata only: cheap even for a 2,400-page manual."""
        return self._read(sha256, whole=False)

    def text(self, sha256: str) -> SourceText | None:
        """The file's text, or None when it cannot be read (call ``hash_check`` first)."""
        return self._read(sha256, whole=True)

    def _read(self, sha256: str, *, whole: bool) -> SourceText | None:
        with self._lock:
            cached = self._texts.get(sha256)
            if cached is not None and (cached.text is not None or not whole):
                self._texts.move_to_end(sha256)
                return cached
        try:
            with open_pdf(self.store.path_for(sha256)) as document:
                first = document.page(0).get_text() if document.page_count else ""
                metadata = {k: v for k, v in (document.raw.metadata or {}).items() if v}
                text = document.text_layer().text if whole else None
                found = SourceText(first, metadata, text)
        except PdfError:
            return None
        with self._lock:
            previous = self._texts.pop(sha256, None)
            if previous is not None:
                self._chars -= _size(previous)
            self._texts[sha256] = found
            self._chars += _size(found)
            while self._chars > self._max_chars and len(self._texts) > 1:
                self._chars -= _size(self._texts.popitem(last=False)[1])
        return found

    @classmethod
    def shared(cls, store: PdfStore) -> SourceFacts:
        """The process's one ``SourceFacts`` for the store at ``store.root``."""
        root = store.root.resolve()
        with _SHARED_LOCK:
            facts = _SHARED.get(root)
            if facts is None:
                facts = _SHARED[root] = cls(store)
            return facts

    def quote_holds(self, sha256: str, start: int | None, end: int | None, exact: str) -> bool:
        """``quote_at`` in the file with this hash; cached by hash (its content never changes:
        an altered file fails ``hash_check`` and is not read)."""
        key = (sha256, start, end, exact)
        cached = self._quotes.get(key)
        if cached is None:
            text = self.text(sha256)
            cached = text is not None and quote_at(text.text or "", start, end, exact)
            with self._lock:
                if len(self._quotes) >= QUOTE_CACHE_ENTRIES:
                    self._quotes.clear()  # a day's spans are far fewer; this only bounds it
                self._quotes[key] = cached
        return cached


QUOTE_CACHE_ENTRIES = 200_000
_SHARED: dict[Path, SourceFacts] = {}
_SHARED_LOCK = threading.Lock()


def _size(text: SourceText) -> int:
    return len(text.first_page_text) + len(text.text or "")


def quote_at(text: str, start: int | None, end: int | None, exact: str) -> bool:
    """Whether ``text[start:end]`` is the quote, compared as quotes are matched."""
    if start is None or end is None or not 0 <= start < end <= len(text):
        return False
    found = text[start:end]
    # the stored quote is the text layer's own characters: equal unless the file changed
    return found == exact or normalize_query(found) == normalize_query(exact)


def _hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
