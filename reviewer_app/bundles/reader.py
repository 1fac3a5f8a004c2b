"""Open a review bundle: a safe read of the zip, then a strict parse of its envelope.

``open_bundle`` refuses damaged, unsupported and hostile bundles with ``BundleError``. It does
not compare hashes or signatures; ``verify_bundle`` does, and says exactly which file is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reviewer_app.bundles.format import (
    ENVELOPE_NAMES,
    MANIFEST_NAME,
    SIGNATURE_NAME,
    SIGNER_NAME,
    BundleError,
    collision_key,
    format_version_problem,
    manifest_schema_problem,
    member_path_problem,
    parse_json,
)
from reviewer_app.bundles.safe_zip import BundleLimits, read_zip_members
from reviewer_app.bundles.signing import SignerInfo, decode_signature


@dataclass(frozen=True)
class BundleContents:
    """What a bundle holds. ``members`` are the payload files (not the envelope)."""

    path: Path
    manifest: dict[str, Any]
    manifest_bytes: bytes
    members: Mapping[str, bytes]
    signer: SignerInfo | None = None
    signature: bytes | None = field(default=None, repr=False)

    def json_member(self, name: str) -> Any:
        """A payload member parsed as strict JSON; ``BundleError`` names it when it is not."""
        if name not in self.members:
            raise BundleError(self.path, f"the bundle has no {name!r}")
        try:
            return parse_json(self.members[name])
        except ValueError as exc:
            raise BundleError(self.path, f"{name} is not valid JSON ({exc})") from exc


def open_bundle(path: Path | str, limits: BundleLimits | None = None) -> BundleContents:
    """Read and parse the bundle at ``path``. Raises ``BundleError`` naming what is wrong."""
    path = Path(path)
    entries = read_zip_members(path, limits or BundleLimits())
    if MANIFEST_NAME not in entries:
        raise BundleError(path, f"not a review bundle: {MANIFEST_NAME} is missing")
    manifest_bytes = entries[MANIFEST_NAME]
    manifest = _parse_manifest(path, manifest_bytes)
    signature = entries.get(SIGNATURE_NAME)
    signer = entries.get(SIGNER_NAME)
    return BundleContents(
        path=path,
        manifest=manifest,
        manifest_bytes=manifest_bytes,
        members={name: data for name, data in entries.items() if name not in ENVELOPE_NAMES},
        signer=None if signer is None else _parse_signer(path, signer),
        signature=None if signature is None else _parse_signature(path, signature),
    )


def _parse_manifest(path: Path, data: bytes) -> dict[str, Any]:
    try:
        manifest = parse_json(data)
    except ValueError as exc:
        raise BundleError(path, f"{MANIFEST_NAME} is not valid JSON ({exc})") from exc
    problem = format_version_problem(manifest)
    if problem:
        raise BundleError(path, problem)
    problem = manifest_schema_problem(manifest)
    if problem:
        raise BundleError(path, f"{MANIFEST_NAME}: {problem}")
    checked: dict[str, Any] = manifest  # an object, as the schema just checked
    seen: set[str] = set()
    for entry in manifest["files"]:
        name = entry["path"]
        problem = member_path_problem(name)
        if problem is None and name in ENVELOPE_NAMES:
            problem = "is a reserved name and cannot be listed"
        if problem is None and collision_key(name) in seen:
            problem = "is listed twice"
        if problem:
            raise BundleError(path, f"{MANIFEST_NAME}: file {name!r} {problem}")
        seen.add(collision_key(name))
    return checked


def _parse_signer(path: Path, data: bytes) -> SignerInfo:
    try:
        return SignerInfo.from_json(parse_json(data))
    except ValueError as exc:
        raise BundleError(path, f"{SIGNER_NAME} is malformed ({exc})") from exc


def _parse_signature(path: Path, data: bytes) -> bytes:
    try:
        return decode_signature(data)
    except ValueError as exc:
        raise BundleError(path, f"{SIGNATURE_NAME} is malformed ({exc})") from exc
