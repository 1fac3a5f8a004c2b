"""Verify a review bundle: every hash, the signature, and the signer's key against known keys.

Each problem names the one file it is about, so the user learns exactly what was changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from reviewer_app.bundles.format import MANIFEST_NAME, SIGNATURE_NAME, SIGNER_NAME
from reviewer_app.bundles.reader import BundleContents, open_bundle
from reviewer_app.bundles.safe_zip import BundleLimits
from reviewer_app.bundles.signing import SignerInfo, fingerprint, verify_signature
from reviewer_app.bundles.trust import TrustStore

ProblemKind = Literal["missing", "altered", "unexpected", "signature", "unsigned", "key-changed"]
_INTEGRITY_KINDS = frozenset({"missing", "altered", "unexpected"})


@dataclass(frozen=True)
class Problem:
    kind: ProblemKind
    path: str | None
    """The file the problem is about; None only for ``unsigned``."""
    message: str


@dataclass(frozen=True)
class VerifyReport:
    path: Path
    signed: bool
    """True when the bundle carries a signature (valid or not; see ``problems``)."""
    signer: SignerInfo | None
    problems: list[Problem]
    warnings: list[str]
    contents: BundleContents = field(repr=False)
    """The bundle as read, so an importer does not have to read it twice."""

    @property
    def ok(self) -> bool:
        """Intact, validly signed, and by the key we know for that reviewer."""
        return not self.problems

    @property
    def intact(self) -> bool:
        """Every listed file is present and unchanged, and nothing unlisted was added."""
        return not any(problem.kind in _INTEGRITY_KINDS for problem in self.problems)


def verify_bundle(
    path: Path | str, trust: TrustStore, limits: BundleLimits | None = None
) -> VerifyReport:
    """Check the bundle at ``path``. A bundle too damaged or hostile to open raises
    ``BundleError``; everything else is reported. A first-seen signer of a bundle that verifies
    is remembered in ``trust``."""
    contents = open_bundle(path, limits)
    problems = integrity_problems(contents.manifest, contents.members)
    warnings: list[str] = []
    if contents.signer is None and contents.signature is None:
        problems.append(
            Problem(
                "unsigned",
                None,
                "The bundle is not signed: nothing shows who made it or that its manifest "
                "is unchanged since export.",
            )
        )
    else:
        problems.extend(_signature_problems(contents))
    if contents.signer is not None:
        problems.extend(_check_known_key(contents.signer, trust, problems, warnings))
    return VerifyReport(
        path=contents.path,
        signed=contents.signature is not None,
        signer=contents.signer,
        problems=problems,
        warnings=warnings,
        contents=contents,
    )


def integrity_problems(manifest: Mapping[str, Any], members: Mapping[str, bytes]) -> list[Problem]:
    """Listed files that are missing or altered, and files the manifest does not list."""
    problems: list[Problem] = []
    listed: set[str] = set()
    for entry in manifest["files"]:
        name = entry["path"]
        listed.add(name)
        data = members.get(name)
        if data is None:
            problems.append(
                Problem("missing", name, f"{name} is listed in the manifest but absent")
            )
        elif len(data) != entry["size"] or hashlib.sha256(data).hexdigest() != entry["sha256"]:
            problems.append(
                Problem(
                    "altered", name, f"{name} was changed: its content does not match the manifest"
                )
            )
    for name in sorted(set(members) - listed):
        problems.append(
            Problem("unexpected", name, f"{name} is in the bundle but not in the manifest")
        )
    return problems


def _signature_problems(contents: BundleContents) -> list[Problem]:
    signer, signature = contents.signer, contents.signature
    if signer is None:
        return [
            Problem(
                "signature",
                SIGNER_NAME,
                f"{SIGNER_NAME} is missing, so {SIGNATURE_NAME} cannot be checked",
            )
        ]
    if signature is None:
        return [
            Problem(
                "signature",
                SIGNATURE_NAME,
                f"{SIGNATURE_NAME} is missing although {SIGNER_NAME} is present",
            )
        ]
    problems: list[Problem] = []
    if fingerprint(signer.public_key) != signer.fingerprint:
        problems.append(
            Problem(
                "signature",
                SIGNER_NAME,
                f"the fingerprint in {SIGNER_NAME} does not belong to its public key",
            )
        )
    exporter = contents.manifest["reviewer"]
    if signer.reviewer != exporter:
        problems.append(
            Problem(
                "signature",
                SIGNER_NAME,
                f"{SIGNER_NAME} names "
                f"{signer.reviewer!r} but the manifest was exported by {exporter!r}",
            )
        )
    if not verify_signature(signer.public_key, signature, contents.manifest_bytes):
        problems.append(
            Problem(
                "signature",
                SIGNATURE_NAME,
                f"{SIGNATURE_NAME} is not a valid signature of {MANIFEST_NAME} by the key in "
                f"{SIGNER_NAME}: one of these files was changed after signing",
            )
        )
    return problems


def _check_known_key(
    signer: SignerInfo, trust: TrustStore, problems: list[Problem], warnings: list[str]
) -> list[Problem]:
    """Trust on first use: learn a new reviewer's key, and shout when a known key changes."""
    actual = fingerprint(signer.public_key)
    known = trust.known_key(signer.reviewer)
    if known == actual:
        return []
    if known is not None:
        return [
            Problem(
                "key-changed",
                SIGNER_NAME,
                f"WARNING: THE SIGNING KEY OF REVIEWER {signer.reviewer!r} HAS CHANGED. "
                f"Known key: {known}; this bundle: {actual}. Someone may be impersonating "
                f"{signer.reviewer}, or they made a new key. Check the fingerprint with "
                f"{signer.reviewer} before trusting this bundle.",
            )
        ]
    if problems:
        warnings.append(
            f"The key of new reviewer {signer.reviewer!r} was not remembered "
            "because the bundle failed verification."
        )
    else:
        trust.remember(signer.reviewer, actual)
        warnings.append(
            f"First bundle from reviewer {signer.reviewer!r}; their key {actual} is "
            "now remembered. Compare it with them to be sure."
        )
    return []
