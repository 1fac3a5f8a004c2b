"""Verification names exactly the file that was altered, removed, added, or re-signed."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from reviewer_app.bundles import (
    JsonTrustStore,
    ReviewerKeys,
    TrustStoreError,
    canonical_json,
    open_bundle,
    verify_bundle,
)
from reviewer_app.bundles.signing import encode_signature
from tests.bundle_support import rewrite_zip, sample_members, write_sample

MEMBER_NAMES = sorted(sample_members())


@pytest.fixture
def alice() -> ReviewerKeys:
    return ReviewerKeys.generate("alice")


@pytest.fixture
def trust(tmp_path: Path) -> JsonTrustStore:
    return JsonTrustStore(tmp_path / "known-signers.json")


@pytest.fixture
def bundle(tmp_path: Path, alice: ReviewerKeys) -> Path:
    return write_sample(tmp_path / "review.zip", alice)


def problems_of(bundle: Path, trust: JsonTrustStore) -> list[tuple[str, str | None]]:
    report = verify_bundle(bundle, trust)
    assert report.ok is (report.problems == [])
    return [(problem.kind, problem.path) for problem in report.problems]


@pytest.mark.parametrize("name", MEMBER_NAMES)
def test_altered_member_is_named(bundle: Path, trust: JsonTrustStore, name: str) -> None:
    original = sample_members()[name]
    rewrite_zip(bundle, replace={name: original[:-1] + bytes([original[-1] ^ 1])})

    report = verify_bundle(bundle, trust)

    assert [(p.kind, p.path) for p in report.problems] == [("altered", name)]
    assert name in report.problems[0].message
    assert not report.ok and not report.intact


@pytest.mark.parametrize("name", MEMBER_NAMES)
def test_removed_member_is_named(bundle: Path, trust: JsonTrustStore, name: str) -> None:
    rewrite_zip(bundle, drop=frozenset({name}))

    assert problems_of(bundle, trust) == [("missing", name)]


def test_added_member_is_named(bundle: Path, trust: JsonTrustStore) -> None:
    rewrite_zip(bundle, add={"sources/extra.pdf": b"%PDF-1.4 planted"})

    assert problems_of(bundle, trust) == [("unexpected", "sources/extra.pdf")]


def test_altered_manifest_breaks_the_signature(bundle: Path, trust: JsonTrustStore) -> None:
    manifest = open_bundle(bundle).manifest
    manifest["created"] = "2030-01-01T00:00:00Z"
    rewrite_zip(bundle, replace={"manifest.json": canonical_json(manifest)})

    report = verify_bundle(bundle, trust)

    assert [(p.kind, p.path) for p in report.problems] == [("signature", "manifest.sig")]
    assert "manifest.json" in report.problems[0].message
    assert trust.known_key("alice") is None  # nothing learnt from a bundle that failed


def test_manifest_rewritten_to_cover_a_changed_member(bundle: Path, trust: JsonTrustStore) -> None:
    """An attacker who changes a member and fixes its hash in the manifest still breaks the
    signature."""
    forged_claims = canonical_json([{"record": "rec-1", "position": 1, "verdict": "refuted"}])
    manifest = open_bundle(bundle).manifest
    entry = next(e for e in manifest["files"] if e["path"] == "claims.json")
    entry["sha256"] = hashlib.sha256(forged_claims).hexdigest()
    entry["size"] = len(forged_claims)
    rewrite_zip(
        bundle,
        replace={"manifest.json": canonical_json(manifest), "claims.json": forged_claims},
    )

    assert problems_of(bundle, trust) == [("signature", "manifest.sig")]


def test_altered_signature_is_named(bundle: Path, trust: JsonTrustStore) -> None:
    signature = bytearray(open_bundle(bundle).signature or b"")
    signature[0] ^= 0xFF
    rewrite_zip(bundle, replace={"manifest.sig": encode_signature(bytes(signature))})

    assert problems_of(bundle, trust) == [("signature", "manifest.sig")]


def test_swapped_signer_key_is_named(bundle: Path, trust: JsonTrustStore) -> None:
    impostor = ReviewerKeys.generate("alice").signer_info()
    rewrite_zip(bundle, replace={"signer.json": canonical_json(impostor.to_json())})

    report = verify_bundle(bundle, trust)

    assert [(p.kind, p.path) for p in report.problems] == [("signature", "manifest.sig")]
    assert any("not remembered" in warning for warning in report.warnings)
    assert trust.known_key("alice") is None


def test_wrong_fingerprint_in_signer_file_is_named(bundle: Path, trust: JsonTrustStore) -> None:
    info = open_bundle(bundle).signer
    assert info is not None
    lying = {**info.to_json(), "fingerprint": "0000 " * 15 + "0000"}
    rewrite_zip(bundle, replace={"signer.json": canonical_json(lying)})

    assert problems_of(bundle, trust) == [("signature", "signer.json")]


def test_missing_signature_file_is_named(bundle: Path, trust: JsonTrustStore) -> None:
    rewrite_zip(bundle, drop=frozenset({"manifest.sig"}))

    assert problems_of(bundle, trust) == [("signature", "manifest.sig")]


def test_signer_must_be_the_exporting_reviewer(tmp_path: Path, trust: JsonTrustStore) -> None:
    bundle = write_sample(tmp_path / "review.zip", signer=None, reviewer="alice")
    mallory = ReviewerKeys.generate("mallory")
    signature = mallory.sign(open_bundle(bundle).manifest_bytes)
    rewrite_zip(
        bundle,
        add={
            "signer.json": canonical_json(mallory.signer_info().to_json()),
            "manifest.sig": encode_signature(signature),
        },
    )

    report = verify_bundle(bundle, trust)

    assert [(p.kind, p.path) for p in report.problems] == [("signature", "signer.json")]
    assert "mallory" in report.problems[0].message and "alice" in report.problems[0].message


def test_changed_key_of_a_known_reviewer_is_a_loud_problem(
    tmp_path: Path, bundle: Path, trust: JsonTrustStore, alice: ReviewerKeys
) -> None:
    first = verify_bundle(bundle, trust)
    assert first.ok and first.pins == {"alice": alice.fingerprint}
    assert trust.known_key("alice") is None  # verifying alone never pins a key
    trust.remember_all(first.pins)  # as an accepted import does
    impostor = ReviewerKeys.generate("alice")
    resigned = write_sample(tmp_path / "resigned.zip", impostor)

    report = verify_bundle(resigned, trust)

    assert [(p.kind, p.path) for p in report.problems] == [("key-changed", "signer.json")]
    message = report.problems[0].message
    assert "CHANGED" in message and alice.fingerprint in message
    assert impostor.fingerprint in message
    assert not report.ok and report.intact
    assert trust.known_key("alice") == alice.fingerprint  # not silently replaced


def test_trust_store_survives_reopening_and_forgets_on_request(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "known-signers.json"
    JsonTrustStore(path).remember("alice", "ab12 cd34")
    JsonTrustStore(path).remember("bob", "ef56 7890")
    store = JsonTrustStore(path)

    assert store.known_reviewers() == {"alice": "ab12 cd34", "bob": "ef56 7890"}
    store.forget("alice")
    assert JsonTrustStore(path).known_key("alice") is None
    assert JsonTrustStore(path).known_key("bob") == "ef56 7890"
    assert [p.name for p in path.parent.iterdir()] == ["known-signers.json"]


@pytest.mark.parametrize("text", ["{not json", json.dumps({"format": 9}), "[]"])
def test_damaged_trust_store_is_reported(tmp_path: Path, text: str) -> None:
    path = tmp_path / "known-signers.json"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(TrustStoreError, match=r"known-signers\.json"):
        JsonTrustStore(path).known_key("alice")


def test_signature_covers_exact_manifest_bytes(bundle: Path, trust: JsonTrustStore) -> None:
    """Re-serialising the same manifest differently (no indent) is a change too."""
    manifest = open_bundle(bundle).manifest
    compact = json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode()
    rewrite_zip(bundle, replace={"manifest.json": compact})

    assert problems_of(bundle, trust) == [("signature", "manifest.sig")]
