"""Write a review bundle: payload members, their manifest and (optionally) its signature.

The zip is written to a temporary file beside the target and moved into place with
``os.replace``, so a crash or a full disk never leaves a half-written bundle under the real name.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import zipfile
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reviewer_app.bundles.format import (
    BUNDLE_FORMAT_VERSION,
    ENVELOPE_NAMES,
    MANIFEST_NAME,
    SIGNATURE_NAME,
    SIGNER_NAME,
    BundleError,
    canonical_json,
    collision_key,
    manifest_schema_problem,
    member_path_problem,
)
from reviewer_app.bundles.signing import ReviewerKeys, encode_signature

Progress = Callable[[int, int], None]
"""Called with (payload bytes written so far, payload bytes in total)."""

_FILE_MODE = 0o100644  # a regular file, rw-r--r--, in the high 16 bits of external_attr


def build_manifest(
    members: Mapping[str, bytes], *, app_version: str, reviewer: str, created: datetime
) -> dict[str, Any]:
    """The manifest for ``members``; raises ValueError for names a bundle cannot hold."""
    _check_member_names(members)
    manifest = {
        "format_version": BUNDLE_FORMAT_VERSION,
        "app_version": app_version,
        "created": created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "reviewer": reviewer,
        "files": [
            {"path": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            for name, data in sorted(members.items())
        ],
    }
    problem = manifest_schema_problem(manifest)
    if problem:
        raise ValueError(f"cannot build a valid manifest: {problem}")
    return manifest


def write_bundle(
    out_path: Path | str,
    members: Mapping[str, bytes],
    *,
    app_version: str,
    reviewer: str,
    signer: ReviewerKeys | None,
    progress: Progress | None = None,
    created: datetime | None = None,
) -> Path:
    """Write ``members`` as a bundle at ``out_path`` and return the path.

    ``signer`` has no default on purpose: an unsigned bundle must be asked for (``None``).
    Raises ValueError for unusable member names or a signer that is not ``reviewer``, and
    ``BundleError`` when the file cannot be written.
    """
    out_path = Path(out_path)
    if signer is not None and signer.reviewer != reviewer:
        raise ValueError(f"reviewer {reviewer!r} cannot sign with {signer.reviewer!r}'s key")
    manifest = build_manifest(
        members,
        app_version=app_version,
        reviewer=reviewer,
        created=created or datetime.now(UTC),
    )
    manifest_bytes = canonical_json(manifest)
    envelope = {MANIFEST_NAME: manifest_bytes}
    if signer is not None:
        envelope[SIGNER_NAME] = canonical_json(signer.signer_info().to_json())
        envelope[SIGNATURE_NAME] = encode_signature(signer.sign(manifest_bytes))
    stamp = _zip_timestamp(manifest["created"])
    try:
        _write_atomically(out_path, envelope, members, stamp, progress)
    except OSError as exc:
        raise BundleError(out_path, f"could not write the bundle ({exc.strerror or exc})") from exc
    return out_path


def _check_member_names(members: Mapping[str, bytes]) -> None:
    seen: dict[str, str] = {}
    for name in members:
        problem = member_path_problem(name)
        if problem is None and name in ENVELOPE_NAMES:
            problem = "is reserved for the bundle's own envelope"
        if problem is None and collision_key(name) in seen:
            problem = f"clashes with {seen[collision_key(name)]!r} on case-insensitive disks"
        if problem:
            raise ValueError(f"member {name!r} {problem}")
        seen[collision_key(name)] = name


def _zip_timestamp(created: str) -> tuple[int, int, int, int, int, int]:
    moment = datetime.strptime(created, "%Y-%m-%dT%H:%M:%SZ")
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def _write_atomically(
    out_path: Path,
    envelope: Mapping[str, bytes],
    members: Mapping[str, bytes],
    stamp: tuple[int, int, int, int, int, int],
    progress: Progress | None,
) -> None:
    total = sum(len(data) for data in members.values())
    done = 0
    fd, temp_name = tempfile.mkstemp(
        prefix=f".{out_path.name}.", suffix=".tmp", dir=out_path.parent
    )
    try:
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w") as archive:
            if progress:
                progress(done, total)
            # The envelope first (manifest, signer, signature), then members sorted by name,
            # so equal content always gives the same archive layout.
            for name in (MANIFEST_NAME, SIGNER_NAME, SIGNATURE_NAME):
                if name in envelope:
                    archive.writestr(_entry(name, stamp), envelope[name])
            for name in sorted(members):
                archive.writestr(_entry(name, stamp), members[name])
                done += len(members[name])
                if progress:
                    progress(done, total)
            archive.close()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temp_name, out_path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise


def _entry(name: str, stamp: tuple[int, int, int, int, int, int]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = _FILE_MODE << 16
    info.create_system = 3  # Unix, so readers honour the mode bits above
    return info
