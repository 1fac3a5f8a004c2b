"""Hypothesis against the bundle reader: deep nesting, lone surrogates and impossible dates,
in the envelope and in validly signed members. Every outcome is a clear ``BundleError`` (or an
accepted bundle); never a RecursionError, UnicodeEncodeError, OverflowError or any traceback,
and a refused bundle changes neither the workspace nor the known signers."""

from __future__ import annotations

import contextlib
import json
import os
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
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
from tests import bundle_db_support
from tests.bundle_db_support import (
    REPORT,
    add_sheet,
    add_span,
    add_verdict,
    import_samples,
    table_counts,
)
from tests.test_bundle_support import rewrite_zip

memory_keyring = bundle_db_support.memory_keyring
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
