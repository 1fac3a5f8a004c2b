"""Read a record back from its public JSON: the inverse of ``SynthesisRecord.to_json``.

The JSON is checked against ``record.schema.json`` first, so every refusal says which field is
wrong and why; only then is it turned into the immutable domain objects.
"""

from __future__ import annotations

import functools
import json
from datetime import date
from typing import Any

import jsonschema

from reviewer_app.config import schema_path
from reviewer_app.domain.records import (
    RECORD_SECTIONS,
    Benchmark,
    Claim,
    Level,
    QualityDimensions,
    RecordKind,
    Reference,
    SynthesisRecord,
    Unrecognised,
)
from reviewer_app.errors import ReviewerAppError

RECORD_SCHEMA = "record.schema.json"

# quality_dimensions is read on its own: its levels are names in the JSON
_SECTIONS = {name: cls for name, cls in RECORD_SECTIONS.items() if name != "quality_dimensions"}


class InvalidRecordJson(ReviewerAppError):
    """Record JSON that does not follow ``record.schema.json``; the message says where."""


@functools.cache
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(schema_path(RECORD_SCHEMA).read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)


def record_schema_problem(data: Any) -> str | None:
    """The most relevant violation of ``record.schema.json`` by ``data``, or None."""
    error = jsonschema.exceptions.best_match(_validator().iter_errors(data))
    if error is None:
        return None
    where = error.json_path if error.path else "the top level"
    return f"{error.message} (at {where})"


def record_from_json(data: Any, source: str = "record JSON") -> SynthesisRecord:
    """The record ``data`` describes; ``InvalidRecordJson`` names ``source`` and the problem.

    ``data["id"]`` is the app's id of the record; it must be the id the record itself implies
    (its publisher id, or kind and title), so that a renamed record cannot pose as another.
    """
    problem = record_schema_problem(data)
    if problem:
        raise InvalidRecordJson(f"{source}: {problem}")
    try:
        record = _build(data)
    except ValueError as exc:  # a date the pattern lets through, such as 2025-02-30
        raise InvalidRecordJson(f"{source}: {exc}") from None
    if record.local_id != data["id"]:
        raise InvalidRecordJson(
            f"{source}: id {data['id']!r} does not match the record's own id {record.local_id!r}"
        )
    return record


def _build(data: dict[str, Any]) -> SynthesisRecord:
    dimensions = data["quality_dimensions"]
    return SynthesisRecord(
        kind=RecordKind(data["kind"]),
        title=data["title"],
        source_sha256=data["source_sha256"],
        publisher=data["publisher"],
        date=date.fromisoformat(data["date"]) if data["date"] else None,
        record_id=data["record_id"],
        abstract=data["abstract"],
        research_question=data["research_question"],
        papers_retrieved=data["papers_retrieved"],
        claims_extracted=data["claims_extracted"],
        claims_verified=data["claims_verified"],
        claims=tuple(
            Claim(position=i, text=c["text"], verified=c["verified"], confidence=c["confidence"])
            for i, c in enumerate(data["claims"], start=1)
        ),
        references=tuple(Reference.from_url(url) for url in data["references"]),
        review_score=data["review_score"],
        quality_dimensions=None
        if dimensions is None
        else QualityDimensions(
            **{name: None if v is None else Level(v) for name, v in dimensions.items()}
        ),
        authors=tuple(data["authors"]),
        year=data["year"],
        benchmarks=tuple(Benchmark(**b) for b in data["benchmarks"]),
        # Optional: records exported before unrecognised content was kept have no such key.
        unrecognised=tuple(Unrecognised(**u) for u in data.get("unrecognised", ())),
        **{
            name: None if data[name] is None else cls(**data[name])
            for name, cls in _SECTIONS.items()
        },
    )
