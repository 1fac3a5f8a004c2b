"""A record as the rich text (Qt's HTML subset) the details panel shows. No widgets here."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from reviewer_app.domain.records import (
    QUALITY_DIMENSIONS,
    Benchmark,
    Level,
    Reference,
    SynthesisRecord,
    Unrecognised,
)

LEVEL_COLOURS = {Level.HIGH: "#2e7d32", Level.MEDIUM: "#ef6c00", Level.LOW: "#c62828"}
MISSING_COLOUR = "#757575"
KIND_COLOURS = {"report": "#1565c0", "record": "#6a1b9a", "paper": "#00695c"}

_STYLE = """
<style>
h2 { margin-bottom: 2px; }
h3 { margin-top: 14px; margin-bottom: 4px; color: #37474f; }
td.label { color: #546e7a; padding-right: 12px; white-space: nowrap; }
table.grid th { background-color: #eceff1; text-align: left; }
</style>
"""


def badge(text: str, colour: str) -> str:
    return (
        f'<span style="background-color:{colour}; color:#ffffff; font-weight:600;">'
        f"&nbsp;{escape(text)}&nbsp;</span>"
    )


def record_html(record: SynthesisRecord, *, local_id: str, subtitle: str = "") -> str:
    facts = [
        (label, value)
        for label, value in _facts(record)
        if not (label == "Record id" and value and value.upper() == local_id)  # shown above
    ]
    parts = [
        _STYLE,
        f"<h2>{escape(record.title)}</h2>",
        "<p>"
        + badge(record.kind.value.upper(), KIND_COLOURS.get(record.kind.value, MISSING_COLOUR))
        + f"&nbsp; <b>{escape(local_id)}</b>"
        + (f" &nbsp;<span style='color:#607d8b'>{escape(subtitle)}</span>" if subtitle else "")
        + "</p>",
        _facts_table(facts),
        _dimensions(record),
        _gate(record),
        _unrecognised(record.unrecognised),
        _text_section("Research question", record.research_question),
        _text_section("Abstract", record.abstract),
        _section_table("Correction record", record.correction_record),
        _section_table("Provenance", record.provenance),
        _benchmarks(record.benchmarks),
        _references(record.references),
    ]
    return "\n".join(part for part in parts if part)


def _facts(record: SynthesisRecord) -> list[tuple[str, str | None]]:
    verification = record.verification
    tier = record.quality_tier
    counts = [
        f"{count} {what}"
        for count, what in ((record.claims_extracted, "extracted"),
                            (record.claims_verified, "verified"))
        if count is not None
    ]  # fmt: skip
    claims = ", ".join(counts) or None
    return [
        ("Record id", record.record_id),
        ("Publisher", record.publisher),
        ("Date", record.date.isoformat() if record.date else None),
        ("Authors", ", ".join(record.authors) or None),
        ("Year", str(record.year) if record.year else None),
        ("Review score", f"{record.review_score:g} / 10" if record.review_score is not None
         else None),
        ("Verification", ", ".join(v for v in (verification.level, verification.label) if v)
         if verification else None),
        ("Source-grounded claims", _or_none(verification.source_grounded_claims)
         if verification else None),
        ("Quality tier", tier.tier if tier else None),
        ("Tier basis", tier.basis if tier else None),
        ("Papers retrieved", _or_none(record.papers_retrieved)),
        ("Claims", claims),
    ]  # fmt: skip


def _facts_table(rows: Iterable[tuple[str, str | None]]) -> str:
    cells = [
        f'<tr><td class="label">{escape(label)}</td><td>{escape(value)}</td></tr>'
        for label, value in rows
        if value
    ]
    return f'<table cellspacing="0" cellpadding="2">{"".join(cells)}</table>' if cells else ""


def _dimensions(record: SynthesisRecord) -> str:
    dims = record.quality_dimensions
    if dims is None:
        return ""
    rows = []
    for name in QUALITY_DIMENSIONS:
        level: Level | None = getattr(dims, name)
        shown = badge(level.value, LEVEL_COLOURS[level]) if level else badge("—", MISSING_COLOUR)
        rows.append(f'<tr><td class="label">{name.replace("_", " ").capitalize()}</td>'
                    f"<td>{shown}</td></tr>")  # fmt: skip
    return f'<h3>Quality dimensions</h3><table cellpadding="2">{"".join(rows)}</table>'


def _gate(record: SynthesisRecord) -> str:
    gate = record.gate
    if gate is None:
        return ""
    colour = "#2e7d32" if (gate.status or "").casefold() == "verified" else "#c62828"
    status = badge(gate.status or "unknown", colour)
    rows = _facts_table([("Gate", gate.gate), ("Reason", gate.reason),
                         ("Evaluated", gate.evaluated)])  # fmt: skip
    return f"<h3>Gate verdict &nbsp;{status}</h3>{rows}"


def _text_section(title: str, text: str | None) -> str:
    return f"<h3>{escape(title)}</h3><p>{escape(text)}</p>" if text else ""


def _section_table(title: str, section: object | None) -> str:
    if section is None:
        return ""
    rows = [
        (name.replace("_", " ").capitalize(), _or_none(value))
        for name, value in vars(section).items()
    ]
    table = _facts_table(rows)
    return f"<h3>{escape(title)}</h3>{table}" if table else ""


def _benchmarks(benchmarks: tuple[Benchmark, ...]) -> str:
    if not benchmarks:
        return ""
    head = "".join(f"<th>{h}</th>" for h in ("Task", "Dataset", "Metric", "Result", "Rank"))
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{escape(_or_dash(v))}</td>"
            for v in (b.task, b.dataset, b.metric, b.result, b.rank)
        )
        + "</tr>"
        for b in benchmarks
    )
    return (
        f"<h3>Benchmarks ({len(benchmarks)})</h3>"
        f'<table class="grid" border="1" cellspacing="0" cellpadding="3"'
        f' style="border-color:#cfd8dc; border-style:solid;"><tr>{head}</tr>{rows}</table>'
    )


def _unrecognised(items: tuple[Unrecognised, ...]) -> str:
    """Content kept but not read as a field, and flagged readings: shown, never hidden."""
    if not items:
        return ""
    rows = "".join(
        f"<tr><td>{escape(item.section)}</td><td>{escape(item.text)}</td>"
        f"<td>{escape(item.note or 'not recognised')}</td></tr>"
        for item in items
    )
    head = "".join(f"<th>{h}</th>" for h in ("Where", "Text", "Why"))
    return (
        f"<h3 style='color:{LEVEL_COLOURS[Level.MEDIUM]}'>"
        f"Kept but not recognised ({len(items)})</h3>"
        f'<table class="grid" border="1" cellspacing="0" cellpadding="3"'
        f' style="border-color:#cfd8dc; border-style:solid;"><tr>{head}</tr>{rows}</table>'
    )


def _references(references: tuple[Reference, ...]) -> str:
    if not references:
        return ""
    items = "".join(
        f'<li><a href="{escape(ref.url, quote=True)}">{escape(_reference_label(ref))}</a></li>'
        for ref in references
    )
    return f"<h3>References ({len(references)})</h3><ul>{items}</ul>"


def _reference_label(reference: Reference) -> str:
    if reference.arxiv_id is None:
        return reference.url
    version = f"v{reference.arxiv_version}" if reference.arxiv_version else ""
    return f"arXiv:{reference.arxiv_id}{version}"


def _or_none(value: object) -> str | None:
    return None if value is None else str(value)


def _or_dash(value: object) -> str:
    return "—" if value is None else str(value)
