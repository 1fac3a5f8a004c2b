"""Building a PDF's passage index: a plain function, run off the GUI thread or by the CLI.

Stage one (lexical) reads the text layer a page at a time, cuts it into passages and stores
them with their full-text index and a cheap static vector, in one transaction: an index is
either whole or absent. The same pass packs the text layer itself (words, boxes, comparison
forms; ``pdf/packed_layer.py``), which find-in-document and quote search then read instead of
the PDF. Stage two (``compute_dense_vectors``) adds the sentence model's
vectors in small transactions and may be interrupted and resumed. Both are keyed by the
file's SHA-256, so a file attached again, or to another record, reuses its index.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

import numpy as np
import pymupdf

from reviewer_app.embeddings import MODEL_NAME, ModelUnavailable, load_minilm
from reviewer_app.embeddings.static import StaticEmbedder, load_static
from reviewer_app.pdf import PdfStore
from reviewer_app.pdf.packed_layer import TextLayerPacker
from reviewer_app.pdf.passages import Passage, page_passages
from reviewer_app.pdf.text_layer import MUPDF_ERRORS, RawWord
from reviewer_app.storage import passage_repository as passages_repo
from reviewer_app.storage import text_layer_repository as text_layer_repo
from reviewer_app.storage.database import Database

INDEX_VERSION = 1
"""Bumped when passages are cut differently: older indexes are then rebuilt."""
IndexProgress = Callable[[str, int, int], None]
"""``(stage, done, total)``: stage ``pages`` or ``vectors``."""
_FLUSH_PASSAGES = 2_000
_DENSE_BATCH = 32
_Item = TypeVar("_Item")

log = logging.getLogger(__name__)


def needs_index(database: Database, sha256: str) -> bool:
    with database.reading() as session:
        found = passages_repo.layer(session, sha256)
        if found is None or found.index_version != INDEX_VERSION:
            return True
        return not text_layer_repo.has_text_layer(session, sha256)


def build_lexical_index(
    database: Database, store: PdfStore, sha256: str, progress: IndexProgress | None = None
) -> int:
    """Index the stored PDF ``sha256`` unless it is indexed already; returns its passages.

    An index built before the text layer was stored keeps its passages (and their vectors,
    which took minutes): only the packed text layer is added."""
    with database.reading() as session:
        found = passages_repo.layer(session, sha256)
        current = found is not None and found.index_version == INDEX_VERSION
        if current and text_layer_repo.has_text_layer(session, sha256):
            return found.passage_count  # type: ignore[union-attr]
    if current:
        add_text_layer(database, store, sha256, progress)
        return found.passage_count  # type: ignore[union-attr]
    static = _static_or_none()
    packer = TextLayerPacker()
    with store.open(sha256) as document, database.transaction() as session:
        page_count = document.page_count
        passages_repo.start_layer(session, sha256, page_count, INDEX_VERSION)
        pending: list[Passage] = []
        total = 0
        for page, offset, text in packer.pages(_page_words(document.raw, progress, packer)):
            pending.extend(page_passages(page, offset, text, first_ordinal=total + len(pending)))
            if len(pending) >= _FLUSH_PASSAGES:
                passages_repo.add_passages(session, sha256, _rows(pending, static))
                total += len(pending)
                pending = []
        passages_repo.add_passages(session, sha256, _rows(pending, static))
        total += len(pending)
        passages_repo.finish_layer(session, sha256, total)
        text_layer_repo.set_text_layer(session, sha256, packer.pack())
    return total


def add_text_layer(
    database: Database, store: PdfStore, sha256: str, progress: IndexProgress | None = None
) -> None:
    """Pack and store the text layer of an indexed PDF that has none yet."""
    packer = TextLayerPacker()
    with store.open(sha256) as document:
        for _ in packer.pages(_page_words(document.raw, progress, packer)):
            pass
    packed = packer.pack()
    with database.transaction() as session:
        text_layer_repo.set_text_layer(session, sha256, packed)


def compute_dense_vectors(
    database: Database,
    sha256: str,
    progress: IndexProgress | None = None,
    *,
    cancelled: Callable[[], bool] = lambda: False,
    pause: Callable[[], None] | None = None,
) -> bool:
    """Add the sentence model's vector to every passage lacking one; False if cancelled.
    ``pause`` runs between two batches (a background pass yields to the window there)."""
    model = load_minilm()
    with database.reading() as session:
        todo = passages_repo.passage_texts(session, sha256, missing_vectors_only=True)
        indexed = passages_repo.layer(session, sha256)
        total = indexed.passage_count if indexed is not None else len(todo)
    done = total - len(todo)
    for number, batch in enumerate(_chunks(todo, _DENSE_BATCH * 4)):
        if number and pause is not None:
            pause()
        if cancelled():
            return False
        vectors = model.encode([text for _, text in batch], batch_size=_DENSE_BATCH)
        with database.transaction() as session:
            rows = [(i, _f16(v)) for (i, _), v in zip(batch, vectors, strict=True)]
            passages_repo.set_dense(session, rows)
        done += len(batch)
        if progress is not None:
            progress("vectors", done, total)
    with database.transaction() as session:
        passages_repo.finish_vectors(session, sha256, MODEL_NAME)
    return True


def _page_words(
    document: pymupdf.Document, progress: IndexProgress | None, packer: TextLayerPacker
) -> Iterator[list[RawWord]]:
    count = document.page_count
    for number in range(count):
        try:
            # loaded inside the try, as build_document_text does: a page the page tree
            # cannot reach fails here
            words = document.load_page(number).get_text("words")
        except MUPDF_ERRORS:
            words = []  # a damaged page counts as empty, as in the text layer
            packer.mark_failed(number)
        yield words
        if progress is not None:
            progress("pages", number + 1, count)


def _rows(passages: Sequence[Passage], static: StaticEmbedder | None) -> list[dict[str, object]]:
    vectors = static.encode([p.text for p in passages]) if static is not None and passages else None
    return [
        {
            "ordinal": p.ordinal,
            "page": p.page,
            "start": p.start,
            "end": p.end,
            "text": p.text,
            "vector": None if vectors is None else _f16(vectors[i]),
        }
        for i, p in enumerate(passages)
    ]


def _static_or_none() -> StaticEmbedder | None:
    try:
        return load_static()
    except ModelUnavailable as exc:
        log.warning("no static vectors: %s", exc)
        return None


def _f16(vector: np.ndarray) -> bytes:
    return vector.astype(np.float16).tobytes()


def _chunks(items: Sequence[_Item], size: int) -> Iterator[Sequence[_Item]]:
    for offset in range(0, len(items), size):
        yield items[offset : offset + size]
