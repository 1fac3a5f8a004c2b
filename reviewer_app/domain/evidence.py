"""Evidence spans and claim verdicts, and their W3C Web Annotation (JSON-LD) form.

A span is kept in forms that survive a new version of the PDF: the pages and quads where it was
marked, the exact quote with prefix and suffix (TextQuoteSelector) and character offsets into the
document's text layer (TextPositionSelector). The source is named by the PDF's SHA-256.

A span that runs over a page break keeps its first page in ``page``/``quads`` (the fields every
consumer of the annotation format reads) and the pages after it in ``continuation``; in JSON-LD
the PdfQuadSelector gains ``continuation`` only for such spans, so one-page spans look exactly as
they always did.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple

from reviewer_app.wording import counted


class Stance(StrEnum):
    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"
    CONTEXT = "context"


class Verdict(StrEnum):
    """SciFact's labels plus the two cases SciFact-Open found."""

    SUPPORTS = "supports"
    SPECIAL_CASE = "special-case"
    CONTRADICTS = "contradicts"
    CONFLICTING = "conflicting"
    NOT_ENOUGH_EVIDENCE = "not-enough-evidence"

    @property
    def needs_evidence(self) -> bool:
        """Every verdict but "not enough evidence" needs a span or a reason why none exists."""
        return self is not Verdict.NOT_ENOUGH_EVIDENCE


VERDICT_LABELS = {
    Verdict.SUPPORTS: "Supports",
    Verdict.SPECIAL_CASE: "Supports only a special case",
    Verdict.CONTRADICTS: "Contradicts",
    Verdict.CONFLICTING: "Conflicting evidence",
    Verdict.NOT_ENOUGH_EVIDENCE: "Not enough evidence",
}

Quad = tuple[float, float, float, float, float, float, float, float]
"""Four corners (ul, ur, ll, lr) as x, y pairs in PDF points, top-left origin (PyMuPDF's)."""

ANNOTATION_CONTEXT: list[Any] = [
    "http://www.w3.org/ns/anno.jsonld",
    {
        "sr": "urn:synthesis-reviewer:terms#",
        "claim": "sr:claim",
        "stance": "sr:stance",
        "reviewer": "sr:reviewer",
        "record": "sr:record",
        "position": "sr:position",
        "PdfQuadSelector": "sr:PdfQuadSelector",
        "page": "sr:page",
        "quads": {"@id": "sr:quads", "@container": "@list"},
        "continuation": {"@id": "sr:continuation", "@container": "@list"},
    },
]


class SpanPage(NamedTuple):
    """A span's quads on one page: one quad per line it touches there. The pdf package's text
    layer and anchoring use the same type (as ``PageAnchor``)."""

    page: int
    """0-based page index in the source PDF."""
    quads: tuple[Quad, ...]

    def to_json(self) -> dict[str, Any]:
        return {"page": self.page, "quads": [list(q) for q in self.quads]}


@dataclass(frozen=True)
class EvidenceSpan:
    id: str
    record_id: str
    claim_position: int
    reviewer: str
    source_sha256: str
    stance: Stance
    page: int
    """0-based page index in the source PDF."""
    quads: tuple[Quad, ...]
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int
    created_at: datetime
    note: str | None = None
    claim_text: str | None = None
    continuation: tuple[SpanPage, ...] = ()
    """The pages after ``page`` that the span runs onto, in page order; empty for a span on
    one page (and for spans stored before continuation pages were kept)."""

    @property
    def pages(self) -> tuple[SpanPage, ...]:
        """Every page the span covers, ``page`` first."""
        return (SpanPage(self.page, self.quads), *self.continuation)


@dataclass(frozen=True)
class ClaimVerdict:
    record_id: str
    claim_position: int
    reviewer: str
    verdict: Verdict
    created_at: datetime
    reason: str | None = None
    note: str | None = None


