"""Importing damaged, hostile or malformed bundles: a clear error naming the file and the
problem, and not one row of the workspace changed (every table counted before and after)."""

from __future__ import annotations

import json
import stat
import warnings
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reviewer_app.bundles import BundleError, ReviewerKeys, canonical_json, write_bundle
from reviewer_app.services.bundles import BundleService
from reviewer_app.storage.database import Database
from tests.bundle_db_support import (
    RECORD_PAGE,
    REPORT,
    add_sheet,
    add_verdict,
    import_samples,
    populate,
    table_counts,
)
from tests.bundle_support import rewrite_zip

REVIEW = "reviews/RPT-60A47641.json"
RECORD = "records/RPT-60A47641.json"
ANNOTATIONS = "annotations/RPT-60A47641.jsonld"


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    """A good unsigned bundle of two fully reviewed records."""
    source = Database.open(tmp_path / "source.sqlite3")
    populate(source, import_samples(source, REPORT, RECORD_PAGE))
    out = tmp_path / "good.zip"
    BundleService(source).export(
        ["RPT-60A47641", "SRCH:8F12A054"],
        out,
        reviewer="alice",
        allow_unsigned=True,
        created=datetime(2026, 4, 2, tzinfo=UTC),
    )
    source.close()
    return out


@pytest.fixture
def workspace(tmp_path: Path) -> Database:
    """The importing workspace, with local work of its own so "unchanged" means something."""
    database = Database.open(tmp_path / "target.sqlite3")
    (record_id,) = import_samples(database, REPORT)
    with database.transaction() as session:
        add_sheet(session, record_id, "erin", minutes=900, score=3.0)
        add_verdict(session, record_id, 1, "erin", "contradicts", minutes=901)
    yield database
    database.close()


def repacked(bundle: Path, edit: Callable[[dict[str, bytes]], None]) -> Path:
    """The bundle's payload edited, then written as a new intact (unsigned) bundle."""
    with zipfile.ZipFile(bundle) as archive:
        files = {n: archive.read(n) for n in archive.namelist() if n != "manifest.json"}
    edit(files)
    out = bundle.with_name("edited.zip")
    return write_bundle(out, files, app_version="0.1.0", reviewer="mallory", signer=None)


def json_edit(name: str, change: Callable[[dict], None]) -> Callable[[dict[str, bytes]], None]:
    def edit(files: dict[str, bytes]) -> None:
        document = json.loads(files[name])
        change(document)
        files[name] = canonical_json(document)

    return edit


def refused(workspace: Database, bundle: Path, *, allow_unsigned: bool = True) -> str:
    """Import ``bundle`` expecting a refusal; checks no table changed and returns the message."""
    before = table_counts(workspace)
    with pytest.raises(BundleError) as caught:
        BundleService(workspace).import_bundle(bundle, allow_unsigned=allow_unsigned)
    assert table_counts(workspace) == before
    assert str(bundle) in str(caught.value)
    return caught.value.reason


