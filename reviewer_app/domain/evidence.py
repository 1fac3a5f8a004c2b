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

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple


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


def from_web_annotation(document: dict[str, Any]) -> EvidenceSpan:
    """Read back what ``to_web_annotation`` wrote; raises ValueError naming what is wrong."""
    try:
        body = document["body"]
        target = document["target"]
        selectors = {s["type"]: s for s in target["selector"]}
        quote = selectors["TextQuoteSelector"]
        position = selectors["TextPositionSelector"]
        pdf = selectors["PdfQuadSelector"]
        source = str(target["source"])
        if not source.startswith("urn:sha256:"):
            raise ValueError(f"target source {source!r} is not a urn:sha256: name")
        page = int(pdf["page"])
        return EvidenceSpan(
            id=str(document["id"]).removeprefix("urn:uuid:"),
            record_id=str(body["claim"]["record"]),
            claim_position=int(body["claim"]["position"]),
            claim_text=body["claim"].get("text"),
            reviewer=str(body["reviewer"]),
            source_sha256=source.removeprefix("urn:sha256:"),
            stance=Stance(body["stance"]),
            note=body.get("value") or None,
            page=page,
            quads=tuple(parse_quad(q) for q in pdf["quads"]),
            continuation=continuation_of(pdf.get("continuation", ()), after=page),
            exact=str(quote["exact"]),
            prefix=str(quote.get("prefix", "")),
            suffix=str(quote.get("suffix", "")),
            start=int(position["start"]),
            end=int(position["end"]),
            created_at=datetime.fromisoformat(document["created"]),
        )
    except (KeyError, TypeError) as exc:
        raise ValueError(f"annotation is missing {exc}") from None


def continuation_of(items: Any, *, after: int) -> tuple[SpanPage, ...]:
    """``[{"page": n, "quads": [...]}, ...]`` as span pages; raises ValueError unless every
    page has quads and the pages come after page ``after`` in increasing order."""
    if not isinstance(items, list | tuple):
        raise ValueError(f"continuation is a list of pages, not {type(items).__name__}")
    pages: list[SpanPage] = []
    previous = after
    for item in items:
        try:
            page = int(item["page"])
            quads = tuple(parse_quad(q) for q in item["quads"])
        except (KeyError, TypeError):
            raise ValueError("a continuation page needs a page number and quads") from None
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
    parser of quads: the PDF layer, storage and the bundle codec all read them through it."""
    if not isinstance(values, list | tuple):
        raise ValueError(f"a quad is a list of 8 numbers, not {values!r}")
    try:
        a, b, c, d, e, f, g, h = (float(v) for v in values)
    except TypeError:
        raise ValueError(f"a quad is a list of 8 numbers, not {values!r}") from None
    except ValueError:
        if len(values) == 8:  # a value that is no number
            raise ValueError(f"a quad is a list of 8 numbers, not {values!r}") from None
        raise ValueError(f"a quad has 8 numbers, not {len(values)}") from None
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
