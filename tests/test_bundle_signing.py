"""Reviewer signing keys: fingerprints, signatures, and keeping the private key in the keyring."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from reviewer_app.bundles import ReviewerKeys, SignerInfo, SigningUnavailable, fingerprint
from reviewer_app.bundles.signing import decode_signature, encode_signature, verify_signature
from reviewer_app.credentials import SERVICE_NAME, CredentialStore
from tests.test_credentials import MemoryKeyring


def test_fingerprint_is_grouped_sha256_of_the_raw_public_key() -> None:
    keys = ReviewerKeys.generate("alice")

    assert re.fullmatch(r"[0-9a-f]{4}( [0-9a-f]{4}){15}", keys.fingerprint)
    assert keys.fingerprint.replace(" ", "") == hashlib.sha256(keys.public_key).hexdigest()
    assert fingerprint(keys.public_key) == keys.fingerprint
    assert fingerprint(ReviewerKeys.generate("alice").public_key) != keys.fingerprint


def test_signature_verifies_only_for_the_same_data_and_key() -> None:
    keys = ReviewerKeys.generate("alice")
    signature = keys.sign(b"manifest bytes")

    assert verify_signature(keys.public_key, signature, b"manifest bytes")
    assert not verify_signature(keys.public_key, signature, b"manifest bytes!")
    assert not verify_signature(
        ReviewerKeys.generate("bob").public_key, signature, b"manifest bytes"
    )
    assert not verify_signature(keys.public_key, b"\x00" * 64, b"manifest bytes")
    assert not verify_signature(b"short", signature, b"manifest bytes")


def test_key_is_created_once_and_kept_in_the_keyring(memory_keyring: MemoryKeyring) -> None:
    first = ReviewerKeys.load_or_create("alice", CredentialStore())
    again = ReviewerKeys.load_or_create("alice", CredentialStore())

    assert again.public_key == first.public_key
    stored = memory_keyring.secrets[(SERVICE_NAME, "signing-key:alice")]
    assert len(base64.b64decode(stored)) == 32
    assert ReviewerKeys.load_or_create("bob", CredentialStore()).public_key != first.public_key
    assert "signing-key" not in repr(first) and stored not in repr(first)


def test_no_keyring_means_no_signing_key(no_keyring: None) -> None:
    store = CredentialStore()

    with pytest.raises(SigningUnavailable, match=r"alice.*unsigned"):
        ReviewerKeys.load_or_create("alice", store)
    # The session-only copy was dropped: a second try must not hand out a throwaway key.
    assert store.get("signing-key:alice") is None
    assert ReviewerKeys.load("alice", store) is None


def test_damaged_stored_key_is_reported(memory_keyring: MemoryKeyring) -> None:
    memory_keyring.set_password(SERVICE_NAME, "signing-key:alice", "not base64!")

    with pytest.raises(SigningUnavailable, match="damaged"):
        ReviewerKeys.load("alice", CredentialStore())


def test_signer_info_round_trips_and_rejects_bad_keys() -> None:
    info = ReviewerKeys.generate("alice").signer_info()

    assert SignerInfo.from_json(info.to_json()) == info
    bad_key = {**info.to_json(), "public_key": base64.b64encode(b"x" * 31).decode()}
    with pytest.raises(ValueError, match="32 bytes"):
        SignerInfo.from_json(bad_key)
    with pytest.raises(ValueError, match="exactly"):
        SignerInfo.from_json({**info.to_json(), "extra": 1})


def test_signature_text_round_trips_and_rejects_garbage() -> None:
    signature = ReviewerKeys.generate("alice").sign(b"data")

    assert decode_signature(encode_signature(signature)) == signature
    with pytest.raises(ValueError, match="64 bytes"):
        decode_signature(base64.b64encode(signature[:10]))
    with pytest.raises(ValueError, match="base64"):
        decode_signature(b"%%%")
