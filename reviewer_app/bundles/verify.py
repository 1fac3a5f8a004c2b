"""Verify a review bundle: every hash, the signature, and the signer's key against known keys.

Each problem names the one file it is about, so the user learns exactly what was changed.
Verifying never writes to the trust store: a first-seen signer's key is reported in ``pins``
and remembered only when the bundle is imported. A first-seen signer whose name looks like a
known reviewer's, or like a reviewer of this workspace (``local_reviewers``), is an
``impersonation``; a local reviewer's bundle must be signed with that reviewer's own key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from reviewer_app.bundles.format import MANIFEST_NAME, SIGNATURE_NAME, SIGNER_NAME
from reviewer_app.bundles.key_trust import KnownNames
from reviewer_app.bundles.reader import BundleContents, open_bundle
from reviewer_app.bundles.safe_zip import BundleLimits
from reviewer_app.bundles.signing import SignerInfo, fingerprint, verify_signature
from reviewer_app.bundles.trust import TrustStore
from reviewer_app.bundles.vouching import ReviewerWork

ProblemKind = Literal[
    "missing",
    "altered",
    "unexpected",
    "signature",
    "unsigned",
    "key-changed",
    "impersonation",
    "malformed",
    "unvouched",
]
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
    pins: dict[str, str] = field(default_factory=dict)
    """First-seen keys (reviewer: fingerprint) that importing the bundle would remember."""
    reviewers: list[ReviewerWork] = field(default_factory=list)
    """Per reviewer, what the bundle would add and what is not vouched for (filled in by the
    service, which can read the workspace; empty for a bundle that is not intact)."""

    @property
    def ok(self) -> bool:
        """Intact, validly signed, and by the key we know for that reviewer."""
        return not self.problems

    @property
    def intact(self) -> bool:
        """Every listed file is present and unchanged, and nothing unlisted was added."""
        return not any(problem.kind in _INTEGRITY_KINDS for problem in self.problems)


def verify_bundle(
    path: Path | str,
    trust: TrustStore,
    limits: BundleLimits | None = None,
    *,
    local_reviewers: Collection[str] = (),
    workspace_reviewers: Collection[str] = (),
) -> VerifyReport:
    """Check the bundle at ``path``. A bundle too damaged or hostile to open raises
    ``BundleError``; everything else is reported. ``local_reviewers`` are the reviewers of the
    importing workspace, ``workspace_reviewers`` every reviewer it knows by name."""
    contents = open_bundle(path, limits)
    problems = integrity_problems(contents.manifest, contents.members)
    warnings: list[str] = []
    pins: dict[str, str] = {}
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
        names = KnownNames(trust, local_reviewers, workspace_reviewers)
        problems.extend(_check_known_key(contents.signer, names, problems, warnings, pins))
    return VerifyReport(
        path=contents.path,
        signed=contents.signature is not None,
        signer=contents.signer,
        problems=problems,
        warnings=warnings,
        contents=contents,
        pins=pins,
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
    signer: SignerInfo,
    names: KnownNames,
    problems: list[Problem],
    warnings: list[str],
    pins: dict[str, str],
) -> list[Problem]:
    """Trust on first use: a new reviewer's key is to be learnt, a changed key or a name posing
    as someone else's is shouted about."""
    actual = fingerprint(signer.public_key)
    verdict = names.check(signer.reviewer, actual)
    if not verdict.accepted:
        kind: ProblemKind = "key-changed" if verdict.status == "changed" else "impersonation"
        return [Problem(kind, SIGNER_NAME, verdict.loud_message())]
    if verdict.status == "trusted":
        return []
    if problems:
        warnings.append(
            f"The key of new reviewer {signer.reviewer!r} is not remembered "
            "because the bundle failed verification."
        )
    else:
        pins[signer.reviewer] = actual
        warnings.append(first_seen_note(signer.reviewer, actual, remembered=False))
    return []


def first_seen_note(reviewer: str, fingerprint: str, *, remembered: bool) -> str:
    """The note about a key seen for the first time, before and after the import keeps it."""
    when = "is now remembered" if remembered else "will be remembered when the bundle is imported"
    return (
        f"First bundle from reviewer {reviewer!r}; their key {fingerprint} {when}. "
        "Compare it with them to be sure."
    )
