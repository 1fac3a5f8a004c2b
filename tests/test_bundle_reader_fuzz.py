"""Hypothesis against the bundle reader: deep nesting, lone surrogates and impossible dates,
in the envelope and in validly signed members. Every outcome is a clear ``BundleError`` (or an
accepted bundle); never a RecursionError, UnicodeEncodeError, OverflowError or any traceback,
and a refused bundle changes neither the workspace nor the known signers."""

from __future__ import annotations

import contextlib
import copy
import json
import os
import time
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from reviewer_app.bundles import (
    ENVELOPE_NAMES,
    BundleError,
    JsonTrustStore,
    ReviewerKeys,
    open_bundle,
    verify_bundle,
    write_bundle,
)
from reviewer_app.bundles.format import MAX_JSON_DEPTH, parse_json
from reviewer_app.credentials import CredentialStore
from reviewer_app.services.bundles import BundleService
from reviewer_app.storage.database import Database
from tests.bundle_db_support import (
    REPORT,
    add_sheet,
    add_span,
    add_verdict,
    import_samples,
    table_counts,
)
from tests.bundle_support import rewrite_zip

RECORD = "RPT-60A47641"
REVIEW = "reviews/RPT-60A47641.json"
TIME_KEYS = frozenset({"created", "computed", "attached", "sr:removed"})
FUZZ = settings(
    # 40 per test in the suite; REVIEWER_FUZZ_EXAMPLES=1000 for a longer hunt
    max_examples=int(os.environ.get("REVIEWER_FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- strategies ---------------------------------------------------------------------------

depths = st.integers(min_value=MAX_JSON_DEPTH - 2, max_value=5000)


@st.composite
def deep_json(draw: st.DrawFn) -> bytes:
    """Arrays/objects nested ``depth`` deep, closed or not, with strings holding brackets."""
    depth = draw(depths)
    opener, closer = draw(st.sampled_from([("[", "]"), ('{"a":', "}"), ('[{"b":', "}]")]))
    inner = draw(st.sampled_from(['"[[[{"', "1", "null", '"x"']))
    closed = draw(st.booleans())
    return (opener * depth + inner + (closer * depth if closed else "")).encode()


lone_surrogates = st.integers(min_value=0xD800, max_value=0xDFFF).map(chr)


@st.composite
def surrogate_text(draw: st.DrawFn) -> str:
    """Text with at least one lone surrogate somewhere in it."""
    before = draw(st.text(max_size=8))
    after = draw(st.text(max_size=8))
    return before + draw(lone_surrogates) + after


@st.composite
def impossible_times(draw: st.DrawFn) -> str:
    """Time-shaped text, mostly impossible: Feb 30, month 13, hour 25, offsets past year 1."""
    year = draw(st.sampled_from([1, 2025, 2026, 2028, 9999]) | st.integers(0, 9999))
    month = draw(st.integers(0, 13))
    day = draw(st.integers(0, 39))
    hour, minute, second = (
        draw(st.integers(0, 25)),
        draw(st.integers(0, 61)),
        draw(st.integers(0, 61)),
    )
    zone = draw(
        st.sampled_from(["Z", "+00:00", "+23:59", "-23:59", "+01:00", "-01:00", "+24:00", "+99:99"])
    )
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}{zone}"


# --- helpers ------------------------------------------------------------------------------


def ascii_json(value: Any) -> bytes:
    """JSON with every non-ASCII character escaped, so lone surrogates become ``\\udXXX``."""
    return json.dumps(value, ensure_ascii=True, sort_keys=True).encode("ascii")


def replace_strings(value: Any, pick: Callable[[str, str], str | None], key: str = "") -> Any:
    """``value`` with each string for which ``pick(key, text)`` gives a replacement replaced."""
    if isinstance(value, dict):
        return {k: replace_strings(v, pick, k) for k, v in value.items()}
    if isinstance(value, list):
        return [replace_strings(v, pick, key) for v in value]
    if isinstance(value, str):
        replacement = pick(key, value)
        return value if replacement is None else replacement
    return value


def members_of(bundle: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(bundle) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n not in ENVELOPE_NAMES}


@pytest.fixture
def signed(tmp_path: Path, memory_keyring) -> tuple[Path, ReviewerKeys]:
    """A good bundle signed by zed: a verdict with a note, a sheet and a span of zed's."""
    source = Database.open(tmp_path / "source.sqlite3")
    import_samples(source, REPORT)
    with source.transaction() as session:
        add_verdict(session, RECORD, 1, "zed", "supports", minutes=1, reason="a reason")
        add_sheet(session, RECORD, "zed", minutes=2)
        add_span(session, RECORD, 1, "zed", minutes=3)
    out = tmp_path / "good.zip"
    service = BundleService(source, trust=JsonTrustStore(tmp_path / "zed-trust.json"))
    service.export([RECORD], out, reviewer="zed", created=datetime(2026, 4, 2, tzinfo=UTC))
    source.close()
    return out, ReviewerKeys.load("zed", CredentialStore())


@pytest.fixture
def target(tmp_path: Path) -> Database:
    database = Database.open(tmp_path / "target.sqlite3")
    yield database
    database.close()


def resign(bundle: Path, keys: ReviewerKeys, members: dict[str, bytes], out: Path) -> Path:
    """The changed members in a new, validly signed bundle (the manifest covers them)."""
    return write_bundle(out, members, app_version="0.1.0", reviewer="zed", signer=keys)


def import_refuses_cleanly(database: Database, bundle: Path, trust_path: Path) -> bool:
    """Verify and import; True when refused. Any exception but BundleError fails the test."""
    service = BundleService(database, trust=JsonTrustStore(trust_path))
    before_rows, before_trust = table_counts(database), JsonTrustStore(trust_path).snapshot()
    try:
        service.verify(bundle)
        service.import_bundle(bundle)
    except BundleError as exc:
        assert str(bundle) in str(exc) and exc.reason
        assert table_counts(database) == before_rows
        assert JsonTrustStore(trust_path).snapshot() == before_trust
        return True
    return False


# --- the envelope -------------------------------------------------------------------------


@FUZZ
@given(data=deep_json(), where=st.sampled_from(["manifest.json", "signer.json"]))
def test_deep_nesting_in_the_envelope_is_refused(
    signed: tuple[Path, ReviewerKeys], tmp_path: Path, data: bytes, where: str
) -> None:
    bundle = tmp_path / "deep.zip"
    bundle.write_bytes(signed[0].read_bytes())
    rewrite_zip(bundle, replace={where: data})
    trust = JsonTrustStore(tmp_path / "trust.json")
    try:
        verify_bundle(bundle, trust)
    except BundleError as exc:
        assert where.removesuffix(".json") in exc.reason  # "manifest.json: ...", "the manifest ..."
    else:  # only a depth the limit allows can be read at all
        assert data.count(b"[") + data.count(b"{") <= MAX_JSON_DEPTH + 1


@FUZZ
@given(text=surrogate_text(), field=st.sampled_from(["reviewer", "fingerprint", "public_key"]))
def test_lone_surrogates_in_the_signer_file_are_refused(
    signed: tuple[Path, ReviewerKeys], tmp_path: Path, text: str, field: str
) -> None:
    bundle = tmp_path / "s.zip"
    bundle.write_bytes(signed[0].read_bytes())
    signer = json.loads(zipfile.ZipFile(signed[0]).read("signer.json"))
    rewrite_zip(bundle, replace={"signer.json": ascii_json({**signer, field: text})})
    with pytest.raises(BundleError, match=r"signer\.json"):
        open_bundle(bundle)


@FUZZ
@given(moment=impossible_times())
def test_impossible_manifest_times_are_refused_or_real(
    signed: tuple[Path, ReviewerKeys], tmp_path: Path, moment: str
) -> None:
    bundle = tmp_path / "t.zip"
    bundle.write_bytes(signed[0].read_bytes())
    manifest = json.loads(zipfile.ZipFile(signed[0]).read("manifest.json"))
    rewrite_zip(bundle, replace={"manifest.json": ascii_json({**manifest, "created": moment})})
    try:
        open_bundle(bundle)
    except BundleError as exc:
        assert "manifest.json" in exc.reason
    else:
        if moment.endswith("Z"):
            datetime.fromisoformat(moment.replace("Z", "+00:00"))  # a real moment


# --- validly signed members ---------------------------------------------------------------


@FUZZ
@given(data=deep_json(), which=st.sampled_from([0, 1, 2, 3, 4]))
def test_deep_nesting_in_a_signed_member_is_refused(
    signed: tuple[Path, ReviewerKeys], target: Database, tmp_path: Path, data: bytes, which: int
) -> None:
    bundle, keys = signed
    members = members_of(bundle)
    names = sorted(n for n in members if n.endswith((".json", ".jsonld")))
    name = names[which % len(names)]
    changed = resign(bundle, keys, {**members, name: data}, tmp_path / "deep-member.zip")
    refused = import_refuses_cleanly(target, changed, tmp_path / "trust.json")
    # provenance and the RO-Crate are never read by an import; a broken work signature
    # vouches for nothing, and the bundle's own signature still covers zed's rows
    assert refused or name.startswith(("provenance", "ro-crate", "attestations/"))


@FUZZ
@given(text=surrogate_text(), which=st.integers(0, 200))
def test_lone_surrogates_in_a_signed_member_are_refused(
    signed: tuple[Path, ReviewerKeys], target: Database, tmp_path: Path, text: str, which: int
) -> None:
    bundle, keys = signed
    members = members_of(bundle)
    review = json.loads(members[REVIEW])
    count = iter(range(10_000))
    edited = replace_strings(review, lambda key, value: text if next(count) == which else None)
    if edited == review:  # fewer strings than ``which``: put it in the note of the verdict
        edited["claims"][0]["verdicts"][0]["note"] = text
    changed = resign(bundle, keys, {**members, REVIEW: ascii_json(edited)}, tmp_path / "s.zip")
    assert import_refuses_cleanly(target, changed, tmp_path / "trust.json")


@FUZZ
@given(moment=impossible_times(), member=st.sampled_from([REVIEW, "annotations"]))
def test_impossible_times_in_a_signed_member_are_refused_or_real(
    signed: tuple[Path, ReviewerKeys], target: Database, tmp_path: Path, moment: str, member: str
) -> None:
    bundle, keys = signed
    members = members_of(bundle)
    name = next(n for n in members if n.startswith(member))
    document = json.loads(members[name])
    edited = replace_strings(document, lambda key, value: moment if key in TIME_KEYS else None)
    changed = resign(bundle, keys, {**members, name: ascii_json(edited)}, tmp_path / "t.zip")
    if not import_refuses_cleanly(target, changed, tmp_path / "trust.json"):
        parsed = datetime.fromisoformat(moment.replace("Z", "+00:00"))
        assert parsed.tzinfo is not None  # accepted only as a real, zoned moment


@FUZZ
@given(data=st.binary(max_size=64) | deep_json())
def test_parse_json_raises_only_value_errors(data: bytes) -> None:
    with contextlib.suppress(ValueError):
        parse_json(data)


def test_the_three_reported_crashes_are_clear_refusals(
    signed: tuple[Path, ReviewerKeys], target: Database, tmp_path: Path
) -> None:
    bundle, keys = signed
    members = members_of(bundle)
    review = json.loads(members[REVIEW])
    nested = b"[" * 1000 + b"]" * 1000
    note = {**review}
    note["claims"][0]["verdicts"][0]["note"] = "\ud800"
    date = json.loads(members[REVIEW])
    date["claims"][0]["verdicts"][0]["created"] = "2026-02-30T10:00:00Z"
    cases = {
        "nested manifest": (None, {"manifest.json": nested}, "nested more than 32 levels"),
        "nested member": ({REVIEW: nested}, None, "nested more than 32 levels"),
        "surrogate note": ({REVIEW: ascii_json(note)}, None, "lone surrogate"),
        "impossible date": ({REVIEW: ascii_json(date)}, None, "2026-02-30"),
    }
    for label, (payload, envelope, expected) in cases.items():
        out = tmp_path / f"{label.replace(' ', '-')}.zip"
        if payload is not None:
            resign(bundle, keys, {**members, **payload}, out)
        else:
            out.write_bytes(bundle.read_bytes())
            rewrite_zip(out, replace=envelope)
        with pytest.raises(BundleError, match=expected):
            BundleService(target, trust=JsonTrustStore(tmp_path / "t.json")).import_bundle(out)


# --- random mutations, each input bounded in time -----------------------------------------

MUTANTS = settings(
    FUZZ,
    # about 15 ms each: 100 per test in the suite; REVIEWER_FUZZ_EXAMPLES=2000 for a longer hunt
    max_examples=int(os.environ.get("REVIEWER_FUZZ_EXAMPLES", "100")),
    # ms per input: a hang guard (verify and import of this bundle take about 30 ms)
    deadline=2000,
    derandomize=True,
    database=None,  # derandomized: the same examples each run, nothing written to the checkout
)


class Raw(str):
    """A JSON number literal written as is: ``1e400`` reads back as infinity, a 5,000-digit
    integer is past Python's int-from-text limit, ``-0`` and ``1.0`` are integers to a schema."""


RAW_LITERALS = ["1e400", "-1e400", "1" * 5000, "-0", "1.0", "1E2", "2147483648", "1e-400"]
byte_edits = st.lists(
    st.tuples(
        st.sampled_from(["flip", "insert", "delete", "overwrite", "truncate"]),
        st.floats(0, 1),
        st.binary(min_size=1, max_size=16),
    ),
    min_size=1,
    max_size=4,
)
hostile_values = st.one_of(
    st.sampled_from(RAW_LITERALS).map(Raw),
    st.sampled_from(
        [10**400, -(10**400), 2**31, 2**63, -1, 0, True, None, "", [], {}, [0.0] * 8, [[0.0] * 8]]
    ),
    st.sampled_from(["urn:sha256:" + "0" * 64, "urn:uuid:x", "supports", "PdfQuadSelector"]),
    impossible_times(),
    surrogate_text(),
    st.builds(lambda depth: json.loads("[" * depth + "]" * depth), st.integers(1, 40)),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(st.text(max_size=8), children, max_size=3)
        ),
        max_leaves=8,
    ),
)
hostile_numbers = st.one_of(
    st.sampled_from(RAW_LITERALS).map(Raw),
    st.sampled_from([10**400, -(10**400), 2**31, 2**63, -1, 0.5, True, "3", None]),
    st.integers() | st.floats(allow_nan=False, allow_infinity=False),
)
field_edits = st.lists(
    st.one_of(
        st.tuples(st.floats(0, 1), st.sampled_from(["drop", "replace"]), hostile_values),
        # a number replaced by one no page, offset, quad or score can be
        st.tuples(st.floats(0, 1), st.just("number"), hostile_numbers),
    ),
    min_size=1,
    max_size=3,
)


