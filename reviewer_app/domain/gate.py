"""The reproducibility gate computed from attached artifacts and attestations (issue 13).

Unverified (no artifact) → Artifact attached (nobody has attested yet) → Reproduced by N
reviewers (their results hashes agree) or Not reproduced (every attestation says no, or the
results of those who reproduced it disagree). A reviewer's newest attestation of an artifact
counts; older ones stay stored (attestations are additive).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

ARTIFACT_KINDS = ("repro-script", "results", "proof", "other")

UNVERIFIED = "Unverified"
ARTIFACT_ATTACHED = "Artifact attached"
NOT_REPRODUCED = "Not reproduced"


class GateState(StrEnum):
    UNVERIFIED = "unverified"
    ARTIFACT_ATTACHED = "artifact-attached"
    REPRODUCED = "reproduced"
    NOT_REPRODUCED = "not-reproduced"


@dataclass(frozen=True)
class Artifact:
    sha256: str
    kind: str
    file_name: str
    size: int
    attached_by: str | None
    attached_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "sha256": self.sha256,
            "kind": self.kind,
            "file_name": self.file_name,
            "size": self.size,
            "attached_by": self.attached_by,
            "attached_at": self.attached_at.isoformat(),
        }


@dataclass(frozen=True)
class Attestation:
    id: str
    artifact_sha256: str
    reviewer: str
    reproduced: bool
    results_sha256: str | None
    note: str | None
    created_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "artifact": self.artifact_sha256,
            "reviewer": self.reviewer,
            "reproduced": self.reproduced,
            "results_sha256": self.results_sha256,
            "note": self.note,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True)
class GateStatus:
    state: GateState
    status: str
    """As shown: "Unverified", "Artifact attached", "Reproduced by 2 reviewers", …"""
    reproduced_by: tuple[str, ...]
    basis: str


def current_attestations(attestations: Sequence[Attestation]) -> list[Attestation]:
    """The newest attestation of each reviewer per artifact (input in order of creation)."""
    newest: dict[tuple[str, str], Attestation] = {}
    for item in sorted(attestations, key=lambda a: a.created_at):
        newest[(item.reviewer, item.artifact_sha256)] = item
    return list(newest.values())


def compute_gate(artifacts: Sequence[Artifact], attestations: Sequence[Attestation]) -> GateStatus:
    if not artifacts:
        return GateStatus(GateState.UNVERIFIED, UNVERIFIED, (), "no reproducible artifact attached")
    current = current_attestations(attestations)
    if not current:
        noun = "artifact" if len(artifacts) == 1 else "artifacts"
        return GateStatus(
            GateState.ARTIFACT_ATTACHED,
            ARTIFACT_ATTACHED,
            (),
            f"{len(artifacts)} {noun} attached; no reviewer has attested reproducing it yet",
        )
    yes = [a for a in current if a.reproduced]
    no = sorted({a.reviewer for a in current if not a.reproduced})
    if not yes:
        return GateStatus(
            GateState.NOT_REPRODUCED,
            NOT_REPRODUCED,
            (),
            f"{', '.join(no)} could not reproduce it",
        )
    hashes = {a.results_sha256 for a in yes if a.results_sha256}
    if len(hashes) > 1:
        listed = ", ".join(
            f"{a.reviewer} {a.results_sha256[:12]}…" for a in yes if a.results_sha256
        )
        return GateStatus(
            GateState.NOT_REPRODUCED,
            NOT_REPRODUCED,
            (),
            f"the reproduced results disagree ({listed})",
        )
    reviewers = tuple(sorted({a.reviewer for a in yes}))
    count = len(reviewers)
    status = f"Reproduced by {count} reviewer{'s' if count != 1 else ''}"
    basis = f"reproduced by {', '.join(reviewers)}"
    if hashes:
        basis += f"; results hash {next(iter(hashes))[:12]}… agrees"
    if no:
        basis += f"; {', '.join(no)} could not reproduce it"
    return GateStatus(GateState.REPRODUCED, status, reviewers, basis)


def gate_differs(imported_status: str | None, computed: GateStatus) -> bool:
    """Whether the imported verdict (VERIFIED or not) disagrees with what the review found."""
    if imported_status is None or not imported_status.strip():
        return False
    claims_verified = re.sub(r"[\W_]+", "", imported_status.casefold()) == "verified"
    return claims_verified != (computed.state is GateState.REPRODUCED)