def to_web_annotation(span: EvidenceSpan) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "TextualBody",
        "purpose": "assessing",
        "format": "text/plain",
        "value": span.note or "",
        "claim": {"record": span.record_id, "position": span.claim_position},
        "stance": span.stance.value,
        "reviewer": span.reviewer,
    }
    if span.claim_text is not None:
        body["claim"]["text"] = span.claim_text
    quad_selector: dict[str, Any] = {
        "type": "PdfQuadSelector",
        "page": span.page,
        "quads": [list(q) for q in span.quads],
    }
    if span.continuation:
        # only multi-page spans carry the key, so one-page annotations keep their old shape
        quad_selector["continuation"] = [part.to_json() for part in span.continuation]
    return {
        "@context": ANNOTATION_CONTEXT,
        "id": f"urn:uuid:{span.id}",
        "type": "Annotation",
        "motivation": "assessing",
        "created": span.created_at.isoformat(),
        "creator": {"type": "Person", "name": span.reviewer},
        "body": body,
        "target": {
            "source": f"urn:sha256:{span.source_sha256}",
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": span.exact,
                    "prefix": span.prefix,
                    "suffix": span.suffix,
                },
                {"type": "TextPositionSelector", "start": span.start, "end": span.end},
                {
                    "type": "FragmentSelector",
                    "conformsTo": "http://tools.ietf.org/rfc/rfc3778",
                    "value": f"page={span.page + 1}",
                },
                quad_selector,
            ],
        },
    }


MAX_INDEX = 2**31 - 1
"""The largest page, claim position or character offset an annotation may carry (the bundle
schema's bound, and what every database integer column holds)."""


def from_web_annotation(document: dict[str, Any]) -> EvidenceSpan:
    """Read back what ``to_web_annotation`` wrote (or, from ``with_anchored_targets``, its first
    target). Raises ValueError naming the field and what is wrong with it, for any input: a
    missing field, a value of the wrong type, a page, position or offset that is no whole number
    in 0..2**31-1 (NaN, infinity, ``10**400``, ``True``, ``"3"``), a quad coordinate that is no
    finite number, an unknown stance, a time that is no zoned ISO 8601 moment, end before start."""
    annotation = _object(document, "annotation")
    body = _object(_field(annotation, "body", "annotation"), "body")
    claim = _object(_field(body, "claim", "body"), "body claim")
    target: Any = _field(annotation, "target", "annotation")
    if isinstance(target, list) and target:  # with_anchored_targets: the marked file first
        target = target[0]
    target = _object(target, "target")
    selectors = _selectors(_field(target, "selector", "target"))
    quote = _selector(selectors, "TextQuoteSelector")
    position = _selector(selectors, "TextPositionSelector")
    pdf = _selector(selectors, "PdfQuadSelector")
    source = _text(_field(target, "source", "target"), "target source")
    if not source.startswith("urn:sha256:"):
        raise ValueError(f"target source {_shown(source)} is not a urn:sha256: name")
    page = _index(_field(pdf, "page", "PdfQuadSelector"), "PdfQuadSelector page")
    start = _index(_field(position, "start", "TextPositionSelector"), "TextPositionSelector start")
    end = _index(_field(position, "end", "TextPositionSelector"), "TextPositionSelector end")
    if end < start:
        raise ValueError(f"TextPositionSelector end {end} is before its start {start}")
    stance = _text(_field(body, "stance", "body"), "body stance")
    if stance not in {s.value for s in Stance}:
        raise ValueError(
            f"body stance {_shown(stance)} is not one of {', '.join(s.value for s in Stance)}"
        )
    quads = _field(pdf, "quads", "PdfQuadSelector")
    if not isinstance(quads, list | tuple):
        raise ValueError(f"PdfQuadSelector quads is a list of quads, not {_shown(quads)}")
    try:
        parsed_quads = tuple(parse_quad(q) for q in quads)
    except ValueError as exc:
        raise ValueError(f"PdfQuadSelector quads: {exc}") from None
    return EvidenceSpan(
        id=_text(_field(annotation, "id", "annotation"), "annotation id").removeprefix("urn:uuid:"),
        record_id=_text(_field(claim, "record", "body claim"), "body claim record"),
        claim_position=_index(
            _field(claim, "position", "body claim"), "body claim position", minimum=1
        ),
        claim_text=_optional_text(claim.get("text"), "body claim text"),
        reviewer=_text(_field(body, "reviewer", "body"), "body reviewer"),
        source_sha256=source.removeprefix("urn:sha256:"),
        stance=Stance(stance),
        note=_optional_text(body.get("value"), "body value") or None,
        page=page,
        quads=parsed_quads,
        continuation=continuation_of(pdf.get("continuation", ()), after=page),
        exact=_text(_field(quote, "exact", "TextQuoteSelector"), "TextQuoteSelector exact"),
        prefix=_optional_text(quote.get("prefix"), "TextQuoteSelector prefix") or "",
        suffix=_optional_text(quote.get("suffix"), "TextQuoteSelector suffix") or "",
        start=start,
        end=end,
        created_at=_moment(_field(annotation, "created", "annotation"), "annotation created"),
    )


