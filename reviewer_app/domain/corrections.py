"""A correction entry: what a reviewer says is wrong with a record, why, and on what evidence."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CorrectionEntry:
    id: str
    reviewer: str
    what: str
    why: str
    evidence: str | None
    created: str
    """UTC ISO 8601."""
