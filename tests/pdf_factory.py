"""Test PDFs made with PyMuPDF: papers, line-exact pages, many pages, broken and locked files.

Every function writes atomically (temporary file + ``os.replace``) and returns the path.
Fonts are PyMuPDF's built-in Base-14 fonts (``helv`` Helvetica, ``tiro`` Times, ``cour``
Courier), which have the ﬁ/ﬂ/ﬀ/ﬃ/ﬄ ligatures, curly quotes and dashes.
"""

from __future__ import annotations

import html
import os
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import pymupdf

PageSize = Literal["a4", "letter"]
FontName = Literal["helv", "tiro", "cour"]

# MuPDF maps these CSS names to its built-in Nimbus Sans, Nimbus Roman and Nimbus Mono
_CSS_FAMILY = {"helv": "Helvetica", "tiro": "Times", "cour": "monospace"}

LEFT = 72.0
TOP = 72.0
LEADING = 1.5
"""Line distance in multiples of the font size for ``make_lines_pdf``."""


def make_paper(
    path: Path,
    paragraphs: Sequence[str],
    *,
    page_size: PageSize = "a4",
    fontname: FontName = "helv",
    fontsize: float = 11.0,
    margin: float = 72.0,
) -> Path:
    """Paragraphs flowed over as many pages as they need (``pymupdf.Story`` breaks lines)."""
    body = "".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in paragraphs)
    css = (
        f"* {{font-family: {_CSS_FAMILY[fontname]}; font-size: {fontsize}pt;}}"
        f" p {{margin: 0 0 {fontsize * 0.8}pt 0;}}"
    )
    story = pymupdf.Story(html=body, user_css=css)
    mediabox = pymupdf.paper_rect(page_size)
    where = pymupdf.Rect(
        mediabox.x0 + margin, mediabox.y0 + margin, mediabox.x1 - margin, mediabox.y1 - margin
    )
    temp = _temp_for(path)
    writer = pymupdf.DocumentWriter(str(temp))
    more = True
    while more:
        device = writer.begin_page(mediabox)
        more, _ = story.place(where)
        story.draw(device)
        writer.end_page()
    writer.close()
    os.replace(temp, path)
    return path


def make_lines_pdf(
    path: Path,
    pages: Sequence[Sequence[str]],
    *,
    page_size: PageSize = "a4",
    fontname: FontName = "helv",
    fontsize: float = 11.0,
) -> Path:
    """Each page gets exactly the given lines, left-aligned at ``LEFT``, from ``TOP`` down.

    Line ``i`` has its baseline at ``line_baseline(i, fontsize)``, so tests know where every
    word is without asking the code under test.
    """
    document = pymupdf.open()
    font = pymupdf.Font(fontname)
    for lines in pages:
        page = document.new_page(
            width=pymupdf.paper_rect(page_size).width, height=pymupdf.paper_rect(page_size).height
        )
        writer = pymupdf.TextWriter(page.rect)
        for index, line in enumerate(lines):
            writer.append(
                (LEFT, line_baseline(index, fontsize)), line, font=font, fontsize=fontsize
            )
        writer.write_text(page)
    return _save(document, path)


def line_baseline(index: int, fontsize: float = 11.0) -> float:
    return TOP + index * LEADING * fontsize


def line_middle(index: int, fontsize: float = 11.0) -> float:
    """A y coordinate inside line ``index``'s glyphs (a third of the size above the baseline)."""
    return line_baseline(index, fontsize) - fontsize / 3


def word_centre_x(
    line: str, word_index: int, fontname: FontName = "helv", fontsize: float = 11.0
) -> float:
    """Where the middle of word ``word_index`` of ``line`` lands in ``make_lines_pdf``."""
    font = pymupdf.Font(fontname)
    words = line.split(" ")
    before = " ".join(words[:word_index]) + (" " if word_index else "")
    start = LEFT + font.text_length(before, fontsize=fontsize)
    return start + font.text_length(words[word_index], fontsize=fontsize) / 2


def make_numbered_pages(
    path: Path, page_count: int, *, lines_per_page: int = 45, seed: int = 1
) -> Path:
    """``page_count`` pages of ``lines_per_page`` lines of repeatable pseudo-text each.

    Line 0 of every page reads ``Page N of M`` (1-based N), so tests can check page order.
    """
    rng = random.Random(seed)
    pages = [
        [f"Page {number} of {page_count}"] + [_sentence(rng) for _ in range(lines_per_page - 1)]
        for number in range(1, page_count + 1)
    ]
    return make_lines_pdf(path, pages, fontsize=10)


def make_encrypted_pdf(path: Path, *, user_password: str = "secret") -> Path:
    """A one-page PDF that needs ``user_password`` to open (AES-256)."""
    document = pymupdf.open()
    document.new_page().insert_text((LEFT, TOP), "Locked text", fontname="helv")
    return _save(
        document,
        path,
        encryption=pymupdf.PDF_ENCRYPT_AES_256,
        user_pw=user_password,
        owner_pw=user_password + "-owner",
    )


def make_corrupt_pdf(path: Path, *, keep_fraction: float = 0.2) -> Path:
    """A three-page PDF cut to its first ``keep_fraction`` of bytes (0.2: beyond repair)."""
    document = pymupdf.open()
    for number in range(3):
        document.new_page().insert_text((LEFT, TOP), f"Page {number + 1}", fontname="helv")
    data = document.tobytes()
    return _write_bytes(path, data[: int(len(data) * keep_fraction)])


def make_zero_page_pdf(path: Path) -> Path:
    """A well-formed PDF whose page tree is empty (PyMuPDF refuses to save one)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
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
    return _write_bytes(path, bytes(out))


_VOCABULARY = (
    "evidence synthesis review claim source effect trial cohort sample bias estimate "
    "outcome measure model variance signal treatment control baseline analysis result "
    "method paper figure table protocol dataset error interval significant robust"
)
_WORDS = _VOCABULARY.split()


def filler_paragraph(seed: int, length: int = 600) -> str:
    """About ``length`` characters of repeatable, unrepetitive pseudo-prose.

    Words are random syllable strings, so two filler paragraphs (or a filler paragraph and
    a real one) share little text and fuzzy matching cannot confuse them.
    """
    rng = random.Random(seed)
    sentences: list[str] = []
    while sum(len(sentence) + 1 for sentence in sentences) < length:
        words = ["".join(rng.choices(_SYLLABLES, k=rng.randint(1, 3))) for _ in range(10)]
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in ("a", "e", "i", "o", "u", "ar", "en")]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(8, 12))]
    return " ".join(words).capitalize() + "."


def _temp_for(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _save(document: pymupdf.Document, path: Path, **options: object) -> Path:
    temp = _temp_for(path)
    document.save(temp, **options)
    document.close()
    os.replace(temp, path)
    return path


def _write_bytes(path: Path, data: bytes) -> Path:
    temp = _temp_for(path)
    temp.write_bytes(data)
    os.replace(temp, path)
    return path
