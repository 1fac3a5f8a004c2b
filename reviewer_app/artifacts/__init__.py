"""Reproducible gate artifacts kept as plain files (no Qt, no SQL)."""

from reviewer_app.artifacts.store import (
    MAX_ARTIFACT_BYTES,
    ArtifactRefused,
    ArtifactStore,
    StoredArtifact,
    hash_file,
)

__all__ = ["MAX_ARTIFACT_BYTES", "ArtifactRefused", "ArtifactStore", "StoredArtifact", "hash_file"]