def _shown(value: object) -> str:
    """``value`` for an error message: short, and safe for any value (no recursion into deep
    lists, no ``repr`` of an integer too long to print)."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        if value.bit_length() > 64:
            return f"an integer of about {int(value.bit_length() * 0.30103) + 1} digits"
        return repr(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else f"{value[:40]!r}... ({len(value)} characters)"
    if isinstance(value, list | tuple):
        if len(value) <= 8 and all(
            isinstance(v, float | str | bool)
            or v is None
            or (isinstance(v, int) and v.bit_length() <= 64)
            for v in value
        ):
            shown = repr(list(value))
            if len(shown) <= 120:
                return shown
        return f"a list of {counted(len(value), 'item')}"
    if isinstance(value, dict):
        return f"an object with {counted(len(value), 'key')}"
    return f"a {type(value).__name__}"


def _object(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{where} is an object, not {_shown(value)}")
    return value


def _field(container: dict[str, Any], key: str, where: str) -> Any:
    if key not in container:
        raise ValueError(f"{where} is missing {key!r}")
    return container[key]


def _text(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{where} is text, not {_shown(value)}")
    return value


def _optional_text(value: object, where: str) -> str | None:
    return None if value is None else _text(value, where)


def _index(value: object, where: str, *, minimum: int = 0) -> int:
    """A page, position or offset: a whole number (an integral float is one, as in JSON Schema)
    from ``minimum`` to ``MAX_INDEX``; never a bool, a string, NaN or infinity."""
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
        number = int(value)
    if number is None:
        raise ValueError(f"{where} is a whole number, not {_shown(value)}")
    if not minimum <= number <= MAX_INDEX:
        raise ValueError(f"{where} is {_shown(number)}, outside {minimum}..{MAX_INDEX}")
    return number


def _moment(value: object, where: str) -> datetime:
    text = _text(value, where)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{where} {_shown(text)} is not an ISO 8601 time") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{where} {_shown(text)} has no time zone")
    return moment


def _selectors(value: object) -> dict[str, dict[str, Any]]:
    """The target's selectors by type (the last of a type wins, as it always did)."""
    if isinstance(value, dict):
        value = [value]  # W3C allows a single selector object
    if not isinstance(value, list):
        raise ValueError(f"target selector is a list of selectors, not {_shown(value)}")
    found: dict[str, dict[str, Any]] = {}
    for number, item in enumerate(value, start=1):
        selector = _object(item, f"target selector {number}")
        found[
            _text(
                _field(selector, "type", f"target selector {number}"),
                f"target selector {number} type",
            )
        ] = selector
    return found


def _selector(selectors: dict[str, dict[str, Any]], kind: str) -> dict[str, Any]:
    if kind not in selectors:
        raise ValueError(f"target has no {kind}")
    return selectors[kind]


