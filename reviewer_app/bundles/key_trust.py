"""Whether a key may act for a reviewer's name: the one rule that the bundle's signer and every
author of a work signature are held to.

A key is trusted for a name when the trust store already holds it for exactly that name. A key
never seen before is accepted (trust on first use) only for a name like nobody else's: not a
reviewer of this workspace (their own key is entered at their first export, and no other key
acts for them), and not, by case, spaces, invisible or look-alike letters, a known reviewer.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

from reviewer_app.bundles.names import lookalike_of, same_person
from reviewer_app.bundles.trust import TrustStore

KeyStatus = Literal["trusted", "first-seen", "local", "lookalike", "changed"]


@dataclass(frozen=True)
class KeyVerdict:
    status: KeyStatus
    name: str
    fingerprint: str
    other: str | None = None
    """For ``local`` and ``lookalike``: the reviewer the name is, or looks like; for
    ``changed``: the known fingerprint."""

    @property
    def accepted(self) -> bool:
        return self.status in ("trusted", "first-seen")

    def short_reason(self) -> str:
        """Why a row signed with this key is refused, in a few words."""
        if self.status == "local":
            return (
                f"in the name of {self.other}, a reviewer of this workspace, "
                f"with a key that is not {self.other}'s own"
            )
        if self.status == "lookalike":
            return f"a new key for {self.name!r}, a name that looks like {self.other!r}"
        if self.status == "changed":
            return f"signed with a key that is not {self.name}'s known key"
        return "accepted"

    def loud_message(self) -> str:
        """The message shouted for a bundle signer that cannot be trusted."""
        name, actual, other = self.name, self.fingerprint, self.other
        if self.status == "local":
            looks = "" if other == name else f"MADE TO LOOK LIKE {other!r}, "
            return (
                f"SIGNED AS {name!r}, WHICH IS {looks}A REVIEWER OF THIS WORKSPACE, WITH A KEY "
                f"THAT IS NOT THEIR OWN ({actual}). Only {other}'s own key can add or change "
                f"{other}'s work here; the key was not trusted."
            )
        if self.status == "lookalike":
            return (
                f"REFUSED: A NEW KEY FOR {name!r}, A NAME THAT LOOKS LIKE KNOWN REVIEWER "
                f"{other!r} (case, spaces, invisible or look-alike letters). Someone may be "
                f"posing as {other}; the key {actual} was not trusted."
            )
        if self.status == "changed":
            return (
                f"WARNING: THE SIGNING KEY OF REVIEWER {name!r} HAS CHANGED. "
                f"Known key: {other}; this bundle: {actual}. Someone may be impersonating "
                f"{name}, or they made a new key. Check the fingerprint with "
                f"{name} before trusting this bundle."
            )
        return f"{name}'s key {actual}"


@dataclass(frozen=True)
class KnownNames:
    """What a key's claimed name is checked against."""

    trust: TrustStore
    local: Collection[str] = ()
    """Reviewers of this workspace (their work is made here)."""
    workspace: Collection[str] = ()
    """Every reviewer this workspace knows by name."""

    @functools.cached_property
    def _known(self) -> dict[str, str]:
        # read once per judgement: the store changes only when the judged import is accepted
        return self.trust.known_reviewers()

    @functools.cached_property
    def _own(self) -> dict[str, str]:
        return self.trust.own_reviewers()

    def known_key(self, name: str) -> str | None:
        return self._known.get(name)

    def known_names(self) -> list[str]:
        """Every name with a known key, and every reviewer the workspace knows."""
        return [*self._known, *self.workspace]

    def local_person(self, name: str) -> str | None:
        """The reviewer of this workspace that ``name`` is, or looks like, or None."""
        return same_person(name, [*self.local, *self._own])

    def check(self, name: str, actual: str) -> KeyVerdict:
        own = self._own
        local = self.local_person(name)
        known = self.known_key(name)
        if local is not None:
            if local == name and own.get(local) == actual:
                return KeyVerdict("trusted", name, actual)
            if local == name and known is not None and known != actual:
                return KeyVerdict("changed", name, actual, known)
            return KeyVerdict("local", name, actual, local)
        if known == actual:
            return KeyVerdict("trusted", name, actual)
        if known is not None:
            return KeyVerdict("changed", name, actual, known)
        lookalike = lookalike_of(name, self.known_names())
        if lookalike is not None:
            return KeyVerdict("lookalike", name, actual, lookalike)
        return KeyVerdict("first-seen", name, actual)
