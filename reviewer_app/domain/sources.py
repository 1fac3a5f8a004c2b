"""A source PDF attached to a record (issue 4), as storage hands it out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class AttachedSource:
    """One PDF attached to a record."""

    sha256: str
    file_name: str
    reference_url: str | None
    arxiv_id: str | None
    arxiv_version: int | None
    size: int
    page_count: int
    attached_at: datetime
    attached_by: str | None
    """The name of who attached it; None if that reviewer is unknown here."""
