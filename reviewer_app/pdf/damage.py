"""Telling a damaged or cut-off PDF from an empty one, in words a person can act on."""

from __future__ import annotations

import re
from pathlib import Path

_TAIL = 2048
"""``%%EOF`` closes a complete PDF; writers may add a little whitespace or junk after it."""
_MUPDF_CODE = re.compile(r"^code=\d+:\s*")


def looks_cut_off(path: Path) -> bool:
    """True when the file does not end in ``%%EOF``: typically an incomplete download."""
    try:
        with path.open("rb") as file:
            file.seek(0, 2)
            size = file.tell()
            file.seek(max(size - _TAIL, 0))
            return b"%%EOF" not in file.read()
    except OSError:
        return False


def no_pages_reason(path: Path, repaired: bool) -> str:
    """Why a PDF shows no page: an empty page tree, or damage (truncation) that lost them."""
    if looks_cut_off(path):
        return (
            "PDF is cut off (it does not end with %%EOF, e.g. an incomplete download) "
            "and no page could be recovered; download it again"
        )
    if repaired:
        return "PDF is damaged and no page could be recovered"
    return "PDF has no pages"


def repair_warning(path: Path, name: str) -> str:
    """What to tell someone attaching ``path`` (shown as ``name``) that MuPDF had to repair."""
    if looks_cut_off(path):
        return (
            f"{name}: the PDF is cut off (no %%EOF at its end, e.g. an incomplete "
            "download) and was repaired; pages may be missing or blank. Download it again "
            "if you can."
        )
    return f"{name}: the PDF was damaged and has been repaired; some pages may be blank"


def mupdf_reason(exc: BaseException) -> str:
    """MuPDF's message without its ``code=N:`` prefix."""
    return _MUPDF_CODE.sub("", str(exc).strip()) or type(exc).__name__
