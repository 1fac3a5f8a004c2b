"""The one place the app keeps secrets: the operating system's keyring, through ``keyring``.

Nothing here raises because a keyring is missing, locked or broken. A secret that cannot be
persisted is kept in memory for the session instead, ``set`` says so (``"memory"``), and
``problem`` holds a sentence the UI can show. Secrets never go to a plaintext file: keyring
backends that keyring itself does not recommend (priority below 1, e.g. ``keyrings.alt``'s
``PlaintextKeyring``) are refused unless the caller explicitly opts in.
"""

from __future__ import annotations

import importlib
import logging
from typing import Literal

import keyring
import keyring.core
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.errors import KeyringError, PasswordDeleteError

SERVICE_NAME = "synthesis-reviewer"

StoredWhere = Literal["keyring", "memory"]

log = logging.getLogger(__name__)


class CredentialStore:
    """Get, set and delete named secrets for the app.

    ``backend`` pins a keyring backend; by default the one ``keyring.get_keyring()`` returns at
    each call is used, so ``keyring.set_keyring`` (tests, user settings) takes effect at once.
    """

    def __init__(
        self,
        service: str = SERVICE_NAME,
        *,
        backend: KeyringBackend | None = None,
        allow_insecure_backend: bool = False,
    ) -> None:
        self.service = service
        self._pinned_backend = backend
        self._allow_insecure = allow_insecure_backend
        self._session_only: dict[str, str] = {}
        self._problem: str | None = None

    @property
    def available(self) -> bool:
        """True when secrets can be persisted in a keyring we accept."""
        return self._usable_backend() is not None

    @property
    def problem(self) -> str | None:
        """Why the last secret could not be persisted or read, fit to show to the user.

        After ``set`` returned ``"memory"`` the UI should add that the secret lasts only
        until the app quits.
        """
        return self._problem

    def get(self, name: str) -> str | None:
        if name in self._session_only:
            return self._session_only[name]
        backend = self._usable_backend()
        if backend is None:
            return None
        try:
            return backend.get_password(self.service, name)
        except (KeyringError, OSError) as exc:
            self._note_problem(f"Could not read {name!r} from the system keyring: {exc}")
            return None

    def set(self, name: str, value: str) -> StoredWhere:
        """Persist ``value`` in the keyring, or keep it for this session only (and say so)."""
        backend = self._usable_backend()
        if backend is not None:
            try:
                backend.set_password(self.service, name, value)
            except (KeyringError, OSError) as exc:
                self._note_problem(f"Could not save {name!r} in the system keyring: {exc}")
            else:
                self._session_only.pop(name, None)
                return "keyring"
        else:
            self._note_problem(
                f"No secure system keyring is available ({self._backend_description()})"
            )
        self._session_only[name] = value
        return "memory"

    def delete(self, name: str) -> None:
        """Forget ``name`` everywhere; deleting a secret that does not exist is not an error."""
        self._session_only.pop(name, None)
        backend = self._usable_backend()
        if backend is None:
            return
        try:
            backend.delete_password(self.service, name)
        except PasswordDeleteError:
            pass  # nothing stored under that name
        except (KeyringError, OSError) as exc:
            self._note_problem(f"Could not delete {name!r} from the system keyring: {exc}")

    def _note_problem(self, message: str) -> None:
        self._problem = message
        log.warning("%s", message)

    def _current_backend(self) -> KeyringBackend:
        return self._pinned_backend or keyring.get_keyring()

    def _usable_backend(self) -> KeyringBackend | None:
        backend = self._current_backend()
        if isinstance(backend, chainer.ChainerBackend):
            # The chainer also chains low-priority backends such as plaintext files; use only
            # the best one we accept, directly.
            return next((b for b in backend.backends if self._accepts(b)), None)
        return backend if self._accepts(backend) else None

    def _accepts(self, backend: KeyringBackend) -> bool:
        if isinstance(backend, fail.Keyring | null.Keyring):
            return False
        if self._allow_insecure:
            return True
        try:
            return keyring.core.recommended(backend)
        except Exception:  # a backend's priority probe may fail in any way when unusable
            return False

    def _backend_description(self) -> str:
        backend = self._current_backend()
        if isinstance(backend, fail.Keyring | null.Keyring):
            described = "no keyring backend installed"
        else:
            name = f"{type(backend).__module__}.{type(backend).__name__}"
            described = f"refusing {name}, not a secure store"
        why = secure_backend_problems()
        return f"{described}; {'; '.join(why)}" if why else described


def secure_backend_problems() -> list[str]:
    """Why each secure desktop keyring cannot be used right now, e.g. the Secret Service with
    no D-Bus session: "no backend installed" alone would mislead."""
    problems = []
    for module_name, class_name, label in _SECURE_BACKENDS:
        try:
            backend_class = getattr(importlib.import_module(module_name), class_name)
        except (ImportError, AttributeError):
            continue
        try:
            backend_class.priority  # noqa: B018 (the probe raises when the backend is unusable)
        except Exception as exc:  # each backend reports unusability in its own way
            problems.append(f"{label} cannot be used: {exc}")
    return problems


_SECURE_BACKENDS = (
    ("keyring.backends.SecretService", "Keyring", "the Secret Service (GNOME Keyring, KeePassXC)"),
    ("keyring.backends.kwallet", "DBusKeyring", "KWallet"),
)
