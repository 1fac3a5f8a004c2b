"""Checking what review commands name (record, claim, reviewer, reference, stance, file), with
clear errors."""

from __future__ import annotations

import getpass
import hashlib
import os
import re
from pathlib import Path

from reviewer_app.domain.evidence import Stance
from reviewer_app.domain.records import Claim, Reference, SynthesisRecord
from reviewer_app.domain.reviewers import Reviewer
from reviewer_app.errors import NotFound, ReviewerAppError
from reviewer_app.pdf import PdfUnreadable
from reviewer_app.services.review_types import EvidenceRefused
from reviewer_app.storage.database import UnitOfWork
from reviewer_app.storage.records_repository import record_key, require_revision
from reviewer_app.storage.reviewers_repository import ensure_reviewer_profile

REVIEWER_ENV = "REVIEWER_APP_REVIEWER"
_SHA256 = re.compile(r"[0-9a-f]{64}")
_CHUNK = 1 << 20
_BARE_ARXIV_ID = re.compile(r"^(?P<id>\d{4}\.\d{4,5})(?:v(?P<version>\d+))?$")


def default_reviewer() -> str:
    """``$REVIEWER_APP_REVIEWER``, else the name of the user running the app."""
    named = os.environ.get(REVIEWER_ENV, "").strip()
    if named:
        return named
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        # no login name (e.g. a container user without a passwd entry)
        return "reviewer"


def require_record(session: UnitOfWork, record_id: str) -> SynthesisRecord:
    return require_revision(session, record_id).record


def require_claim(record: SynthesisRecord, record_id: str, position: int) -> Claim:
    for claim in record.claims:
        if claim.position == position:
            return claim
    count = len(record.claims)
    has = f"claims 1 to {count}" if count else "no claims"
    raise NotFound(f"record {record_key(record_id)} has no claim {position} (it has {has})")


def require_reviewer(session: UnitOfWork, name: str) -> Reviewer:
    """The reviewer called ``name``, created on first use; a clear error for a blank name."""
    try:
        return ensure_reviewer_profile(session, name)
    except ValueError as exc:
        raise ReviewerAppError(str(exc)) from None


def resolve_reference(record: SynthesisRecord, record_id: str, given: str) -> Reference:
    """The record's reference named by URL, arXiv URL or bare arXiv id (``2407.17856v4``)."""
    wanted = given.strip()
    for reference in record.references:
        if reference.url == wanted:
            return reference
    bare = _BARE_ARXIV_ID.match(wanted)
    parsed = (
        Reference(wanted, bare["id"], int(bare["version"]) if bare["version"] else None)
        if bare
        else Reference.from_url(wanted)
    )
    if parsed.arxiv_id:
        same_paper = [r for r in record.references if r.arxiv_id == parsed.arxiv_id]
        same_version = [r for r in same_paper if r.arxiv_version == parsed.arxiv_version]
        if same_version or same_paper:
            return (same_version or same_paper)[0]
    listed = ", ".join(r.url for r in record.references) or "none"
    raise NotFound(
        f"record {record_key(record_id)} has no reference '{given}' (its references: {listed})"
    )


def stance_of(stance: Stance | str) -> Stance:
    try:
        return Stance(stance)
    except ValueError:
        choices = ", ".join(s.value for s in Stance)
        raise EvidenceRefused(f"unknown stance '{stance}' (use one of: {choices})") from None


def clean_text(text: str | None) -> str | None:
    """Notes and reasons: surrounding blanks dropped, a blank one is no note at all."""
    return (text.strip() or None) if text is not None else None


def sha256_of_pdf(pdf: Path | str) -> str:
    """A SHA-256 given as such, or the hash of the file at ``pdf``."""
    if isinstance(pdf, str) and _SHA256.fullmatch(pdf):
        return pdf
    path = Path(pdf)
    digest = hashlib.sha256()
    try:
        with path.open("rb") as file:
            while chunk := file.read(_CHUNK):
                digest.update(chunk)
    except FileNotFoundError:
        raise PdfUnreadable(path, "file not found") from None
    except OSError as exc:
        raise PdfUnreadable(path, f"cannot be read ({exc.strerror or exc})") from exc
    return digest.hexdigest()
