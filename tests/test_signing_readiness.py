"""BundleService.signing_readiness: asked before an export, so the window can ask first."""

from __future__ import annotations

from pathlib import Path

from reviewer_app.credentials import CredentialStore
from reviewer_app.services.bundles import BundleService, SigningReadiness
from reviewer_app.storage.database import Database
from tests.test_credentials import MemoryKeyring


def test_no_keyring_is_reported_before_any_export(tmp_path: Path, no_keyring: None) -> None:
    service = BundleService(Database.open(tmp_path / "w.sqlite3"), credentials=CredentialStore())
    assert service.signing_readiness("ada") is SigningReadiness.NO_KEYRING
    assert not list(tmp_path.glob("*.zip"))


def test_a_working_keyring_makes_the_key_once(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    service = BundleService(Database.open(tmp_path / "w.sqlite3"), credentials=CredentialStore())
    assert service.signing_readiness("ada") is SigningReadiness.READY
    stored = dict(memory_keyring.secrets)
    assert len(stored) == 1
    assert service.signing_readiness("ada") is SigningReadiness.READY
    assert memory_keyring.secrets == stored  # the same key, not a new one
