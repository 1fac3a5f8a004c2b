"""Importers: synthesis text exports (reports, public record pages, paper pages) to records.

``read_synthesis(path)`` is the entry point. The format is decided from the content, never the
file name; anything that is not a complete export of a known format raises
:class:`reviewer_app.errors.ImportRefused` naming the file and what is wrong.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from reviewer_app.domain.records import RecordKind, SynthesisRecord
from reviewer_app.errors import ImportRefused
from reviewer_app.importers.decoding import decode_with_note, refuse_oversized, text_lines
from reviewer_app.importers.detection import detect_format
from reviewer_app.importers.paper import parse_paper_page
from reviewer_app.importers.record_page import parse_record_page
from reviewer_app.importers.report import parse_report
from reviewer_app.importers.values import MalformedExport

__all__ = ["detect_format", "import_warnings", "parse_synthesis", "read_synthesis"]

_PARSERS: dict[RecordKind, Callable[[list[str], str], SynthesisRecord]] = {
    RecordKind.REPORT: parse_report,
    RecordKind.RECORD: parse_record_page,
    RecordKind.PAPER: parse_paper_page,
}


def read_synthesis(path: Path) -> SynthesisRecord:
    """The record in the text export at ``path``; ``source_sha256`` is the hash of its bytes."""
    path = Path(path)
    try:
        # Checked before reading so that a huge file is never loaded only to be refused.
        refuse_oversized(path.stat().st_size)
        data = path.read_bytes()
    except MalformedExport as error:
        raise ImportRefused(path, error.reason) from None
    except FileNotFoundError:
        raise ImportRefused(path, "file does not exist") from None
    except IsADirectoryError:
        raise ImportRefused(path, "this is a folder, not a synthesis text export") from None
    except PermissionError:
        raise ImportRefused(path, "permission denied: the file cannot be read") from None
    except OSError as error:
        raise ImportRefused(path, f"the file cannot be read ({error.strerror})") from None
    return parse_synthesis(data, source=path)


def parse_synthesis(data: bytes, *, source: Path) -> SynthesisRecord:
    """The record in ``data``, the bytes of a text export; ``source`` names it in errors."""
    try:
        decoded = decode_with_note(data)
        text = decoded.text
        kind = detect_format(text)
        if kind is None:
            raise MalformedExport(
                "not a recognised synthesis format: expected a report, "
                "a public record page or a paper page"
            )
        record = _PARSERS[kind](text_lines(text), hashlib.sha256(data).hexdigest())
        return replace(record, decoding_note=decoded.note) if decoded.note else record
    except MalformedExport as error:
        raise ImportRefused(source, error.reason) from None


def import_warnings(record: SynthesisRecord) -> list[str]:
    """What a reviewer must hear about an import that succeeded: encoding, kept content."""
    warnings = [record.decoding_note] if record.decoding_note else []
    for item in record.unrecognised:
        what = item.note or "unrecognised line kept"
        warnings.append(f"{item.section}: {what}: {item.text[:200]!r}")
    return warnings
