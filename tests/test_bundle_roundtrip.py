"""Writing bundles and reading them back: content, manifest, determinism, atomicity, unsigned."""

from __future__ import annotations

import hashlib
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reviewer_app.bundles import (
    BUNDLE_FORMAT_VERSION,
    BundleError,
    JsonTrustStore,
    ReviewerKeys,
    SigningUnavailable,
    canonical_json,
    open_bundle,
    verify_bundle,
    write_bundle,
)
from reviewer_app.credentials import CredentialStore
from tests.bundle_support import CREATED, sample_members, write_sample


@pytest.fixture
def keys() -> ReviewerKeys:
    return ReviewerKeys.generate("alice")



def test_signed_round_trip_verifies(tmp_path: Path, keys: ReviewerKeys) -> None:
    bundle = write_sample(tmp_path / "review.zip", keys)
    trust = JsonTrustStore(tmp_path / "known-signers.json")

    contents = open_bundle(bundle)
    report = verify_bundle(bundle, trust)

    assert dict(contents.members) == sample_members()
    assert contents.signer == keys.signer_info()
    assert report.ok and report.signed and report.intact
    assert report.problems == []
    assert report.signer == keys.signer_info()
    assert report.pins == {"alice": keys.fingerprint}
    assert trust.known_key("alice") is None  # only an accepted import remembers a key
    assert any("First bundle" in warning for warning in report.warnings)
    trust.remember_all(report.pins)
    assert verify_bundle(bundle, trust).warnings == []  # known now: nothing to say


def test_manifest_lists_every_member_with_hash_and_size(tmp_path: Path, keys: ReviewerKeys) -> None:
    manifest = open_bundle(write_sample(tmp_path / "review.zip", keys)).manifest

    assert manifest["format_version"] == BUNDLE_FORMAT_VERSION
    assert manifest["app_version"] == "0.1.0"
    assert manifest["reviewer"] == "alice"
    assert manifest["created"] == "2025-03-01T12:30:05Z"
    expected = [
        {"path": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        for name, data in sorted(sample_members().items())
    ]
    assert manifest["files"] == expected


def test_created_defaults_to_now_in_utc(tmp_path: Path) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    bundle = write_bundle(
        tmp_path / "b.zip", {"a.json": b"{}"}, app_version="0.1.0", reviewer="al", signer=None
    )
    created = open_bundle(bundle).manifest["created"]

    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", created)
    assert datetime.strptime(created, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC) >= before


def test_same_content_gives_the_same_bundle(tmp_path: Path, keys: ReviewerKeys) -> None:
    shuffled = dict(reversed(list(sample_members().items())))
    first = write_sample(tmp_path / "first.zip", keys)
    second = write_bundle(
        tmp_path / "second.zip",
        shuffled,
        app_version="0.1.0",
        reviewer="alice",
        signer=keys,
        created=CREATED,
    )
    later = write_bundle(
        tmp_path / "later.zip",
        shuffled,
        app_version="0.1.0",
        reviewer="alice",
        signer=keys,
        created=datetime(2026, 1, 1, tzinfo=UTC),
    )

    assert first.read_bytes() == second.read_bytes()
    assert open_bundle(later).manifest["files"] == open_bundle(first).manifest["files"]
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
    assert names == ["manifest.json", "signer.json", "manifest.sig", *sorted(sample_members())]


def test_json_members_parse_back(tmp_path: Path) -> None:
    members = {"records.json": canonical_json({"b": [1, 2], "a": "é"}), "bad.json": b"{nope"}
    bundle = write_bundle(
        tmp_path / "b.zip", members, app_version="0.1.0", reviewer="al", signer=None
    )
    contents = open_bundle(bundle)

    assert contents.json_member("records.json") == {"a": "é", "b": [1, 2]}
    with pytest.raises(BundleError, match=r"bad\.json is not valid JSON"):
        contents.json_member("bad.json")
    with pytest.raises(BundleError, match=r"no 'missing\.json'"):
        contents.json_member("missing.json")


def test_progress_reports_bytes_up_to_the_total(tmp_path: Path, keys: ReviewerKeys) -> None:
    calls: list[tuple[int, int]] = []
    write_bundle(
        tmp_path / "b.zip",
        sample_members(),
        app_version="0.1.0",
        reviewer="alice",
        signer=keys,
        progress=lambda done, total: calls.append((done, total)),
    )
    total = sum(len(data) for data in sample_members().values())

    assert calls[0] == (0, total)
    assert calls[-1] == (total, total)
    assert len(calls) == len(sample_members()) + 1
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_unsigned_export_when_no_keyring_must_be_explicit(tmp_path: Path, no_keyring: None) -> None:
    with pytest.raises(SigningUnavailable):
        ReviewerKeys.load_or_create("alice", CredentialStore())
    with pytest.raises(TypeError, match="signer"):
        write_bundle(tmp_path / "b.zip", sample_members(), app_version="0.1.0", reviewer="alice")  # type: ignore[call-arg]

    bundle = write_sample(tmp_path / "b.zip", signer=None)
    trust = JsonTrustStore(tmp_path / "known-signers.json")
    report = verify_bundle(bundle, trust)

    assert not report.signed and report.signer is None
    assert [problem.kind for problem in report.problems] == ["unsigned"]
    assert report.intact and not report.ok
    assert not (tmp_path / "known-signers.json").exists()
    with zipfile.ZipFile(bundle) as archive:
        assert "manifest.sig" not in archive.namelist()


@pytest.mark.parametrize(
    ("members", "reason"),
    [
        ({"../escape.json": b"{}"}, "path traversal"),
        ({"/etc/passwd": b""}, "absolute"),
        ({"a\\b.json": b""}, "backslash"),
        ({"C:/x.json": b""}, "drive letter"),
        ({"manifest.json": b"{}"}, "reserved"),
        ({"Notes.json": b"", "notes.json": b""}, "case-insensitive"),
    ],
)
def test_writer_refuses_unusable_member_names(
    tmp_path: Path, members: dict[str, bytes], reason: str
) -> None:
    with pytest.raises(ValueError, match=reason):
        write_bundle(tmp_path / "b.zip", members, app_version="1", reviewer="al", signer=None)
    assert list(tmp_path.iterdir()) == []


def test_writer_refuses_another_reviewers_key(tmp_path: Path, keys: ReviewerKeys) -> None:
    with pytest.raises(ValueError, match="cannot sign"):
        write_sample(tmp_path / "b.zip", keys, reviewer="bob")


def test_failed_write_keeps_the_old_bundle_and_leaves_no_temp_file(
    tmp_path: Path, keys: ReviewerKeys
) -> None:
    bundle = write_sample(tmp_path / "review.zip", keys)
    old_bytes = bundle.read_bytes()

    def interrupt(done: int, total: int) -> None:
        if done > 0:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_bundle(
            bundle,
            {"other.json": b"[]"},
            app_version="0.2.0",
            reviewer="alice",
            signer=keys,
            progress=interrupt,
        )

    assert bundle.read_bytes() == old_bytes
    assert [path.name for path in tmp_path.iterdir()] == ["review.zip"]
    write_bundle(bundle, {"other.json": b"[]"}, app_version="0.2.0", reviewer="alice", signer=keys)
    assert open_bundle(bundle).manifest["app_version"] == "0.2.0"


def test_unwritable_target_is_a_bundle_error(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "b.zip"

    with pytest.raises(BundleError, match="could not write") as caught:
        write_bundle(target, {"a.json": b"{}"}, app_version="1", reviewer="al", signer=None)
    assert caught.value.path == target
