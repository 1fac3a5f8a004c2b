"""PDFs that crashed the app (issue 16), written byte by byte or with PyMuPDF.

Every function writes atomically (temporary file + ``os.replace``) and returns the path.
"""

from __future__ import annotations

import os
from pathlib import Path

import pymupdf

HUGE_SIDE = 200_000.0
"""PDF points; MuPDF refuses to render this at 100 % ("Overly large image")."""


def _write(path: Path, data: bytes) -> Path:
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_bytes(data)
    os.replace(temp, path)
    return path


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def make_page_tree_cycle_pdf(path: Path, *, first_page_readable: bool = False) -> Path:
    """A page tree whose Pages node lists itself among its kids.

    With ``first_page_readable``, a real page (naming arXiv 2401.00001) comes before the
    cycle, so the file opens and only its second page fails.
    """
    text = b"BT /F1 12 Tf 72 720 Td (arXiv:2401.00001 A paper) Tj ET"
    kids = b"[3 0 R 2 0 R]" if first_page_readable else b"[2 0 R]"
    count = 2 if first_page_readable else 1
    return _write(
        path,
        _pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids %s /Count %d >>" % (kids, count),
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
                b" /Resources << /Font << /F1 5 0 R >> >> >>",
                b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
                b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            ]
        ),
    )


def make_huge_mediabox_pdf(path: Path, side: float = HUGE_SIDE) -> Path:
    """One ordinary Letter page, then a ``side`` × ``side`` pt page with a line of text."""
    document = pymupdf.open()
    document.new_page(width=612, height=792).insert_text((72, 72), "An ordinary page")
    document.new_page(width=side, height=side).insert_text(
        (side / 4, side / 4), "A huge page", fontsize=side / 20
    )
    temp = path.with_name(f".{path.name}.tmp")
    document.save(temp)
    document.close()
    os.replace(temp, path)
    return path


def make_cut_off_pdf(path: Path, whole: Path, keep_fraction: float) -> Path:
    """The first ``keep_fraction`` of ``whole``'s bytes: a download that stopped early."""
    data = whole.read_bytes()
    return _write(path, data[: int(len(data) * keep_fraction)])


def make_object_stream_pdf(path: Path, source: Path) -> Path:
    """``source`` saved with its objects (page objects too) packed in compressed streams.

    Cut short, such a file loses every page object: MuPDF repairs it into zero pages.
    """
    document = pymupdf.open(source)
    temp = path.with_name(f".{path.name}.tmp")
    document.save(temp, use_objstms=1, garbage=3, deflate=True)
    document.close()
    os.replace(temp, path)
    return path
