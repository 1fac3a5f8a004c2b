"""Hypothesis against the W3C Web Annotation (JSON-LD) codec of evidence spans.

``from_web_annotation`` promises a ValueError naming the field and what is wrong with it for any
bad input. Random mutations of valid annotations (fields dropped, replaced or added, with any JSON
value, NaN, infinity and integers too large for a float among them) either decode to a span that
is itself well formed, or are refused with that ValueError; never OverflowError, TypeError,
RecursionError or another traceback. Valid spans survive encode -> JSON -> decode unchanged.
Hypothesis's deadline bounds the time per input (a hang guard: a decode takes microseconds).
"""

from __future__ import annotations

import copy
import json
import math
import os
import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewer_app.domain.evidence import (
    MAX_INDEX,
    AnchoredTarget,
    EvidenceSpan,
    SpanPage,
    Stance,
    from_web_annotation,
    to_web_annotation,
    with_anchored_targets,
)

FUZZ = settings(
    # a decode takes microseconds: 300 per test in the suite; REVIEWER_FUZZ_EXAMPLES for more
    max_examples=int(os.environ.get("REVIEWER_FUZZ_EXAMPLES", "300")),
    deadline=2000,  # ms per input: a hang guard
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
    database=None,  # derandomized: the same examples each run, nothing written to the checkout
)


def nested(depth: int) -> list[Any]:
    """A list nested ``depth`` deep, built without recursion (``repr`` of it overflows)."""
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


# --- strategies ---------------------------------------------------------------------------

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
quads = st.tuples(*[finite] * 8)
zones = st.integers(-14 * 60, 14 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))
moments = st.datetimes(
    min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1), timezones=zones
)


@st.composite
def spans(draw: st.DrawFn) -> EvidenceSpan:
    """Any span ``to_web_annotation`` can be given: indices over their whole range, any text."""
    page = draw(st.integers(0, MAX_INDEX - 4) | st.integers(0, 20))
    later = draw(st.lists(st.integers(1, 3), max_size=3))
    continuation, at = [], page
    for step in later:
        at += step
        continuation.append(SpanPage(at, tuple(draw(st.lists(quads, min_size=1, max_size=2)))))
    start = draw(st.integers(0, MAX_INDEX) | st.integers(0, 500))
    return EvidenceSpan(
        id=str(draw(st.uuids())),
        record_id=draw(st.text(min_size=1, max_size=20)),
        claim_position=draw(st.integers(1, MAX_INDEX) | st.integers(1, 20)),
        reviewer=draw(st.text(min_size=1, max_size=20)),
        source_sha256=draw(st.text("0123456789abcdef", min_size=64, max_size=64)),
        stance=draw(st.sampled_from(Stance)),
        page=page,
        quads=tuple(draw(st.lists(quads, min_size=0, max_size=3))),
        exact=draw(st.text(max_size=40)),
        prefix=draw(st.text(max_size=20)),
        suffix=draw(st.text(max_size=20)),
        start=start,
        end=draw(st.integers(start, MAX_INDEX) | st.just(start)),
        created_at=draw(moments),
        note=draw(st.none() | st.text(min_size=1, max_size=40)),  # "" is written as no note
        claim_text=draw(st.none() | st.text(max_size=40)),
        continuation=tuple(continuation),
    )