def continuation_of(items: Any, *, after: int) -> tuple[SpanPage, ...]:
    """``[{"page": n, "quads": [...]}, ...]`` as span pages; raises ValueError unless every
    page has quads and the pages come after page ``after`` in increasing order."""
    if not isinstance(items, list | tuple):
        raise ValueError(f"continuation is a list of pages, not {type(items).__name__}")
    pages: list[SpanPage] = []
    previous = after
    for item in items:
        if not isinstance(item, dict) or "page" not in item or "quads" not in item:
            raise ValueError("a continuation page needs a page number and quads")
        page = _index(item["page"], "continuation page")
        if not isinstance(item["quads"], list | tuple):
            raise ValueError(
                f"continuation page {page}: quads is a list of quads, not {_shown(item['quads'])}"
            )
        try:
            quads = tuple(parse_quad(q) for q in item["quads"])
        except ValueError as exc:
            raise ValueError(f"continuation page {page}: {exc}") from None
        if page <= previous:
            raise ValueError(
                f"continuation page {page} does not follow page {previous} "
                "(pages run forward from the first)"
            )
        if not quads:
            raise ValueError(f"continuation page {page} has no quads")
        pages.append(SpanPage(page, quads))
        previous = page
    return tuple(pages)


def parse_quad(values: object) -> Quad:
    """A stored or sent quad (a JSON list of 8 numbers); ValueError saying what is wrong. The one
    parser of quads: the PDF layer, storage and the bundle codec all read them through it. A
    coordinate is a finite real number: not a bool or a string, not NaN or infinity, not an
    integer too large for a float."""
    if not isinstance(values, list | tuple):
        raise ValueError(f"a quad is a list of 8 numbers, not {_shown(values)}")
    if len(values) != 8:
        raise ValueError(f"a quad has 8 numbers, not {len(values)}")
    coordinates: list[float] = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ValueError(f"a quad is a list of 8 numbers, not {_shown(values)}")
        try:
            coordinate = float(value)
        except OverflowError:
            coordinate = math.inf
        if not math.isfinite(coordinate):
            raise ValueError(f"a quad's coordinates are finite numbers, not {_shown(value)}")
        coordinates.append(coordinate)
    a, b, c, d, e, f, g, h = coordinates
    return (a, b, c, d, e, f, g, h)


@dataclass(frozen=True)
class AnchoredTarget:
    """Where a span lies in another file of the same source, after re-anchoring."""

    source_sha256: str
    status: str
    """exact, moved, changed or orphan."""
    page: int | None
    quads: tuple[Quad, ...]
    start: int | None
    end: int | None

    def to_json(self) -> dict[str, Any]:
        selectors: list[dict[str, Any]] = []
        if self.start is not None and self.end is not None:
            selectors.append({"type": "TextPositionSelector", "start": self.start, "end": self.end})
        if self.page is not None:
            selectors += [
                {
                    "type": "FragmentSelector",
                    "conformsTo": "http://tools.ietf.org/rfc/rfc3778",
                    "value": f"page={self.page + 1}",
                },
                {
                    "type": "PdfQuadSelector",
                    "page": self.page,
                    "quads": [list(q) for q in self.quads],
                },
            ]
        return {
            "source": f"urn:sha256:{self.source_sha256}",
            "sr:anchoring": self.status,
            "selector": selectors,
        }


def with_anchored_targets(
    annotation: dict[str, Any], anchored: list[AnchoredTarget]
) -> dict[str, Any]:
    """The annotation with one target per file the span lies in (W3C allows a list): the file
    it was marked in ("exact"), then each later file with how it was found there. Without
    other files the target stays a single object, as before."""
    if not anchored:
        return annotation
    first = {**annotation["target"], "sr:anchoring": "exact"}
    return {**annotation, "target": [first, *(a.to_json() for a in anchored)]}
