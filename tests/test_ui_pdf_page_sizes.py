"""Page sizes read for the PDF pane (from the document it opened, closed again at once to free
what MuPDF parsed) are the pages' rectangles: rotation, CropBox and mixed sizes included; a
file gone since it was opened is still sized, and its text is simply not there."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pymupdf
import pytest

from reviewer_app.pdf.document import open_pdf
from reviewer_app.pdf.errors import PdfUnreadable
from reviewer_app.pdf.memory import release_free_memory
from reviewer_app.ui.pdf_render import OpenDocument


def mixed_pages(path: Path) -> Path:
    document = pymupdf.open()
    for width, height in ((612, 792), (300, 500), (842, 595)):
        document.new_page(width=width, height=height)
    document[1].set_rotation(90)
    document[2].set_cropbox(pymupdf.Rect(10, 20, 400, 300))
    document.save(path)
    document.close()
    return path


def test_sizes_match_the_page_rectangles(tmp_path: Path) -> None:
    document = open_pdf(mixed_pages(tmp_path / "mixed.pdf"))
    rects = [document.page_rect(i) for i in range(3)]
    opened = OpenDocument(document)
    sizes = [(opened.page_size(i).width(), opened.page_size(i).height()) for i in range(3)]
    assert sizes == [(612.0, 792.0), (500.0, 300.0), (390.0, 280.0)]
    assert sizes == [(x1 - x0, y1 - y0) for x0, y0, x1, y1 in rects]
    # The GUI thread holds no document open: the render worker has the only copy (an open
    # copy of the R manual holds ~36 MB).
    assert document.raw.is_closed
    assert opened.text_layer().page_count == 3  # read from the file when asked, not kept
    opened.close()


def test_a_file_gone_since_it_was_opened_is_sized_from_the_open_document(tmp_path: Path) -> None:
    path = mixed_pages(tmp_path / "mixed.pdf")
    document = open_pdf(path)
    path.unlink()
    opened = OpenDocument(document)
    assert opened.page_count == 3
    assert (opened.page_size(1).width(), opened.page_size(1).height()) == (500.0, 300.0)
    with pytest.raises(PdfUnreadable, match=r"mixed\.pdf"):
        opened.text_layer()


def test_releasing_free_memory_is_safe_to_call_at_any_time() -> None:
    release_free_memory()
    release_free_memory()