HOSTILE = [
    math.inf,
    -math.inf,
    math.nan,
    10**400,
    -(10**400),
    2**31,
    2**63,
    -1,
    0,
    1,
    1.0,
    2.5,
    True,
    False,
    None,
    "",
    "3",
    "inf",
    "NaN",
    "urn:sha256:",
    "TextQuoteSelector",
    "PdfQuadSelector",
    "2026-02-30T10:00:00Z",
    "2026-03-01T09:00:00",
    [],
    {},
    [1.0] * 7,
    [math.nan] * 8,
    [10**400] * 8,
    [[0.0] * 8],
    [{"page": 1, "quads": [[0.0] * 8]}],
]
json_values = st.one_of(
    st.sampled_from(HOSTILE).map(copy.deepcopy),  # a fresh copy: mutations may change it
    st.builds(nested, st.just(3000)),
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=True, allow_infinity=True)
        | st.text(max_size=20),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=10), children, max_size=3)
        ),
        max_leaves=10,
    ),
)
# a key the codec reads, for an "added field" mutation; anything else is ignored by design
known_keys = st.sampled_from(
    ["continuation", "text", "value", "prefix", "suffix", "page", "quads", "type", "target"]
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into ``value`` down to 10 levels (an annotation is 7 deep)."""
    found = [prefix]
    if len(prefix) >= 10:
        return found
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list) and len(value) < 50:
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


mutations = st.lists(
    st.tuples(
        st.floats(0, 1),
        st.sampled_from(["drop", "replace", "replace", "add"]),
        json_values,
        known_keys | st.text(max_size=8),
    ),
    min_size=1,
    max_size=3,
)


SELECTOR_TYPES = ("TextQuoteSelector", "TextPositionSelector", "PdfQuadSelector")


def mutate(
    document: dict[str, Any], changes: list[tuple[float, str, Any, str]]
) -> tuple[Any, set[str]]:
    """``document`` (a copy) with the changes applied, and the names that may be blamed: the
    keys on each changed path and the type of each selector changed."""
    data: Any = copy.deepcopy(document)
    names = {"annotation"}
    for at, kind, value, key in changes:
        paths = _paths(data)
        path = paths[int(at * (len(paths) - 1))]
        names.update(str(step) for step in path if isinstance(step, str))
        if "type" in (*path, key):  # a selector retyped: any selector may then be missing
            names.update(SELECTOR_TYPES)
        parent: Any = data
        for step in path[:-1]:
            parent = parent[step]
            if isinstance(parent, dict) and isinstance(parent.get("type"), str):
                names.add(parent["type"])
        if not path:
            data = value
        elif kind == "drop" and isinstance(parent, dict):
            del parent[path[-1]]
        elif kind == "add" and isinstance(parent[path[-1]], dict):
            names.add(key)
            parent[path[-1]][key] = value
        else:
            parent[path[-1]] = value
    return data, names


def assert_well_formed(span: EvidenceSpan) -> None:
    """A decoded span holds only what a span may hold, and encodes back to itself."""
    for page in span.pages:
        assert type(page.page) is int and 0 <= page.page <= MAX_INDEX
        assert all(type(c) is float and math.isfinite(c) for q in page.quads for c in q)
        assert all(len(q) == 8 for q in page.quads)
    assert [p.page for p in span.pages] == sorted({p.page for p in span.pages})
    assert type(span.start) is int and type(span.end) is int
    assert 0 <= span.start <= span.end <= MAX_INDEX
    assert type(span.claim_position) is int and 1 <= span.claim_position <= MAX_INDEX
    for text in (span.id, span.record_id, span.reviewer, span.exact, span.prefix, span.suffix):
        assert type(text) is str
    assert span.note is None or type(span.note) is str
    assert span.claim_text is None or type(span.claim_text) is str
    assert isinstance(span.stance, Stance)
    assert span.created_at.utcoffset() is not None
    assert from_web_annotation(to_web_annotation(span)) == span


def decode_or_refuse(document: Any, names: set[str]) -> EvidenceSpan | None:
    try:
        span = from_web_annotation(document)
    except ValueError as refusal:
        message = str(refusal)
        assert type(refusal) is ValueError, f"{type(refusal).__name__}: {message}"
        assert 0 < len(message) < 400 and "\n" not in message
        assert any(name and name in message for name in names), (message, names)
        return None
    assert_well_formed(span)
    return span


# --- properties ---------------------------------------------------------------------------


@FUZZ
@given(span=spans())
def test_a_span_survives_encode_json_decode(span: EvidenceSpan) -> None:
    document = json.loads(json.dumps(to_web_annotation(span), allow_nan=False))
    assert from_web_annotation(document) == span
    assert to_web_annotation(from_web_annotation(document)) == to_web_annotation(span)


@FUZZ
@given(span=spans(), changes=mutations)
def test_a_mutated_annotation_decodes_or_is_refused_by_name(
    span: EvidenceSpan, changes: list[tuple[float, str, Any, str]]
) -> None:
    document, names = mutate(to_web_annotation(span), changes)
    decode_or_refuse(document, names)


@FUZZ
@given(span=spans(), field=st.sampled_from(["page", "start", "end", "position"]), bad=st.data())
def test_an_index_that_is_no_whole_number_in_range_is_refused(
    span: EvidenceSpan, field: str, bad: st.DataObject
) -> None:
    value = bad.draw(
        st.floats(allow_nan=True, allow_infinity=True).filter(lambda f: not f.is_integer())
        | st.integers(max_value=-1)
        | st.integers(min_value=MAX_INDEX + 1)
        | st.sampled_from([10**400, True, "3", None, [1], {"a": 1}])
    )
    document = to_web_annotation(span)
    selectors = {s["type"]: s for s in document["target"]["selector"]}
    holder = {
        "page": selectors["PdfQuadSelector"],
        "start": selectors["TextPositionSelector"],
        "end": selectors["TextPositionSelector"],
        "position": document["body"]["claim"],
    }[field]
    holder[field] = value
    with pytest.raises(ValueError, match=field) as refusal:
        from_web_annotation(document)
    assert type(refusal.value) is ValueError


# --- inputs that once failed --------------------------------------------------------------

SPAN = EvidenceSpan(
    id=str(uuid.UUID(int=7)),
    record_id="RPT-60A47641",
    claim_position=1,
    reviewer="ana",
    source_sha256="a" * 64,
    stance=Stance.SUPPORTS,
    page=0,
    quads=((72.0, 700.0, 300.0, 700.0, 72.0, 712.0, 300.0, 712.0),),
    exact="runs over",
    prefix="",
    suffix="",
    start=10,
    end=19,
    created_at=datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
)
QUAD_SELECTOR = ("target", "selector", 3)
POSITION_SELECTOR = ("target", "selector", 1)
# where, key, value, what the message must say
ONCE_FAILED = {
    # OverflowError
    "page inf": (
        QUAD_SELECTOR,
        "page",
        math.inf,
        "PdfQuadSelector page is a whole number, not inf",
    ),
    "page -inf": (QUAD_SELECTOR, "page", -math.inf, "PdfQuadSelector page .* not -inf"),
    "start inf": (POSITION_SELECTOR, "start", math.inf, "TextPositionSelector start .* inf"),
    "quad of 10**400": (QUAD_SELECTOR, "quads", [[10**400] * 8], "quads: .* 401 digits"),
    "continuation page inf": (
        QUAD_SELECTOR,
        "continuation",
        [{"page": math.inf, "quads": [[1.0] * 8]}],
        "continuation page is a whole number, not inf",
    ),
    # a ValueError that named no field
    "page nan": (
        QUAD_SELECTOR,
        "page",
        math.nan,
        "PdfQuadSelector page is a whole number, not nan",
    ),
    "stance unknown": ((), "body", {**to_web_annotation(SPAN)["body"], "stance": "x"}, "stance"),
    "created garbage": (
        (),
        "created",
        "yesterday",
        "annotation created 'yesterday' is not an ISO 8601 time",
    ),
    # TypeError dressed as "annotation is missing ..."
    "created a number": ((), "created", 5, "annotation created is text, not 5"),
    "selector type a list": (("target", "selector", 0), "type", [], "selector 1 type is text"),
    "body a string": ((), "body", "x", "body is an object, not 'x'"),
    # RecursionError from repr/str of a deep value
    "id deeply nested": ((), "id", nested(100_000), "annotation id is text, not a list"),
    "quad deeply nested": (QUAD_SELECTOR, "quads", [nested(100_000)], "a quad has 8 numbers"),
    # silently accepted nonsense
    "page 10**400": (QUAD_SELECTOR, "page", 10**400, "page is an integer of about 401 digits"),
    "page -1": (QUAD_SELECTOR, "page", -1, "PdfQuadSelector page is -1, outside"),
    "page True": (QUAD_SELECTOR, "page", True, "page is a whole number, not True"),
    "page '3'": (QUAD_SELECTOR, "page", "3", "page is a whole number, not '3'"),
    "page 2.7": (QUAD_SELECTOR, "page", 2.7, "page is a whole number, not 2.7"),
    "quad nan": (QUAD_SELECTOR, "quads", [[math.nan] * 8], "coordinates are finite numbers"),
    "quad of strings": (QUAD_SELECTOR, "quads", [["1"] * 8], "a quad is a list of 8 numbers"),
    "end before start": (POSITION_SELECTOR, "end", 3, "end 3 is before its start 10"),
    "id a list": ((), "id", [1], "annotation id is text, not \\[1\\]"),
    "note an object": ((), "body", {**to_web_annotation(SPAN)["body"], "value": {}}, "body value"),
    "naive created": ((), "created", "2026-03-01T09:00:00", "has no time zone"),
}


@pytest.mark.parametrize(
    ("where", "key", "value", "problem"), ONCE_FAILED.values(), ids=ONCE_FAILED
)
def test_inputs_that_once_failed_are_refused_by_name(
    where: tuple[Any, ...], key: str, value: Any, problem: str
) -> None:
    document: Any = to_web_annotation(SPAN)
    holder = document
    for step in where:
        holder = holder[step]
    holder[key] = value
    with pytest.raises(ValueError, match=problem) as refusal:
        from_web_annotation(document)
    assert type(refusal.value) is ValueError


@pytest.mark.parametrize(
    "document", [None, "x", 3, [], nested(100_000)], ids=["null", "text", "number", "list", "deep"]
)
def test_a_document_that_is_no_object_is_refused(document: Any) -> None:
    with pytest.raises(ValueError, match=r"^annotation is an object, not "):
        from_web_annotation(document)


def test_a_list_of_targets_reads_the_file_the_span_was_marked_in() -> None:
    """``with_anchored_targets`` writes one target per file; the first is the marked one."""
    elsewhere = AnchoredTarget("b" * 64, "moved", 2, SPAN.quads, start=40, end=49)
    document = with_anchored_targets(to_web_annotation(SPAN), [elsewhere])
    assert isinstance(document["target"], list) and len(document["target"]) == 2
    assert from_web_annotation(document) == SPAN
