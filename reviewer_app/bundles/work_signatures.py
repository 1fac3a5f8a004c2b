"""Per-author work signatures: a reviewer's own signature over the rows of work they authored.

A bundle's signature vouches only for what its signer did. Each reviewer's rows (verdicts,
sheets, spans, adjudications, corrections, attached sources) are also listed, by the SHA-256
of their canonical JSON (``row_digest``), in a *work signature* that the reviewer signed at
export: ``attestations/<sha256>.json`` (the signed document, canonical JSON) beside
``attestations/<sha256>.sig`` (base64 Ed25519 signature). A workspace keeps the work signatures
it imports and forwards them unchanged in its own exports, so a row can travel through other
hands and still be vouched for by its author alone.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from reviewer_app.bundles.format import canonical_json, parse_json
from reviewer_app.bundles.signing import (
    RAW_KEY_BYTES,
    ReviewerKeys,
    decode_signature,
    encode_signature,
    fingerprint,
    verify_signature,
)

WORK_SIGNATURE_TYPE = "synthesis-reviewer/work-signature"
WORK_SIGNATURE_FORMAT = 1
_SIGNING_CONTEXT = b"synthesis-reviewer work signature 1\n"
"""Prefixed to the signed bytes, so a work signature can never pass as a manifest's (or back)."""
_DOCUMENT_KEYS = frozenset({"type", "format", "author", "public_key", "signed", "rows"})
_DIGEST_LENGTH = 64


def row_digest(kind: str, record_id: str, row: dict[str, Any]) -> str:
    """The SHA-256 of one row of work as it appears in a bundle (``kind``: verdict, sheet, ...):
    of ``{"kind", "record", "row"}`` as compact JSON (sorted keys, no spaces, UTF-8)."""
    document = {"kind": kind, "record": record_id, "row": row}
    text = json.dumps(
        document, sort_keys=True, ensure_ascii=False, allow_nan=False, separators=(",", ":")
    )  # compact: the C encoder (an indent falls back to the pure-Python one, 10x slower)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class WorkSignature:
    """A parsed, cryptographically checked work signature (who holds the key is another
    question: the trust store answers it)."""

    author: str
    public_key: bytes
    signed: str
    rows: frozenset[str]
    document: bytes = field(repr=False)
    signature: bytes = field(repr=False)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    @property
    def digest(self) -> str:
        """The SHA-256 of the document: its member name, and its identity when stored."""
        return hashlib.sha256(self.document).hexdigest()

    def signature_text(self) -> bytes:
        return encode_signature(self.signature)


def sign_work(keys: ReviewerKeys, rows: Iterable[str], signed: str) -> WorkSignature:
    """``keys``' reviewer signs the rows (digests) as their own work, at time ``signed``."""
    document = canonical_json(
        {
            "type": WORK_SIGNATURE_TYPE,
            "format": WORK_SIGNATURE_FORMAT,
            "author": keys.reviewer,
            "public_key": base64.b64encode(keys.public_key).decode("ascii"),
            "signed": signed,
            "rows": sorted(set(rows)),
        }
    )
    signature = keys.sign(_SIGNING_CONTEXT + document)
    return parse_work_signature(document, encode_signature(signature))


def parse_work_signature(document: bytes, signature_text: bytes) -> WorkSignature:
    """Parse and check a work signature; raises ValueError saying what is wrong."""
    data = parse_json(document)
    if not isinstance(data, dict) or set(data) != _DOCUMENT_KEYS:
        raise ValueError(f"expected an object with exactly {', '.join(sorted(_DOCUMENT_KEYS))}")
    if data["type"] != WORK_SIGNATURE_TYPE or data["format"] != WORK_SIGNATURE_FORMAT:
        raise ValueError(f"not a {WORK_SIGNATURE_TYPE} of format {WORK_SIGNATURE_FORMAT}")
    author, key_text, signed, rows = (
        data["author"],
        data["public_key"],
        data["signed"],
        data["rows"],
    )
    if not isinstance(author, str) or not author.strip() or len(author) > 200:
        raise ValueError("author must be a reviewer name")
    if not isinstance(signed, str) or len(signed) > 40:
        raise ValueError("signed must be a time")
    if not isinstance(rows, list) or not all(
        isinstance(r, str) and len(r) == _DIGEST_LENGTH and r.isalnum() for r in rows
    ):
        raise ValueError("rows must be a list of SHA-256 digests")
    try:
        public_key = base64.b64decode(str(key_text).encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as exc:
        raise ValueError("public_key is not valid base64") from exc
    if len(public_key) != RAW_KEY_BYTES:
        raise ValueError(f"public_key must be {RAW_KEY_BYTES} bytes")
    if canonical_json(data) != document:
        raise ValueError("the document is not in canonical form")
    signature = decode_signature(signature_text)
    if not verify_signature(public_key, signature, _SIGNING_CONTEXT + document):
        raise ValueError(f"the signature is not {author}'s signature of this document")
    return WorkSignature(author, public_key, signed, frozenset(rows), document, signature)
