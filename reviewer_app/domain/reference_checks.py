"""Offline checks of a record's reference against the PDF attached for it (issue 13).

Each check is named and says in one sentence what it found. ``ok`` is True (passed), False
(failed) or None (could not be checked: no PDF, no version stamp, not checked online). The
facts about the PDF (first-page text, metadata, whether its stored hash still holds) are read
elsewhere and handed in, so everything here is plain and pure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reviewer_app.domain.records import Reference

PARSES = "parses"
VERSION_PINNED = "version_pinned"
PDF_ATTACHED = "pdf_attached"
SAME_PAPER = "same_paper"
SAME_VERSION = "same_version"
FILE_INTACT = "file_intact"
ONLINE = "online"

REFERENCE_CHECKS: tuple[str, ...] = (
    PARSES,
    VERSION_PINNED,
    PDF_ATTACHED,
    SAME_PAPER,
    SAME_VERSION,
    FILE_INTACT,
    ONLINE,
)

# arXiv's margin stamp: "arXiv:2407.17856v4 [cs.CL] 25 Jul 2024" (also old-style ids)
_STAMP = re.compile(
    r"arXiv:\s?(?P<id>\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})v(?P<version>\d+)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool | None
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "message": self.message}


@dataclass(frozen=True)
class PdfFacts:
    """What the grounding checks need from an attached PDF."""

    sha256: str
    intact: bool
    """The stored file still hashes to ``sha256``."""
    intact_message: str
    first_page_text: str = ""
    metadata: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Stamp:
    arxiv_id: str
    version: int


@dataclass(frozen=True)
class OnlineAnswer:
    """What arXiv said about an id, when the reviewer allowed asking it."""

    found: bool
    latest_version: int | None
    message: str | None = None
    """Why nothing could be asked (offline, timeout); ``found`` is then ignored."""


def stamps_in(text: str) -> list[Stamp]:
    return [Stamp(m.group("id"), int(m.group("version"))) for m in _STAMP.finditer(text)]


def check_reference(
    reference: Reference, pdf: PdfFacts | None, online: OnlineAnswer | None = None
) -> tuple[Check, ...]:
    """The seven checks of ``reference``, in ``REFERENCE_CHECKS`` order."""
    arxiv_id, version = reference.arxiv_id, reference.arxiv_version
    checks = [_parses(reference), _pinned(arxiv_id, version)]
    if pdf is None:
        checks.append(Check(PDF_ATTACHED, False, "no PDF is attached for this reference"))
        checks += [
            Check(name, None, "no attached PDF to check")
            for name in (SAME_PAPER, SAME_VERSION, FILE_INTACT)
        ]
    else:
        checks.append(Check(PDF_ATTACHED, True, f"PDF {pdf.sha256[:12]}… is attached"))
        if not pdf.intact:
            # the file's content is not what was attached: nothing read from it can be trusted
            checks += [
                Check(SAME_PAPER, None, "not checked: the stored file was altered"),
                Check(SAME_VERSION, None, "not checked: the stored file was altered"),
            ]
        else:
            stamps = [s for s in stamps_in(pdf.first_page_text) if _same_id(s.arxiv_id, arxiv_id)]
            checks.append(_same_paper(arxiv_id, pdf))
            checks.append(_same_version(arxiv_id, version, stamps))
        checks.append(Check(FILE_INTACT, pdf.intact, pdf.intact_message))
    checks.append(_online(arxiv_id, version, online))
    return tuple(checks)


def passes(checks: Sequence[Check], required: Sequence[str]) -> bool:
    """Every required check ran and passed (a check that could not run does not pass)."""
    by_name = {check.name: check for check in checks}
    return all(name in by_name and by_name[name].ok is True for name in required)


def _parses(reference: Reference) -> Check:
    if reference.arxiv_id is None:
        return Check(PARSES, False, f"no arXiv id in {reference.url}")
    version = f", version {reference.arxiv_version}" if reference.arxiv_version else ""
    return Check(PARSES, True, f"arXiv {reference.arxiv_id}{version}")


def _pinned(arxiv_id: str | None, version: int | None) -> Check:
    if arxiv_id is None:
        return Check(VERSION_PINNED, None, "not an arXiv reference")
    if version is None:
        return Check(
            VERSION_PINNED, False, f"the reference does not pin a version of {arxiv_id} (no vN)"
        )
    return Check(VERSION_PINNED, True, f"the reference pins v{version}")


def _same_paper(arxiv_id: str | None, pdf: PdfFacts) -> Check:
    if arxiv_id is None:
        return Check(SAME_PAPER, None, "not an arXiv reference: the paper is not checked")
    pattern = _id_pattern(arxiv_id)
    if pattern.search(pdf.first_page_text):
        return Check(SAME_PAPER, True, f"{arxiv_id} is on the PDF's first page")
    metadata = " ".join((pdf.metadata or {}).values())
    if pattern.search(metadata):
        return Check(SAME_PAPER, True, f"{arxiv_id} is in the PDF's metadata")
    others = sorted({s.arxiv_id for s in stamps_in(pdf.first_page_text)})
    found = f"; its first page is stamped {', '.join(others)}" if others else ""
    return Check(
        SAME_PAPER, False, f"the attached PDF does not name {arxiv_id} on its first page{found}"
    )


def _same_version(arxiv_id: str | None, version: int | None, stamps: Sequence[Stamp]) -> Check:
    if arxiv_id is None:
        return Check(SAME_VERSION, None, "not an arXiv reference")
    if not stamps:
        return Check(SAME_VERSION, None, f"the attached PDF carries no arXiv:{arxiv_id}vN stamp")
    found = stamps[0].version
    if version is None:
        return Check(SAME_VERSION, None, f"attached PDF is v{found}; the reference pins none")
    if found != version:
        return Check(
            SAME_VERSION, False, f"attached PDF is v{found}, the reference pins v{version}"
        )
    return Check(SAME_VERSION, True, f"attached PDF is v{found}, as pinned")


def _online(arxiv_id: str | None, version: int | None, online: OnlineAnswer | None) -> Check:
    if online is None or arxiv_id is None:
        return Check(ONLINE, None, "not checked online")
    if online.message is not None:
        return Check(ONLINE, None, f"not checked online: {online.message}")
    if not online.found:
        return Check(ONLINE, False, f"arXiv does not know {arxiv_id}")
    latest = online.latest_version
    if version is not None and latest is not None and version > latest:
        return Check(ONLINE, False, f"arXiv has {arxiv_id} up to v{latest}, not v{version}")
    newest = f" (newest v{latest})" if latest else ""
    return Check(ONLINE, True, f"arXiv confirms {arxiv_id}{newest}")


def _same_id(found: str, wanted: str | None) -> bool:
    return wanted is not None and found.casefold() == wanted.casefold()


def _id_pattern(arxiv_id: str) -> re.Pattern[str]:
    escaped = re.escape(arxiv_id).replace("/", "[/_]?")
    before = r"(?<!\d)" if arxiv_id[0].isdigit() else r"(?<![A-Za-z-])"
    return re.compile(rf"{before}{escaped}(?:v\d+)?(?!\d)", re.IGNORECASE)
