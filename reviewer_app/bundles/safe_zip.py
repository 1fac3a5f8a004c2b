"""Read every member of a zip that may come from a stranger, refusing anything hostile.

Nothing is extracted to disk. Every check happens on the central directory before any member
is decompressed, and then again while reading: a member is read in chunks against a cap equal to
its declared size, so a header that lies about the size cannot make us hold more than the limits.
"""

from __future__ import annotations

import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from reviewer_app.bundles.format import BundleError, collision_key, member_path_problem

MiB = 1024 * 1024
_CHUNK = 1 * MiB
_SUPPORTED_COMPRESSION = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}
_ENCRYPTED_FLAG = 0x1


@dataclass(frozen=True)
class BundleLimits:
    """How much a bundle may hold. Defaults fit a few hundred records plus their source PDFs."""

    max_archive_bytes: int = 1024 * MiB
    max_total_bytes: int = 1024 * MiB
    max_member_bytes: int = 256 * MiB
    max_entries: int = 10_000
    max_compression_ratio: float = 100.0
    # Small members legitimately compress far better than big ones (a 2 KB run of spaces);
    # the ratio limit only applies to members bigger than this.
    ratio_applies_above_bytes: int = 1 * MiB


def read_zip_members(path: Path, limits: BundleLimits) -> dict[str, bytes]:
    """All file members of the zip at ``path``, in archive order. Raises ``BundleError``."""
    try:
        archive_size = path.stat().st_size
    except OSError as exc:
        raise BundleError(path, f"cannot read the file ({exc.strerror or exc})") from exc
    if archive_size > limits.max_archive_bytes:
        raise BundleError(
            path, f"the file is {archive_size} bytes, over the limit of {limits.max_archive_bytes}"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            files = _checked_entries(path, archive.infolist(), limits)
            return {info.filename: _read_member(path, archive, info) for info in files}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, struct.error, ValueError) as exc:
        raise BundleError(path, f"not a zip file, or a truncated or damaged one ({exc})") from exc
    except OSError as exc:
        raise BundleError(path, f"cannot read the file ({exc.strerror or exc})") from exc


def _checked_entries(
    path: Path, entries: list[zipfile.ZipInfo], limits: BundleLimits
) -> list[zipfile.ZipInfo]:
    """The file entries (directories dropped) after every per-entry and whole-archive check."""
    if len(entries) > limits.max_entries:
        raise BundleError(
            path, f"the zip has {len(entries)} entries, over the limit of {limits.max_entries}"
        )
    seen: dict[str, str] = {}
    files: list[zipfile.ZipInfo] = []
    declared_total = 0
    for info in entries:
        _check_entry(path, info, limits)
        key = collision_key(info.filename.rstrip("/"))
        if key in seen:
            raise BundleError(
                path, f"duplicate entry {info.filename!r} (clashes with {seen[key]!r})"
            )
        seen[key] = info.filename
        if info.is_dir():
            continue
        declared_total += info.file_size
        if declared_total > limits.max_total_bytes:
            raise BundleError(
                path,
                f"the members add up to more than the limit of {limits.max_total_bytes} bytes "
                "uncompressed",
            )
        files.append(info)
    return files


def _check_entry(path: Path, info: zipfile.ZipInfo, limits: BundleLimits) -> None:
    name = info.filename
    if info.orig_filename != name:  # zipfile silently cuts names at a NUL byte
        raise BundleError(path, f"entry {info.orig_filename!r} has a NUL byte in its name")
    problem = member_path_problem(name[:-1] if info.is_dir() else name)
    if problem:
        raise BundleError(path, f"entry {name!r} {problem}")
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise BundleError(path, f"entry {name!r} is a symbolic link")
    if mode and stat.S_IFMT(mode) and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise BundleError(path, f"entry {name!r} is a special file (mode {oct(mode)})")
    if info.flag_bits & _ENCRYPTED_FLAG:
        raise BundleError(path, f"entry {name!r} is encrypted")
    if info.compress_type not in _SUPPORTED_COMPRESSION:
        raise BundleError(
            path, f"entry {name!r} uses unsupported compression method {info.compress_type}"
        )
    if info.file_size > limits.max_member_bytes:
        raise BundleError(
            path,
            f"entry {name!r} is {info.file_size} bytes uncompressed, over the limit of "
            f"{limits.max_member_bytes}",
        )
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > limits.ratio_applies_above_bytes and ratio > limits.max_compression_ratio:
        raise BundleError(
            path,
            f"entry {name!r} expands {ratio:.0f}-fold when decompressed "
            f"(limit {limits.max_compression_ratio:.0f}); refusing a possible zip bomb",
        )


def _read_member(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    cap = info.file_size  # already checked against the limits
    chunks: list[bytes] = []
    received = 0
    try:
        with archive.open(info) as stream:
            # Ask for one byte more than the cap: getting it proves the header lied.
            while chunk := stream.read(min(_CHUNK, cap - received + 1)):
                received += len(chunk)
                if received > cap:
                    raise BundleError(
                        path, f"entry {info.filename!r} holds more data than its header says"
                    )
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise BundleError(path, f"entry {info.filename!r} is damaged ({exc})") from exc
    if received != cap:
        raise BundleError(
            path,
            f"entry {info.filename!r} holds {received} bytes but its header says {cap}",
        )
    return b"".join(chunks)
