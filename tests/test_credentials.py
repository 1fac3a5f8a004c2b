"""CredentialStore: secrets in the keyring when one is usable, else in memory, never in a file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.errors import KeyringLocked, PasswordDeleteError
from keyrings.alt.file import PlaintextKeyring

from reviewer_app.credentials import SERVICE_NAME, CredentialStore


class _PriorityOnceInstalled:
    """Recommended once a test installs it, but never chosen by keyring's auto-detection
    (a priority that raises on the class marks a backend as not viable)."""

    def __get__(self, instance: object, owner: type) -> float:
        if instance is None:
            raise RuntimeError("test-only backend")
        return 10.0


class MemoryKeyring(KeyringBackend):
    priority = _PriorityOnceInstalled()  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.secrets.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


class LockedKeyring(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("the login keyring is locked")


@pytest.fixture
def install_keyring() -> Iterator[Callable[[KeyringBackend], KeyringBackend]]:
    """Select a keyring backend for one test and put the previous one back afterwards."""
    previous = keyring.get_keyring()

    def install(backend: KeyringBackend) -> KeyringBackend:
        keyring.set_keyring(backend)
        return backend

    yield install
    keyring.set_keyring(previous)


def test_secret_round_trip_through_the_keyring(install_keyring) -> None:
    backend = install_keyring(MemoryKeyring())
    store = CredentialStore()

    assert store.available
    assert store.set("db-password", "s3cret") == "keyring"
    assert backend.secrets == {(SERVICE_NAME, "db-password"): "s3cret"}
    assert CredentialStore().get("db-password") == "s3cret"  # a new session sees it

    store.delete("db-password")
    assert store.get("db-password") is None
    assert backend.secrets == {}


def test_missing_secret_and_deleting_it_are_not_errors(install_keyring) -> None:
    install_keyring(MemoryKeyring())
    store = CredentialStore()

    assert store.get("never-set") is None
    store.delete("never-set")
    assert store.problem is None


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()], ids=["fail", "null"])
def test_without_a_backend_secrets_live_in_memory_for_the_session(
    install_keyring, backend: KeyringBackend
) -> None:
    install_keyring(backend)
    store = CredentialStore()

    assert not store.available
    assert store.set("db-password", "s3cret") == "memory"
    assert store.get("db-password") == "s3cret"
    assert store.problem is not None and "no keyring backend" in store.problem
    assert CredentialStore().get("db-password") is None  # gone with the session

    store.delete("db-password")
    assert store.get("db-password") is None


def test_the_problem_says_why_the_desktop_keyring_cannot_be_used(
    install_keyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)  # no desktop session
    install_keyring(fail.Keyring())
    store = CredentialStore()

    assert store.set("token", "abc") == "memory"
    assert store.problem is not None
    assert "the Secret Service (GNOME Keyring, KeePassXC) cannot be used" in store.problem
    assert "DBUS_SESSION_BUS_ADDRESS" in store.problem


def test_a_locked_keyring_falls_back_to_memory_and_says_why(install_keyring) -> None:
    install_keyring(LockedKeyring())
    store = CredentialStore()

    assert store.set("token", "abc") == "memory"
    assert store.get("token") == "abc"
    assert store.problem is not None and "locked" in store.problem


def test_plaintext_file_backend_is_refused_by_default(install_keyring, tmp_path: Path) -> None:
    plaintext = PlaintextKeyring()
    plaintext.file_path = str(tmp_path / "keyring_pass.cfg")
    install_keyring(plaintext)
    store = CredentialStore()

    assert not store.available
    assert store.set("token", "abc") == "memory"
    assert not Path(plaintext.file_path).exists()
    assert "PlaintextKeyring" in (store.problem or "")


def test_plaintext_file_backend_only_when_explicitly_allowed(
    install_keyring, tmp_path: Path
) -> None:
    plaintext = PlaintextKeyring()
    plaintext.file_path = str(tmp_path / "keyring_pass.cfg")
    install_keyring(plaintext)
    store = CredentialStore(allow_insecure_backend=True)

    assert store.set("token", "abc") == "keyring"
    assert Path(plaintext.file_path).exists()
    assert CredentialStore(allow_insecure_backend=True).get("token") == "abc"


def test_a_pinned_backend_ignores_the_global_keyring(install_keyring) -> None:
    install_keyring(fail.Keyring())
    pinned = MemoryKeyring()
    store = CredentialStore("other-service", backend=pinned)

    assert store.set("token", "abc") == "keyring"
    assert pinned.secrets == {("other-service", "token"): "abc"}
