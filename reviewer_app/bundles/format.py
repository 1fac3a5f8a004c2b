"""The review bundle container format: names, rules for member paths, canonical JSON, manifest.

A bundle is a zip. ``manifest.json`` lists every payload member with its SHA-256 and size;
``manifest.sig`` and ``signer.json`` (present together, or not at all) sign the manifest's exact
bytes. These three are the *envelope*; everything else is payload and must be in the manifest.
"""

from __future__ import annotations

import functools
import json
import math
import re
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema

from reviewer_app.config import schema_path
from reviewer_app.errors import ReviewerAppError

BUNDLE_FORMAT_VERSION = 2
"""2 added per-author work signatures (``attestations/``); 1 is still read (its rows by
reviewers other than the signer are vouched for by nobody, and are refused as such)."""
READABLE_FORMAT_VERSIONS = frozenset({1, 2})
MAX_JSON_DEPTH = 32
"""No member of a bundle nests deeper than about 10; deeper JSON is refused before parsing,
so no parser or validator recursion can be driven into a RecursionError."""
BUNDLE_SUFFIX = ".zip"
MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.sig"
SIGNER_NAME = "signer.json"
ENVELOPE_NAMES = frozenset({MANIFEST_NAME, SIGNATURE_NAME, SIGNER_NAME})
MANIFEST_SCHEMA = "bundle-manifest.schema.json"
MAX_MEMBER_PATH_LENGTH = 512

_DRIVE_LETTER = re.compile(r"^[A-Za-z]:")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(r"[\[\]{}]")
_TIME_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class BundleError(ReviewerAppError):
    """A bundle could not be written, or was refused as damaged, unsupported or hostile."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


def member_path_problem(name: str) -> str | None:
    """Why ``name`` is not an acceptable member path, or None when it is.

    Member paths are relative POSIX paths that stay inside the bundle wherever it is unpacked,
    on any operating system: no ``..``, no absolute paths, backslashes, drive letters or colons.
    """
    if not name:
        return "has an empty name"
    if len(name) > MAX_MEMBER_PATH_LENGTH:
        return f"has a name longer than {MAX_MEMBER_PATH_LENGTH} characters"
    if _CONTROL_CHARACTERS.search(name):
        return "has control characters in its name"
    if "\\" in name:
        return "has a backslash in its name (Windows path separator)"
    if name.startswith("/"):
        return "is an absolute path"
    if _DRIVE_LETTER.match(name):
        return "starts with a drive letter"
    if ":" in name:
        return "has a colon in its name"
    parts = name.split("/")
    if ".." in parts:
        return "escapes the bundle (path traversal with '..')"
    if any(part in ("", ".") for part in parts):
        return "has an empty or '.' path segment"
    return None


def collision_key(name: str) -> str:
    """Names that would land on the same file on a case-insensitive file system share a key."""
    return unicodedata.normalize("NFC", name).casefold()


def canonical_json(value: Any) -> bytes:
    """Deterministic UTF-8 JSON: sorted keys, no NaN, two-space indent, trailing newline.

    Equal values always give equal bytes, so re-exporting unchanged content gives equal hashes.
    """
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, allow_nan=False, indent=2)
    return (text + "\n").encode("utf-8")


def parse_json(data: bytes) -> Any:
    """Strict JSON: UTF-8 only, no duplicate keys, no NaN/Infinity (nor a number such as ``1e400``
    that reads as infinity), nesting at most ``MAX_JSON_DEPTH`` deep, and no lone surrogate
    (``"\\ud800"``) in any string or key, since such a string cannot be stored or written as
    UTF-8. Raises ValueError."""
    text = data.decode("utf-8")  # UnicodeDecodeError is a ValueError
    depth_problem = nesting_problem(text)
    if depth_problem:
        raise ValueError(depth_problem)

    def refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                raise ValueError(f"duplicate key {key!r}")
            result[key] = value
        return result

    def refuse_constant(token: str) -> Any:
        raise ValueError(f"{token} is not valid JSON")

    def finite_float(token: str) -> float:
        # "1e400" is valid JSON but reads as infinity, which no row, digest or quad can hold
        number = float(token)
        if not math.isfinite(number):
            shown = token if len(token) <= 40 else f"{token[:40]}... ({len(token)} characters)"
            raise ValueError(f"the number {shown} is too large for a float")
        return number

    value = json.loads(
        text,
        object_pairs_hook=refuse_duplicates,
        parse_constant=refuse_constant,
        parse_float=finite_float,
    )
    if "\\u" in text:  # a lone surrogate can only come from an escape: the text is valid UTF-8
        _refuse_surrogates(value)
    return value


def nesting_problem(text: str, limit: int = MAX_JSON_DEPTH) -> str | None:
    """Why ``text`` nests arrays/objects deeper than ``limit``, or None; counted on the raw text
    (strings blanked out first), without recursion."""
    depth = 0
    for bracket in _JSON_BRACKET.finditer(_JSON_STRING.sub('""', text)):
        if bracket.group() in "[{":
            depth += 1
            if depth > limit:
                return f"nested more than {limit} levels deep"
        else:
            depth -= 1
    return None


def _refuse_surrogates(value: Any) -> None:
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                raise ValueError(f"a string holds a lone surrogate ({_shown(item)})")
        elif isinstance(item, dict):
            for key, child in item.items():
                if _SURROGATE.search(key):
                    raise ValueError(f"a key holds a lone surrogate ({_shown(key)})")
                pending.append(child)
        elif isinstance(item, list):
            pending.extend(item)


def _shown(text: str) -> str:
    return ascii(text[:40])


TIME_FORMAT_CHECKER = jsonschema.FormatChecker(formats=())
"""Checks ``"format": "date-time"``: the schemas' patterns let ``2026-02-30T…`` through."""


@TIME_FORMAT_CHECKER.checks("date-time", raises=(ValueError, OverflowError))
def _is_real_time(value: object) -> bool:
    # text that is not shaped like a time at all is left to the schema's pattern to name
    if isinstance(value, str) and _TIME_SHAPE.match(value):
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))  # 2026-02-30: ValueError
        if moment.tzinfo is not None:
            moment.astimezone(UTC)  # 0001-01-01T00:00:00+01:00 is before year 1: OverflowError
    return True


@functools.cache
def _manifest_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(schema_path(MANIFEST_SCHEMA).read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema, format_checker=TIME_FORMAT_CHECKER)


def manifest_schema_problem(manifest: Any) -> str | None:
    """The most relevant schema violation of ``manifest``, or None when it conforms."""
    error = jsonschema.exceptions.best_match(_manifest_validator().iter_errors(manifest))
    if error is None:
        return None
    where = error.json_path if error.path else "the top level"
    return f"{error.message} (at {where})"


def format_version_problem(manifest: Any) -> str | None:
    """Checked before the schema, so a newer bundle gets "update the app" rather than noise."""
    if not isinstance(manifest, dict):
        return "the manifest is not a JSON object"
    version = manifest.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int):
        return f"the manifest has no valid format_version (found {version!r})"
    if version > BUNDLE_FORMAT_VERSION:
        return (
            f"bundle format {version} is newer than this app supports "
            f"({BUNDLE_FORMAT_VERSION}); update Synthesis Reviewer"
        )
    if version not in READABLE_FORMAT_VERSIONS:
        return f"bundle format {version} is not a format this app knows"
    return None
