"""Public record pages: one builder from the sections of either rendering to a record."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from reviewer_app.domain.records import (
    CorrectionRecord,
    GateVerdict,
    Level,
    Provenance,
    QualityDimensions,
    QualityTier,
    RecordKind,
    SynthesisRecord,
    Unrecognised,
    Verification,
)
from reviewer_app.importers.chrome import clean_abstract
from reviewer_app.importers.record_page_vocabulary import VERIFICATION_LEVEL
from reviewer_app.importers.record_sections import HEADER, PageSection, read_record_page
from reviewer_app.importers.values import (
    MalformedExport,
    join_or,
    join_paragraphs,
    require_date,
    require_int,
    require_score,
)

_REQUIRED_SECTIONS = (
    "Verification Level",
    "Quality Tier",
    "Quality Dimensions",
    "Correction Record",
    "Provenance",
)
_DIMENSION_FIELDS = {
    "Evidence strength": "evidence_strength",
    "Citation grounding": "citation_grounding",
    "Uncertainty disclosure": "uncertainty_disclosure",
    "Reproducibility status": "reproducibility_status",
}
_PROVENANCE_FIELDS = {
    "Publisher": "publisher",
    "Public provenance": "public_provenance",
    "Report artifact": "report_artifact",
    "External record": "external_record",
    "Claim lineage": "claim_lineage",
    "Review method": "review_method",
    "Provenance contract": "provenance_contract",
}
_GATE_SECTION = "Truth-Engine Gate Verdict"

T = TypeVar("T")


def parse_record_page(lines: list[str], source_sha256: str) -> SynthesisRecord:
    page = read_record_page(lines)
    missing = [name for name in _REQUIRED_SECTIONS if name not in page.sections]
    if missing:
        raise MalformedExport(f"record page is incomplete: no {join_or(missing)} section")
    sections = page.sections
    header = sections[HEADER].rows
    provenance = _provenance(sections["Provenance"])
    return SynthesisRecord(
        kind=RecordKind.RECORD,
        title=page.title,
        source_sha256=source_sha256,
        record_id=page.record_id,
        publisher=provenance.publisher,
        date=_header_value(header, "Submitted", require_date, "submission date"),
        review_score=_header_value(header, "Review score", require_score, "review score"),
        claims_verified=_header_value(header, "Verified claims", require_int, "verified claims"),
        abstract=_prose(sections.get("Abstract"), clean=True),
        research_question=_prose(sections.get("Research Question")),
        verification=_verification(sections["Verification Level"], page.unrecognised),
        quality_tier=QualityTier(*_values(sections["Quality Tier"], ("Tier", "Basis"))),
        quality_dimensions=_dimensions(sections["Quality Dimensions"]),
        correction_record=_correction_record(sections["Correction Record"]),
        provenance=provenance,
        gate=_gate(sections.get(_GATE_SECTION)),
        unrecognised=tuple(page.unrecognised),
    )


def _header_value(
    header: dict[str, str], label: str, parse: Callable[[str, str], T], what: str
) -> T | None:
    """A row under the title, parsed; the pipe-table rendering has none of them."""
    return parse(header[label], what) if label in header else None


def _values(section: PageSection, labels: tuple[str, ...]) -> list[str]:
    """The values of ``labels``, in order; refuses a section missing any of them."""
    absent = [label for label in labels if not section.rows.get(label)]
    if absent:
        names = join_or([f"'{label}'" for label in absent])
        raise MalformedExport(
            f"record page is incomplete: the {section.heading} section has no {names} value"
        )
    return [section.rows[label] for label in labels]


def _prose(section: PageSection | None, *, clean: bool = False) -> str | None:
    if section is None:
        return None
    text = join_paragraphs(section.prose)
    return (clean_abstract(text) if clean else text) or None


def _verification(section: PageSection, kept: list[Unrecognised]) -> Verification:
    paper_level, grounded, record_source = _values(
        section, ("Paper level", "Source-grounded claims", "Claim record source")
    )
    # "L2, Source-grounded claims": the level, then its label.
    written_level, _, label = (part.strip() for part in paper_level.partition(","))
    level: str | None = written_level
    if not VERIFICATION_LEVEL.fullmatch(written_level):
        # Not a level the app knows (L1-L3): kept for the reviewer rather than stored as one.
        kept.append(Unrecognised(section.heading, paper_level, "paper level is not L1, L2 or L3"))
        level, label = None, paper_level
    return Verification(
        level=level,
        label=label or None,
        source_grounded_claims=require_int(grounded, "source-grounded claims"),
        claim_record_source=record_source,
    )


def _dimensions(section: PageSection) -> QualityDimensions:
    values = _values(section, tuple(_DIMENSION_FIELDS))
    levels = {}
    for (label, field_name), value in zip(_DIMENSION_FIELDS.items(), values, strict=True):
        try:
            levels[field_name] = Level(value.upper())
        except ValueError:
            raise MalformedExport(
                f"quality dimension '{label}' is {value!r}; expected LOW, MEDIUM or HIGH"
            ) from None
    return QualityDimensions(**levels)


def _correction_record(section: PageSection) -> CorrectionRecord:
    status, count, manifest, correction = _values(
        section, ("Status", "Correction count", "Manifest contract", "Correction contract")
    )
    return CorrectionRecord(
        status=status,
        count=require_int(count, "correction count"),
        manifest_contract=manifest,
        correction_contract=correction,
    )


def _provenance(section: PageSection) -> Provenance:
    values = _values(section, tuple(_PROVENANCE_FIELDS))
    return Provenance(**dict(zip(_PROVENANCE_FIELDS.values(), values, strict=True)))


def _gate(section: PageSection | None) -> GateVerdict | None:
    if section is None:
        return None
    status, gate, reason, evaluated = _values(section, ("Status", "Gate", "Reason", "Evaluated"))
    try:
        datetime.fromisoformat(evaluated)  # kept as given, but a cut-off timestamp is refused
    except ValueError:
        raise MalformedExport(
            f"gate verdict time {evaluated!r} is not a timestamp such as "
            "'2026-06-10T06:30:49+00:00'"
        ) from None
    return GateVerdict(status=status, gate=gate, reason=reason, evaluated=evaluated)
