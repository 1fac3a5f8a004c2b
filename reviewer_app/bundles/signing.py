"""Ed25519 signing keys of reviewers, and the ``signer.json`` that carries the public half.

The private key lives only in the system keyring (via ``CredentialStore``), as base64 of its 32
raw bytes under ``signing-key:<reviewer>``. A key that could only be kept in memory is refused
for signing: it would vanish at exit, and the next export would show recipients a changed key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from reviewer_app.credentials import CredentialStore
from reviewer_app.errors import ReviewerAppError

KEY_NAME_PREFIX = "signing-key:"
RAW_KEY_BYTES = 32
SIGNATURE_BYTES = 64


class SigningUnavailable(ReviewerAppError):
    """No signing key can be kept for this reviewer; export unsigned or set up a keyring."""


def fingerprint(public_key: bytes | Ed25519PublicKey) -> str:
    """SHA-256 of the raw public key as hex, in groups of four: ``ab12 cd34 ...``."""
    raw = public_key if isinstance(public_key, bytes) else _raw_public(public_key)
    digest = hashlib.sha256(raw).hexdigest()
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))


def verify_signature(public_key: bytes, signature: bytes, data: bytes) -> bool:
    """True when ``signature`` is the Ed25519 signature of ``data`` by ``public_key``."""
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


def _raw_public(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes_raw()


@dataclass(frozen=True)
class SignerInfo:
    """The content of ``signer.json``: who signed, with which public key."""

    reviewer: str
    public_key: bytes
    fingerprint: str

    def to_json(self) -> dict[str, str]:
        return {
            "reviewer": self.reviewer,
            "public_key": base64.b64encode(self.public_key).decode("ascii"),
            "fingerprint": self.fingerprint,
        }

    @classmethod
    def from_json(cls, data: Any) -> SignerInfo:
        """Parse ``signer.json``; raises ValueError saying what is wrong."""
        if not isinstance(data, dict) or set(data) != {"reviewer", "public_key", "fingerprint"}:
            raise ValueError("expected an object with exactly reviewer, public_key, fingerprint")
        reviewer, key_text, claimed = data["reviewer"], data["public_key"], data["fingerprint"]
        if not isinstance(reviewer, str) or not reviewer:
            raise ValueError("reviewer must be a non-empty string")
        if not isinstance(claimed, str):
            raise ValueError("fingerprint must be a string")
        public_key = _decode_base64(key_text, "public_key")
        if len(public_key) != RAW_KEY_BYTES:
            raise ValueError(f"public_key must be {RAW_KEY_BYTES} bytes, not {len(public_key)}")
        return cls(reviewer=reviewer, public_key=public_key, fingerprint=claimed)


def _decode_base64(text: Any, what: str) -> bytes:
    if not isinstance(text, str):
        raise ValueError(f"{what} must be a base64 string")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise ValueError(f"{what} is not valid base64") from exc


def decode_signature(data: bytes) -> bytes:
    """Parse ``manifest.sig`` (base64 text); raises ValueError."""
    try:
        text = data.decode("ascii").strip()
    except UnicodeDecodeError as exc:
        raise ValueError("the signature is not base64 text") from exc
    signature = _decode_base64(text, "the signature")
    if len(signature) != SIGNATURE_BYTES:
        raise ValueError(f"the signature must be {SIGNATURE_BYTES} bytes, not {len(signature)}")
    return signature


def encode_signature(signature: bytes) -> bytes:
    return base64.b64encode(signature) + b"\n"


class ReviewerKeys:
    """One reviewer's Ed25519 key pair."""

    def __init__(self, reviewer: str, private_key: Ed25519PrivateKey) -> None:
        if not reviewer:
            raise ValueError("a signing key needs a reviewer name")
        self.reviewer = reviewer
        self._private_key = private_key
        self.public_key: bytes = _raw_public(private_key.public_key())
        self.fingerprint: str = fingerprint(self.public_key)

    @classmethod
    def generate(cls, reviewer: str) -> ReviewerKeys:
        """A fresh key pair that is not stored anywhere (tests, or a caller that stores it)."""
        return cls(reviewer, Ed25519PrivateKey.generate())

    @classmethod
    def load(cls, reviewer: str, credentials: CredentialStore) -> ReviewerKeys | None:
        """The reviewer's stored key pair, or None when there is none."""
        stored = credentials.get(key_name(reviewer))
        if stored is None:
            return None
        try:
            raw = _decode_base64(stored, "the stored key")
            private_key = Ed25519PrivateKey.from_private_bytes(raw)
        except ValueError as exc:
            raise SigningUnavailable(
                f"The signing key stored for reviewer {reviewer!r} is damaged ({exc}); "
                "delete it to make a new one (recipients will see a changed key)."
            ) from exc
        return cls(reviewer, private_key)

    @classmethod
    def load_or_create(cls, reviewer: str, credentials: CredentialStore) -> ReviewerKeys:
        """The reviewer's key pair, made and stored in the keyring on first use.

        Raises ``SigningUnavailable`` when the key cannot be kept in the keyring.
        """
        existing = cls.load(reviewer, credentials)
        if existing is not None:
            return existing
        keys = cls.generate(reviewer)
        if credentials.set(key_name(reviewer), keys.private_key_text()) != "keyring":
            credentials.delete(key_name(reviewer))  # a session-only key would change next run
            raise SigningUnavailable(
                f"Cannot keep a signing key for reviewer {reviewer!r} "
                f"({credentials.problem or 'no system keyring is available'}). "
                "Export the bundle unsigned, or set up a system keyring."
            )
        return keys

    def private_key_text(self) -> str:
        raw = self._private_key.private_bytes_raw()
        return base64.b64encode(raw).decode("ascii")

    def sign(self, data: bytes) -> bytes:
        return self._private_key.sign(data)

    def signer_info(self) -> SignerInfo:
        return SignerInfo(self.reviewer, self.public_key, self.fingerprint)

    def __repr__(self) -> str:  # never show key material
        return f"ReviewerKeys(reviewer={self.reviewer!r}, fingerprint={self.fingerprint!r})"


def key_name(reviewer: str) -> str:
    return f"{KEY_NAME_PREFIX}{reviewer}"
