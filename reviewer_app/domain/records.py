"""Synthesis records as the importers read them and the rest of the app uses them.

Everything here is immutable plain data. ``to_json`` produces the public JSON shape that
``reviewer-app show ID --json`` prints (schema: ``resources/schemas/record.schema.json``).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date
from enum import StrEnum
from typing import Any


class RecordKind(StrEnum):
    REPORT = "report"
    RECORD = "record"
    PAPER = "paper"


class Level(StrEnum):
    """The three-step scale of the quality dimensions, ordered LOW < MEDIUM < HIGH."""

    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"

    @property
    def rank(self) -> int:
        return _LEVEL_RANKS[self]


_LEVEL_RANKS = {Level.LOW: 0, Level.MEDIUM: 1, Level.HIGH: 2}

QUALITY_DIMENSIONS: tuple[str, ...] = (
    "evidence_strength",
    "citation_grounding",
    "uncertainty_disclosure",
    "reproducibility_status",
)

_ARXIV_URL = re.compile(
    r"arxiv\.org/(?:abs|pdf)/(?P<id>\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})"
    r"(?:v(?P<version>\d+))?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Claim:
    position: int
    """1-based position of the claim in its record, as the app numbers it."""
    text: str
    verified: bool
    confidence: float


@dataclass(frozen=True)
class Reference:
    url: str
    arxiv_id: str | None = None
    arxiv_version: int | None = None

    @classmethod
    def from_url(cls, url: str) -> Reference:
        match = _ARXIV_URL.search(url)
        if match is None:
            return cls(url=url)
        version = match.group("version")
        return cls(
            url=url, arxiv_id=match.group("id"), arxiv_version=int(version) if version else None
        )


@dataclass(frozen=True)
class Verification:
    level: str | None = None
    """``L1``, ``L2`` or ``L3``."""
    label: str | None = None
    source_grounded_claims: int | None = None
    claim_record_source: str | None = None


@dataclass(frozen=True)
class QualityTier:
    tier: str | None = None
    basis: str | None = None


@dataclass(frozen=True)
class QualityDimensions:
    evidence_strength: Level | None = None
    citation_grounding: Level | None = None
    uncertainty_disclosure: Level | None = None
    reproducibility_status: Level | None = None


@dataclass(frozen=True)
class CorrectionRecord:
    status: str | None = None
    count: int | None = None
    manifest_contract: str | None = None
    correction_contract: str | None = None


@dataclass(frozen=True)
class Provenance:
    publisher: str | None = None
    public_provenance: str | None = None
    report_artifact: str | None = None
    external_record: str | None = None
    claim_lineage: str | None = None
    review_method: str | None = None
    provenance_contract: str | None = None


@dataclass(frozen=True)
class GateVerdict:
    status: str | None = None
    gate: str | None = None
    reason: str | None = None
    evaluated: str | None = None
    """ISO 8601 timestamp as the source gives it."""


@dataclass(frozen=True)
class Benchmark:
    task: str
    dataset: str
    metric: str | None
    result: float | None
    rank: int | None


@dataclass(frozen=True)
class Unrecognised:
    """Content of the source the importer kept but could not read as a field.

    Nothing of a file is silently dropped: unknown lines and rows, and readings the reviewer
    must check (an ambiguous cell, a count that disagrees with its table), are kept here.
    """

    section: str
    """Where it was: the section heading, or ``before the title`` / ``after the end``."""
    text: str
    """The source text, as it was."""
    note: str | None = None
    """Why it is here when that is not plain "unknown line": ``ambiguous: ...`` and the like."""


RECORD_SECTIONS: dict[str, type] = {
    "verification": Verification,
    "quality_tier": QualityTier,
    "quality_dimensions": QualityDimensions,
    "correction_record": CorrectionRecord,
    "provenance": Provenance,
    "gate": GateVerdict,
}
"""The optional sections of a record (``SynthesisRecord`` fields of these names), with their
types: what storage keeps as JSON and what record JSON writes as objects."""


@dataclass(frozen=True)
class SynthesisRecord:
    """One imported version of a synthesis: a report, a public record page or a paper page."""

    kind: RecordKind
    title: str
    source_sha256: str
    publisher: str | None = None
    date: date | None = None
    record_id: str | None = None
    """The publisher's identifier, such as ``SRCH:8F12A054``."""
    abstract: str | None = None
    research_question: str | None = None
    papers_retrieved: int | None = None
    claims_extracted: int | None = None
    claims_verified: int | None = None
    claims: tuple[Claim, ...] = ()
    references: tuple[Reference, ...] = ()
    review_score: float | None = None
    verification: Verification | None = None
    quality_tier: QualityTier | None = None
    quality_dimensions: QualityDimensions | None = None
    correction_record: CorrectionRecord | None = None
    provenance: Provenance | None = None
    gate: GateVerdict | None = None
    authors: tuple[str, ...] = ()
    year: int | None = None
    benchmarks: tuple[Benchmark, ...] = field(default=())
    unrecognised: tuple[Unrecognised, ...] = ()
    decoding_note: str | None = field(default=None, compare=False)
    """How the bytes were decoded when they were not UTF-8 (a warning, not content)."""

    @property
    def identity_key(self) -> str:
        """What makes two imports versions of the same record.

        The publisher's record id when there is one; otherwise kind and normalised title.
        """
        if self.record_id:
            return f"id:{self.record_id.upper()}"
        normalised = re.sub(r"\W+", " ", self.title).strip().casefold()
        return f"{self.kind.value}:{normalised}"

    @property
    def local_id(self) -> str:
        """The id the app shows and the CLI takes: stable across databases and machines."""
        if self.record_id:
            return self.record_id.upper()
        digest = hashlib.sha256(self.identity_key.encode()).hexdigest()[:8].upper()
        return f"{_KIND_PREFIX[self.kind]}-{digest}"

    @property
    def content_sha256(self) -> str:
        """Hash of what was read, independent of encoding details such as BOM or CRLF."""
        payload = self.to_json(self.local_id)
        payload.pop("source_sha256")
        if not payload["unrecognised"]:
            # Records read before unrecognised content was kept hash as they always did.
            payload.pop("unrecognised")
        canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()

    def with_source(self, source_sha256: str) -> SynthesisRecord:
        return replace(self, source_sha256=source_sha256)

    def to_json(self, local_id: str | None = None) -> dict[str, Any]:
        return {
            "id": local_id or self.local_id,
            "kind": self.kind.value,
            "title": self.title,
            "publisher": self.publisher,
            "date": self.date.isoformat() if self.date else None,
            "record_id": self.record_id,
            "abstract": self.abstract,
            "research_question": self.research_question,
            "papers_retrieved": self.papers_retrieved,
            "claims_extracted": self.claims_extracted,
            "claims_verified": self.claims_verified,
            "claims": [
                {"text": c.text, "verified": c.verified, "confidence": c.confidence}
                for c in self.claims
            ],
            "references": [r.url for r in self.references],
            "review_score": self.review_score,
            "verification": _section_json(self.verification),
            "quality_tier": _section_json(self.quality_tier),
            "quality_dimensions": _section_json(self.quality_dimensions),
            "correction_record": _section_json(self.correction_record),
            "provenance": _section_json(self.provenance),
            "gate": _section_json(self.gate),
            "authors": list(self.authors),
            "year": self.year,
            "benchmarks": [asdict(b) for b in self.benchmarks],
            "unrecognised": [asdict(u) for u in self.unrecognised],
            "source_sha256": self.source_sha256,
        }


_KIND_PREFIX = {RecordKind.REPORT: "RPT", RecordKind.RECORD: "REC", RecordKind.PAPER: "PAP"}


def _section_json(section: Any) -> dict[str, Any] | None:
    if section is None:
        return None
    return {f.name: _plain(getattr(section, f.name)) for f in fields(section)}


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, StrEnum) else value
