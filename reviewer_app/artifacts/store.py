"""A content-addressed store of gate artifacts: ``root/ab/cdef…`` named by SHA-256.

Like the PDF store: written to a temporary name inside ``root`` and moved into place, so a
crash never leaves half a file under a real name; the same content is stored once. Artifacts
are scripts, proofs and results from elsewhere: the app never runs them, and they are stored
read-only without any execute bit, whatever mode the original had.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from reviewer_app.errors import ReviewerAppError

MAX_ARTIFACT_BYTES = 50 * 1024 * 1024
"""Repro scripts, results tables and proof sources are small; datasets do not belong here."""
_CHUNK = 1 << 20
_SHA256 = re.compile(r"[0-9a-f]{64}")
_READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH


class ArtifactRefused(ReviewerAppError):
    """A file that cannot be stored as an artifact; nothing was stored."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


@dataclass(frozen=True)
class StoredArtifact:
    sha256: str
    path: Path
    size: int


class ArtifactStore:
    def __init__(self, root: Path, max_bytes: int = MAX_ARTIFACT_BYTES) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes

    def add(self, source: Path | str) -> StoredArtifact:
        source = Path(source)
        if not source.is_file():
            raise ArtifactRefused(source, "not a file")
        size = source.stat().st_size
        if size > self.max_bytes:
            raise ArtifactRefused(
                source, f"is {_mib(size)}, more than the {_mib(self.max_bytes)} an artifact may be"
            )
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        copied = 0
        with tempfile.NamedTemporaryFile(dir=self.root, prefix=".adding-", delete=False) as out:
            temp = Path(out.name)
            try:
                with source.open("rb") as reader:
                    while chunk := reader.read(_CHUNK):
                        copied += len(chunk)
                        if copied > self.max_bytes:  # grew while being copied
                            raise ArtifactRefused(source, "grew beyond the size limit")
                        digest.update(chunk)
                        out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            except OSError as exc:
                temp.unlink(missing_ok=True)
                raise ArtifactRefused(source, f"cannot be read ({exc.strerror or exc})") from exc
            except ArtifactRefused:
                temp.unlink(missing_ok=True)
                raise
        sha256 = digest.hexdigest()
        target = self.path_for(sha256)
        try:
            if target.is_file() and hash_file(target) == sha256:
                return StoredArtifact(sha256, target, copied)
            target.parent.mkdir(exist_ok=True)
            os.chmod(temp, _READ_ONLY)
            os.replace(temp, target)
        finally:
            temp.unlink(missing_ok=True)
        return StoredArtifact(sha256, target, copied)

    def path_for(self, sha256: str) -> Path:
        if not _SHA256.fullmatch(sha256):
            raise ReviewerAppError(f"{sha256!r} is not a lower-case SHA-256 hex digest")
        return self.root / sha256[:2] / sha256[2:]

    def intact(self, sha256: str) -> bool:
        path = self.path_for(sha256)
        return path.is_file() and hash_file(path) == sha256

    def put_bytes(self, sha256: str, data: bytes) -> Path:
        """Store content received with its hash (from a bundle); refused if they disagree."""
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ReviewerAppError(f"artifact {sha256[:12]}…: content does not match its hash")
        target = self.path_for(sha256)
        if target.is_file() and hash_file(target) == sha256:
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, prefix=".adding-", delete=False) as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(out.name, _READ_ONLY)
        os.replace(out.name, target)
        return target


def hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as file:
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _mib(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size / (1024 * 1024):.1f} MiB"