def add_entry(bundle: Path, info: zipfile.ZipInfo | str, data: bytes) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are the point of one test
        with zipfile.ZipFile(bundle, "a", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(info, data)
    return bundle


def test_a_good_bundle_does_import(workspace: Database, exported: Path) -> None:
    """The control: the bundle the hostile cases start from is accepted."""
    before = table_counts(workspace)["score_sheets"]

    BundleService(workspace).import_bundle(exported, allow_unsigned=True)

    assert table_counts(workspace)["score_sheets"] == before + 12  # exactly what the bundle holds


def test_path_traversal_entry(workspace: Database, exported: Path) -> None:
    reason = refused(workspace, add_entry(exported, "../../evil.json", b"{}"))
    assert "'../../evil.json'" in reason and "path traversal" in reason


def test_zip_bomb(workspace: Database, exported: Path) -> None:
    reason = refused(workspace, add_entry(exported, "records/bomb.json", b"0" * (8 << 20)))
    assert "'records/bomb.json'" in reason and "zip bomb" in reason


def test_symlink_entry(workspace: Database, exported: Path) -> None:
    link = zipfile.ZipInfo("records/link.json")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    reason = refused(workspace, add_entry(exported, link, b"/etc/passwd"))
    assert "'records/link.json' is a symbolic link" in reason


def test_duplicate_entry(workspace: Database, exported: Path) -> None:
    reason = refused(workspace, add_entry(exported, RECORD, b"{}"))
    assert f"duplicate entry '{RECORD}'" in reason


def test_truncated_zip(workspace: Database, exported: Path) -> None:
    data = exported.read_bytes()
    exported.write_bytes(data[: len(data) * 2 // 3])
    assert "truncated" in refused(workspace, exported)


@pytest.mark.parametrize(("version", "expected"), [(3, "newer than this app"), (0, "not a format")])
def test_wrong_or_future_format_version(
    workspace: Database, exported: Path, version: int, expected: str
) -> None:
    with zipfile.ZipFile(exported) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    manifest["format_version"] = version
    rewrite_zip(exported, replace={"manifest.json": canonical_json(manifest)})
    assert expected in refused(workspace, exported)


def test_altered_member_is_refused_even_when_unsigned_is_allowed(
    workspace: Database, exported: Path
) -> None:
    rewrite_zip(exported, replace={REVIEW: b'{"record": "forged"}'})
    reason = refused(workspace, exported)
    assert "failed verification" in reason and REVIEW in reason


def test_unexpected_member_is_refused(workspace: Database, exported: Path) -> None:
    rewrite_zip(exported, add={"notes.txt": b"hello"})
    assert "notes.txt is in the bundle but not in the manifest" in refused(workspace, exported)


def test_unsigned_bundle_needs_confirmation(workspace: Database, exported: Path) -> None:
    reason = refused(workspace, exported, allow_unsigned=False)
    assert "not signed" in reason and "--allow-unsigned" in reason


def test_forged_signature_is_refused(workspace: Database, exported: Path) -> None:
    with zipfile.ZipFile(exported) as archive:
        files = {n: archive.read(n) for n in archive.namelist() if n != "manifest.json"}
    signed = write_bundle(
        exported,
        files,
        app_version="0.1.0",
        reviewer="alice",
        signer=ReviewerKeys.generate("alice"),
    )
    with zipfile.ZipFile(signed) as archive:
        manifest = archive.read("manifest.json")
    rewrite_zip(signed, replace={"manifest.json": manifest.replace(b"alice", b"alicf")})
    reason = refused(workspace, signed, allow_unsigned=True)
    assert "manifest.sig" in reason or "signer.json" in reason


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda f: f.__setitem__(REVIEW, b"{not json"), f"{REVIEW} is not valid JSON"),
        (lambda f: f.__setitem__(RECORD, b'{"a": 1, "a": 2}'), "duplicate key"),
        (lambda f: f.__setitem__(REVIEW, b"[NaN]"), "NaN is not valid JSON"),
        (
            json_edit(REVIEW, lambda d: d["score_sheets"][0].update(evidence_strength="HIGHEST")),
            f"{REVIEW}: 'HIGHEST' is not one of",
        ),
        (
            json_edit(REVIEW, lambda d: d["score_sheets"][0].update(review_score=11)),
            f"{REVIEW}: 11 is greater than the maximum of 10",
        ),
        (
            json_edit(REVIEW, lambda d: d["claims"][0]["verdicts"][0].update(reviewer=" ")),
            f"{REVIEW}: ' ' does not match",
        ),
        (
            json_edit(REVIEW, lambda d: d["corrections"]["history"][0].update(what="a\x00b")),
            f"{REVIEW}: a string contains a NUL character",
        ),
        (json_edit(RECORD, lambda d: d.pop("claims")), f"{RECORD}: 'claims' is a required"),
        (json_edit(RECORD, lambda d: d.update(id="RPT-00000000")), "does not match the record"),
        (
            json_edit(ANNOTATIONS, lambda d: d["first"]["items"][0]["target"].update(source="x")),
            f"{ANNOTATIONS}: 'x' does not match",
        ),
        (
            json_edit(
                ANNOTATIONS,
                lambda d: d["first"]["items"][0]["body"]["claim"].update(record="SRCH:8F12A054"),
            ),
            f"{ANNOTATIONS}: annotation 1 is about another record",
        ),
        (
            json_edit(REVIEW, lambda d: d["score_sheets"][0].update(reviewer="zed")),
            f"{REVIEW}: reviewer 'zed' is not listed",
        ),
        (
            json_edit(REVIEW, lambda d: d["tier_results"][0].update(policy_version=9)),
            f"{REVIEW}: tier policy version 9 is not in tier-policies.json",
        ),
        (
            json_edit(REVIEW, lambda d: d.update(record="SRCH:8F12A054")),
            f"{REVIEW}: is about record SRCH:8F12A054",
        ),
        (lambda f: f.pop(ANNOTATIONS), f"{ANNOTATIONS} is missing"),
        (lambda f: f.__setitem__("scripts/run.sh", b"rm -rf /"), "scripts/run.sh: not a part"),
        (lambda f: f.__setitem__("sources/" + "a" * 64 + ".pdf", b"%PDF-1.7"), "does not match"),
        (
            json_edit(REVIEW, lambda d: d["sources"][0].update(included=True)),
            "marked included but is not in sources/",
        ),
    ],
)
def test_malformed_members_are_refused_naming_the_member(
    workspace: Database, exported: Path, edit: Callable[[dict[str, bytes]], None], expected: str
) -> None:
    assert expected in refused(workspace, repacked(exported, edit))
