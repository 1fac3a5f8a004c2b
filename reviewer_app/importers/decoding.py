"""Bytes to lines: decides whether a file is text at all, before any format is looked at."""

from __future__ import annotations

import re

from reviewer_app.importers.values import MalformedExport

MAX_EXPORT_BYTES = 10 * 1024 * 1024
"""Text exports are a few kilobytes; anything this large is not one and would only eat memory."""

_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"
# C0 control characters other than tab, line feed, carriage return and form feed never occur in
# text exports; finding one means the bytes are something else that happens to decode.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n|\f")


def decode_export(data: bytes) -> str:
    """The text of an export: UTF-8 with or without BOM, line breaks normalised to ``\\n``."""
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
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if error.end == len(data) and error.reason == "unexpected end of data":
            raise MalformedExport(
                "file ends in the middle of a character: it was cut off while being saved"
            ) from None
        raise MalformedExport(
            f"binary content, not a text export (byte {error.start} is not UTF-8, "
            "and text exports are UTF-8)"
        ) from None
    if _CONTROL_CHARACTERS.search(text):
        raise MalformedExport("binary content, not a text export")
    text = _LINE_BREAK.sub("\n", text)
    if not text.strip():
        raise MalformedExport("file is empty (it holds only blank lines or spaces)")
    return text


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