def edit_bytes(data: bytes, edits: list[tuple[str, float, bytes]]) -> bytes:
    """``data`` with each byte-level edit applied at the fraction ``at`` of its length."""
    for kind, at, chunk in edits:
        cut = int(at * len(data))
        if kind == "flip" and data:
            cut = min(cut, len(data) - 1)
            data = data[:cut] + bytes([data[cut] ^ (chunk[0] or 0xFF)]) + data[cut + 1 :]
        elif kind == "insert":
            data = data[:cut] + chunk + data[cut:]
        elif kind == "delete":
            data = data[:cut] + data[cut + len(chunk) :]
        elif kind == "overwrite":
            data = data[:cut] + chunk + data[cut + len(chunk) :]
        else:
            data = data[:cut]
    return data


def _json_paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _json_paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _json_paths(child, (*prefix, index))
    return found


def _at(document: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        document = document[key]
    return document


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def edit_fields(document: Any, edits: list[tuple[float, str, Any]]) -> bytes:
    """The JSON ``document`` with fields dropped or replaced (``number``: a number replaced), as
    bytes: ``Raw`` values as their literal text, other strings ASCII-escaped so lone surrogates
    get through."""
    data = copy.deepcopy(document)
    for at, kind, value in edits:
        paths = [path for path in _json_paths(data) if path]
        if kind == "number":
            paths = [path for path in paths if _is_number(_at(data, path))] or paths
        if not paths:
            break
        *parents, last = paths[int(at * (len(paths) - 1))]
        parent = data
        for key in parents:
            parent = parent[key]
        if kind == "drop" and isinstance(parent, dict):
            del parent[last]
        else:
            parent[last] = copy.deepcopy(value)
    return raw_json(data)


def raw_json(document: Any) -> bytes:
    """``ascii_json`` of ``document``, with each ``Raw`` value written as its literal text."""
    raws: list[str] = []

    def placeholder(value: Any) -> Any:
        if isinstance(value, Raw):
            raws.append(str(value))
            return f"@@raw{len(raws) - 1}@@"
        if isinstance(value, dict):
            return {k: placeholder(v) for k, v in value.items()}
        if isinstance(value, list):
            return [placeholder(v) for v in value]
        return value

    text = json.dumps(placeholder(document), ensure_ascii=True)
    for index, literal in enumerate(raws):
        text = text.replace(f'"@@raw{index}@@"', literal)
    return text.encode("ascii")


def refused_or_accepted_quickly(database: Database, bundle: Path, trust_path: Path) -> bool:
    """``import_refuses_cleanly`` under an explicit bound as well as Hypothesis's deadline."""
    began = time.perf_counter()
    refused = import_refuses_cleanly(database, bundle, trust_path)
    assert time.perf_counter() - began < 2.0, "one mutant took over 2 s to verify and import"
    event("refused" if refused else "accepted")  # see --hypothesis-show-statistics
    return refused


@MUTANTS
@given(
    edits=byte_edits,
    where=st.sampled_from(["the zip", "a member", "the manifest"]),
    pick=st.integers(0, 99),
)
def test_random_byte_mutations_are_accepted_or_refused_clearly(
    signed: tuple[Path, ReviewerKeys],
    target: Database,
    tmp_path: Path,
    edits: list[tuple[str, float, bytes]],
    where: str,
    pick: int,
) -> None:
    """Bytes changed in the zip itself (no signature can cover that), in one member of a bundle
    then validly signed again (so the parsers behind the signature check are reached), or in
    the manifest (the signature then covers something else)."""
    bundle, keys = signed
    mutant = tmp_path / "bytes.zip"
    if where == "the zip":
        mutant.write_bytes(edit_bytes(bundle.read_bytes(), edits))
    elif where == "a member":
        members = members_of(bundle)
        name = sorted(members)[pick % len(members)]
        resign(bundle, keys, {**members, name: edit_bytes(members[name], edits)}, mutant)
    else:
        mutant.write_bytes(bundle.read_bytes())
        manifest = zipfile.ZipFile(bundle).read("manifest.json")
        rewrite_zip(mutant, replace={"manifest.json": edit_bytes(manifest, edits)})
    refused_or_accepted_quickly(target, mutant, tmp_path / "trust.json")


@MUTANTS
@given(
    edits=field_edits,
    pick=st.integers(0, 99),
    envelope=st.sampled_from([None, "manifest.json", "signer.json"]),
)
def test_random_json_field_mutations_are_accepted_or_refused_clearly(
    signed: tuple[Path, ReviewerKeys],
    target: Database,
    tmp_path: Path,
    edits: list[tuple[float, str, Any]],
    pick: int,
    envelope: str | None,
) -> None:
    """Fields of one JSON member dropped or replaced (NaN, 1e400, 10**400, wrong types, nested
    garbage, impossible times, lone surrogates) and the bundle validly signed again; or fields
    of the manifest or signer file changed in place."""
    bundle, keys = signed
    mutant = tmp_path / "fields.zip"
    if envelope is None:
        members = members_of(bundle)
        names = sorted(n for n in members if n.endswith((".json", ".jsonld")))
        annotations = next(n for n in names if n.startswith("annotations/"))
        # the annotations and the review are where evidence is read: pick them more often
        name = [*names, annotations, annotations, REVIEW][pick % (len(names) + 3)]
        changed = edit_fields(json.loads(members[name]), edits)
        resign(bundle, keys, {**members, name: changed}, mutant)
    else:
        mutant.write_bytes(bundle.read_bytes())
        document = json.loads(zipfile.ZipFile(bundle).read(envelope))
        rewrite_zip(mutant, replace={envelope: edit_fields(document, edits)})
    refused_or_accepted_quickly(target, mutant, tmp_path / "trust.json")


def test_numbers_no_float_holds_are_clear_refusals(
    signed: tuple[Path, ReviewerKeys], target: Database, tmp_path: Path
) -> None:
    """What the random mutations found: ``1e400`` in a part of an annotation nothing checks (its
    ``@context``) reached the work-row digest as infinity (ValueError from json.dumps, out of
    ``verify``); a quad coordinate of ``10**400`` raised OverflowError in the codec; ``1e400``
    in a quad was taken as an infinite coordinate."""
    bundle, keys = signed
    members = members_of(bundle)
    name = next(n for n in members if n.startswith("annotations/"))

    def annotations_with(change: Callable[[dict[str, Any]], None]) -> bytes:
        document = json.loads(members[name])
        change(document["first"]["items"][0])
        return raw_json(document)

    def quad_selector(item: dict[str, Any]) -> dict[str, Any]:
        return next(s for s in item["target"]["selector"] if s["type"] == "PdfQuadSelector")

    cases: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
        "1e400 in @context": (
            lambda item: item["@context"].__setitem__(1, Raw("1e400")),
            r"the number 1e400 is too large for a float",
        ),
        "-1e400 in a quad": (
            lambda item: quad_selector(item)["quads"][0].__setitem__(0, Raw("-1e400")),
            r"the number -1e400 is too large for a float",
        ),
        "10**400 in a quad": (
            lambda item: quad_selector(item)["quads"][0].__setitem__(3, 10**400),
            r"annotation 1: PdfQuadSelector quads: .*finite numbers, not an integer of about 401",
        ),
    }
    for label, (change, expected) in cases.items():
        out = tmp_path / f"{label.replace(' ', '-')}.zip"
        resign(bundle, keys, {**members, name: annotations_with(change)}, out)
        service = BundleService(target, trust=JsonTrustStore(tmp_path / "t.json"))
        with pytest.raises(BundleError, match=expected):
            service.verify(out)
            service.import_bundle(out)
        assert import_refuses_cleanly(target, out, tmp_path / "trust.json"), label
