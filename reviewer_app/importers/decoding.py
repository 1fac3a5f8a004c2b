"""Bytes to lines: decides whether a file is text at all, before any format is looked at."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reviewer_app.importers.values import MalformedExport

MAX_EXPORT_BYTES = 10 * 1024 * 1024
"""Text exports are a few kilobytes; anything this large is not one and would only eat memory."""

_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"
# C0 control characters other than tab, line feed, carriage return and form feed are rare in
# text: many of them mean the bytes are something else that happens to decode. A few are kept
# (text copied out of a PDF carries TeX ligature codes, "e\x1bect" for "effect").
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
MAX_CONTROL_CHARACTERS = 16
"""More C0 control characters than this (and more than 1 in 200 characters) is binary."""
# C1 controls (U+0080-U+009F) are left alone: U+0085 (NEL) occurs in real titles, and a
# Latin-1 fallback maps bytes 0x80-0x9F there; the line-oriented CLI output escapes them.
_LINE_BREAK = re.compile(r"\r\n|\r|\n|\f")


@dataclass(frozen=True)
class DecodedExport:
    text: str
    note: str | None = None
    """Set when the bytes were not UTF-8 and a fallback encoding was used: a warning."""


def decode_export(data: bytes) -> str:
    """The text of an export (see :func:`decode_with_note`)."""
    return decode_with_note(data).text


def decode_with_note(data: bytes) -> DecodedExport:
    """UTF-8 with or without BOM; else Windows-1252, else Latin-1, saying so in ``note``.

    Line breaks are normalised to ``\\n``. Text saved by a Windows editor or an older export
    tool is Windows-1252 (a superset of Latin-1 in the printable range): refusing it as
    "binary" would be wrong, and reading it is safe because every byte maps to a character.
    """
    if not data:
        raise MalformedExport("file is empty")
    refuse_oversized(len(data))
    if data.lstrip().startswith(_PDF_MAGIC):
        raise MalformedExport(
            "this is a PDF document, not a synthesis text export "
            "(attach PDFs to a record as sources instead)"
        )
    if data.startswith(_ZIP_MAGIC):
        raise MalformedExport(
            "this is a ZIP archive (perhaps a Word or bundle file), not a synthesis text export"
        )
    if b"\x00" in data:
        raise MalformedExport("binary content, not a text export")
    note = None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if error.end == len(data) and error.reason == "unexpected end of data":
            raise MalformedExport(
                "file ends in the middle of a character: it was cut off while being saved"
            ) from None
        text, encoding = _legacy_decode(data)
        note = (
            f"the file is not UTF-8 (byte {error.start} is not valid UTF-8); "
            f"it was read as {encoding}: check accented letters and symbols"
        )
    controls = len(_CONTROL_CHARACTERS.findall(text))
    if controls > MAX_CONTROL_CHARACTERS or controls * 200 > len(text):
        raise MalformedExport("binary content, not a text export")
    if controls:
        found = ", ".join(sorted({f"U+{ord(c):04X}" for c in _CONTROL_CHARACTERS.findall(text)}))
        note = "; ".join(
            part
            for part in (
                note,
                f"the file holds {controls} control character{'s' if controls > 1 else ''} "
                f"({found}), kept as they are",
            )
            if part
        )
    text = _LINE_BREAK.sub("\n", text)
    if not text.strip():
        raise MalformedExport("file is empty (it holds only blank lines or spaces)")
    return DecodedExport(text, note)


def _legacy_decode(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:  # one of the five bytes Windows-1252 leaves undefined
        return data.decode("latin-1"), "Latin-1"


def refuse_oversized(size: int) -> None:
    if size > MAX_EXPORT_BYTES:
        raise MalformedExport(
            f"file is too large for a synthesis text export ({size / (1024 * 1024):.0f} MB; "
            f"the limit is {MAX_EXPORT_BYTES // (1024 * 1024)} MB)"
        )


def text_lines(text: str) -> list[str]:
    """Lines without trailing spaces; a BOM or stray CR left in ``text`` is dropped too."""
    text = _LINE_BREAK.sub("\n", text.removeprefix("\ufeff"))
    return [line.rstrip() for line in text.split("\n")]
