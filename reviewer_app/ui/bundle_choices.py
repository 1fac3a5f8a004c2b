"""Plain answers of the bundle dialogs, shared by the dialogs and the bundle controller (kept
apart from both so neither imports the other)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ExportChoice:
    path: Path
    include_pdfs: bool


@dataclass(frozen=True)
class CorrectionText:
    what: str
    why: str
    evidence: str | None
