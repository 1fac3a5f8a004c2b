"""Review bundles: the zip files reviewers exchange. No Qt, no database.

Write with ``write_bundle``, read with ``open_bundle`` (refuses hostile zips with ``BundleError``)
and check with ``verify_bundle`` (hashes, signature, known signer keys). Member files go in and
come out as plain bytes; ``canonical_json`` makes deterministic JSON members.
"""

from reviewer_app.bundles.format import (
    BUNDLE_FORMAT_VERSION,
    ENVELOPE_NAMES,
    MANIFEST_NAME,
    SIGNATURE_NAME,
    SIGNER_NAME,
    BundleError,
    canonical_json,
    member_path_problem,
)
from reviewer_app.bundles.reader import BundleContents, open_bundle
from reviewer_app.bundles.safe_zip import BundleLimits
from reviewer_app.bundles.signing import (
    ReviewerKeys,
    SignerInfo,
    SigningUnavailable,
    fingerprint,
    verify_signature,
)
from reviewer_app.bundles.trust import JsonTrustStore, TrustStore, TrustStoreError
from reviewer_app.bundles.verify import Problem, ProblemKind, VerifyReport, verify_bundle
from reviewer_app.bundles.writer import Progress, build_manifest, write_bundle

__all__ = [
    "BUNDLE_FORMAT_VERSION",
    "ENVELOPE_NAMES",
    "MANIFEST_NAME",
    "SIGNATURE_NAME",
    "SIGNER_NAME",
    "BundleContents",
    "BundleError",
    "BundleLimits",
    "JsonTrustStore",
    "Problem",
    "ProblemKind",
    "Progress",
    "ReviewerKeys",
    "SignerInfo",
    "SigningUnavailable",
    "TrustStore",
    "TrustStoreError",
    "VerifyReport",
    "build_manifest",
    "canonical_json",
    "fingerprint",
    "member_path_problem",
    "open_bundle",
    "verify_bundle",
    "verify_signature",
    "write_bundle",
]
