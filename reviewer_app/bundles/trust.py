"""Which signing key belongs to which reviewer, learnt on first use (TOFU).

Public key fingerprints are not secret, so they live in a plain JSON file, written atomically.
Your own key is entered at your first signed export (``"own": true``), so no bundle can pin
another key for you. Nothing else writes to it but an accepted import, all of whose new keys
are saved together (``remember_all``) just before the import commits (``snapshot`` and
``restore`` undo the write if the commit then fails).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from reviewer_app.errors import ReviewerAppError

_TRUST_FORMAT = 1


class TrustStoreError(ReviewerAppError):
    """The file of known signers cannot be read or written."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class TrustStore(Protocol):
    def known_key(self, reviewer: str) -> str | None:
        """The fingerprint remembered for ``reviewer``, or None for a reviewer never seen."""
        ...

    def remember(self, reviewer: str, fingerprint: str) -> None:
        """Trust ``fingerprint`` as ``reviewer``'s key from now on (replacing any older one)."""
        ...

    def known_reviewers(self) -> dict[str, str]:
        """Every remembered reviewer and fingerprint."""
        ...

    def own_reviewers(self) -> dict[str, str]:
        """The reviewers whose key is this user's own (entered at export), with fingerprints."""
        ...

    def remember_all(self, fingerprints: Mapping[str, str], *, own: bool = False) -> None:
        """Trust every ``reviewer: fingerprint`` pair, in one write."""
        ...

    def snapshot(self) -> bytes | None:
        """The store as it is now, for ``restore``."""
        ...

    def restore(self, snapshot: bytes | None) -> None:
        """Put back what ``snapshot`` returned."""
        ...


class JsonTrustStore:
    """A ``TrustStore`` in one JSON file: ``{"format": 1, "reviewers": {name: {...}}}``."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def known_key(self, reviewer: str) -> str | None:
        entry = self._load().get(reviewer)
        return None if entry is None else entry["fingerprint"]

    def remember(self, reviewer: str, fingerprint: str) -> None:
        self.remember_all({reviewer: fingerprint})

    def remember_all(self, fingerprints: Mapping[str, str], *, own: bool = False) -> None:
        if not fingerprints:
            return
        reviewers = self._load()
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        for reviewer, fingerprint in fingerprints.items():
            entry: dict[str, Any] = {"fingerprint": fingerprint, "remembered": now}
            if own:
                entry["own"] = True
            reviewers[reviewer] = entry
        self._save(reviewers)

    def known_reviewers(self) -> dict[str, str]:
        """Every remembered reviewer and fingerprint (for a settings page)."""
        return {name: entry["fingerprint"] for name, entry in self._load().items()}

    def own_reviewers(self) -> dict[str, str]:
        return {
            name: entry["fingerprint"]
            for name, entry in self._load().items()
            if entry.get("own") is True
        }

    def snapshot(self) -> bytes | None:
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise TrustStoreError(self.path, f"cannot read known signers ({exc})") from exc

    def restore(self, snapshot: bytes | None) -> None:
        try:
            if snapshot is None:
                self.path.unlink(missing_ok=True)
            else:
                _write_atomically(self.path, snapshot)
        except OSError as exc:
            raise TrustStoreError(self.path, f"cannot restore known signers ({exc})") from exc

    def forget(self, reviewer: str) -> None:
        reviewers = self._load()
        if reviewers.pop(reviewer, None) is not None:
            self._save(reviewers)

    def _load(self) -> dict[str, dict[str, Any]]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise TrustStoreError(self.path, f"cannot read known signers ({exc})") from exc
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise TrustStoreError(self.path, f"known signers file is not JSON ({exc})") from exc
        return _parse(self.path, data)

    def _save(self, reviewers: dict[str, dict[str, Any]]) -> None:
        text = json.dumps({"format": _TRUST_FORMAT, "reviewers": reviewers}, indent=2)
        try:
            _write_atomically(self.path, (text + "\n").encode("utf-8"))
        except OSError as exc:
            raise TrustStoreError(self.path, f"cannot save known signers ({exc})") from exc


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _parse(path: Path, data: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(data, dict) or data.get("format") != _TRUST_FORMAT:
        raise TrustStoreError(path, f"not a known-signers file of format {_TRUST_FORMAT}")
    reviewers = data.get("reviewers")
    if not isinstance(reviewers, dict) or not all(
        isinstance(entry, dict) and isinstance(entry.get("fingerprint"), str)
        for entry in reviewers.values()
    ):
        raise TrustStoreError(path, "'reviewers' must map names to {fingerprint: ...}")
    return reviewers
