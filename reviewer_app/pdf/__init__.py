"""Qt-free PDF core: opening, a content-addressed store, the text layer, quote search and
re-anchoring of evidence spans across versions of a PDF.

PyMuPDF documents (``PdfDocument``) stay on the thread that opened them; everything else
here (``DocumentText``, spans, selectors) is plain data, safe to pass between threads.
"""

from reviewer_app.pdf.anchoring import (
    MIN_SIMILARITY,
    Anchoring,
    AnchorStatus,
    ReanchorReport,
    reanchor,
    reanchor_all,
)
from reviewer_app.pdf.document import PdfDocument, WrongThread, open_pdf
from reviewer_app.pdf.errors import PdfError, PdfUnreadable, StoredPdfAltered, StoredPdfMissing
from reviewer_app.pdf.normalize import NormalizedText, normalize, normalize_query
from reviewer_app.pdf.search import find_all, find_offsets, find_quote
from reviewer_app.pdf.selection import nearest_word, words_between, words_in_rect
from reviewer_app.pdf.selectors import (
    CONTEXT_CHARS,
    SpanSelectors,
    TextPositionSelector,
    TextQuoteSelector,
    make_selectors,
)
from reviewer_app.pdf.spans import PageAnchor, Point, Quad, Rect, TextSpan
from reviewer_app.pdf.store import PdfStore, StoredPdf
from reviewer_app.pdf.text_layer import (
    DocumentText,
    WordBox,
    build_document_text,
    document_text_from_pages,
)

__all__ = [
    "CONTEXT_CHARS",
    "MIN_SIMILARITY",
    "AnchorStatus",
    "Anchoring",
    "DocumentText",
    "NormalizedText",
    "PageAnchor",
    "PdfDocument",
    "PdfError",
    "PdfStore",
    "PdfUnreadable",
    "Point",
    "Quad",
    "ReanchorReport",
    "Rect",
    "SpanSelectors",
    "StoredPdf",
    "StoredPdfAltered",
    "StoredPdfMissing",
    "TextPositionSelector",
    "TextQuoteSelector",
    "TextSpan",
    "WordBox",
    "WrongThread",
    "build_document_text",
    "document_text_from_pages",
    "find_all",
    "find_offsets",
    "find_quote",
    "make_selectors",
    "nearest_word",
    "normalize",
    "normalize_query",
    "open_pdf",
    "reanchor",
    "reanchor_all",
    "words_between",
    "words_in_rect",
]
