"""Decide, row by row, whether a bundle's reviewer work is vouched for by its author's key.

A row is accepted when a key that may act for its author (``KnownNames.check``) vouches for
it: the bundle's own valid signature for the signer's rows, or a work signature of the author
listing the row's digest. A row in the name of a reviewer of this workspace is accepted only
under that reviewer's own key. With ``allow_unsigned``, a row no key vouches for is accepted
too, unless its author is a reviewer of this workspace, has a known key, or has a name that
looks like a known reviewer's. Everything else is refused, and listed by reviewer and item.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from reviewer_app.bundles.key_trust import KeyVerdict, KnownNames
from reviewer_app.bundles.names import lookalike_of
from reviewer_app.bundles.work_rows import WorkRow
from reviewer_app.bundles.work_signatures import WorkSignature

Outcome = Literal["vouched", "unvouched", "refused"]


@dataclass(frozen=True)
class RowDecision:
    row: WorkRow
    author: str
    """The row's author; a source attached by nobody in particular counts as the exporter's."""
    outcome: Outcome
    fingerprint: str | None
    """The key that vouches for the row (``vouched``), or the refused key, if any."""
    reason: str
    """How it is vouched for (``signed by ana``) or why it is refused."""

    @property
    def accepted(self) -> bool:
        return self.outcome != "refused"


@dataclass
class Vouching:
    decisions: list[RowDecision] = field(default_factory=list)
    pins: dict[str, str] = field(default_factory=dict)
    """First-seen author keys to remember when the import is accepted."""
    signatures: list[WorkSignature] = field(default_factory=list)
    """The work signatures that vouch for at least one accepted row (kept, to be forwarded)."""

    def accepted_digests(self) -> set[tuple[str, str]]:
        return {(d.row.record, d.row.digest) for d in self.decisions if d.accepted}

    @property
    def refused(self) -> list[RowDecision]:
        return [d for d in self.decisions if d.outcome == "refused"]

    @property
    def unvouched(self) -> list[RowDecision]:
        return [d for d in self.decisions if d.outcome == "unvouched"]


@dataclass(frozen=True)
class _Key:
    fingerprint: str
    via: str
    signature: WorkSignature | None


def decide(
    rows: Iterable[WorkRow],
    signatures: Sequence[WorkSignature],
    *,
    exporter: str,
    signer_fingerprint: str | None,
    names: KnownNames,
    allow_unsigned: bool,
    pins: dict[str, str] | None = None,
) -> Vouching:
    """Decide every row. ``signer_fingerprint`` is the key of a valid bundle signature by
    ``exporter`` that may act for them (None for an unsigned or refused one); ``pins`` are the
    first-seen keys already to be remembered (the signer's)."""
    result = Vouching(pins=dict(pins or {}))
    verdicts: dict[tuple[str, str], KeyVerdict] = {}
    used: dict[str, WorkSignature] = {}
    for row in rows:
        author = row.author if row.author is not None else exporter
        keys = _keys_for(row, author, signatures, exporter, signer_fingerprint)
        decision = None
        refusal: KeyVerdict | None = None
        for key in keys:
            verdict = verdicts.get((author, key.fingerprint))
            if verdict is None:
                verdict = _check(names, author, key.fingerprint, result.pins)
                verdicts[(author, key.fingerprint)] = verdict
            if verdict.accepted:
                if verdict.status == "first-seen":
                    result.pins[author] = key.fingerprint
                for same in keys:  # kept to be forwarded, even where the bundle's signature vouches
                    if same.signature is not None and same.fingerprint == key.fingerprint:
                        used[same.signature.digest] = same.signature
                decision = RowDecision(row, author, "vouched", key.fingerprint, key.via)
                break
            refusal = refusal or verdict
        if decision is None:
            decision = _without_key(row, author, refusal, names, allow_unsigned)
        result.decisions.append(decision)
    result.signatures = [used[digest] for digest in sorted(used)]
    return result


def _keys_for(
    row: WorkRow,
    author: str,
    signatures: Sequence[WorkSignature],
    exporter: str,
    signer_fingerprint: str | None,
) -> list[_Key]:
    keys = []
    if signer_fingerprint is not None and author == exporter:
        keys.append(_Key(signer_fingerprint, f"signed by {author} (bundle signature)", None))
    for signature in signatures:
        if signature.author == author and row.digest in signature.rows:
            via = f"signed by {author} ({signature.signed})"
            keys.append(_Key(signature.fingerprint, via, signature))
    return keys


def _check(names: KnownNames, author: str, actual: str, pins: dict[str, str]) -> KeyVerdict:
    pinned = pins.get(author)
    if pinned is not None and pinned != actual:
        # two different first-seen keys claim one name in one bundle: trust neither twice
        return KeyVerdict("changed", author, actual, pinned)
    return names.check(author, actual)


def _without_key(
    row: WorkRow,
    author: str,
    refusal: KeyVerdict | None,
    names: KnownNames,
    allow_unsigned: bool,
) -> RowDecision:
    if refusal is not None:
        return RowDecision(row, author, "refused", refusal.fingerprint, refusal.short_reason())
    local = names.local_person(author)
    if local is not None:
        reason = f"in the name of {local}, a reviewer of this workspace, and not signed by them"
        return RowDecision(row, author, "refused", None, reason)
    if not allow_unsigned:
        return RowDecision(row, author, "refused", None, f"not signed by {author}")
    if names.known_key(author) is not None:
        reason = f"not signed by {author}, whose key is known"
        return RowDecision(row, author, "refused", None, reason)
    lookalike = lookalike_of(author, names.known_names())
    if lookalike is not None:
        reason = f"not signed, by {author!r}, a name that looks like {lookalike!r}"
        return RowDecision(row, author, "refused", None, reason)
    return RowDecision(row, author, "unvouched", None, "signed by nobody (--allow-unsigned)")


@dataclass
class ReviewerWork:
    """What a bundle holds of one reviewer's work, as ``verify`` reports it."""

    name: str
    fingerprint: str | None = None
    """The key that vouches for their rows (None when no key does)."""
    vouched_by: str = "nobody"
    """``bundle signature`` (the signer's rows), ``work signature`` or ``nobody``."""
    first_seen: bool = False
    would_add: Counter[str] = field(default_factory=Counter)
    """Accepted rows the workspace does not hold yet, per kind (sheet, verdict, span, ...)."""
    present: int = 0
    """Accepted rows the workspace already holds."""
    unvouched: list[RowDecision] = field(default_factory=list)
    """Rows no key vouches for (accepted only with --allow-unsigned)."""
    refused: list[RowDecision] = field(default_factory=list)


def reviewer_summary(
    vouching: Vouching, present: set[tuple[str, str]], signer: str | None
) -> list[ReviewerWork]:
    """Per reviewer: the key that vouches for them, what would be added, what is refused."""
    by_name: dict[str, ReviewerWork] = {}
    for decision in vouching.decisions:
        work = by_name.setdefault(decision.author, ReviewerWork(decision.author))
        if decision.outcome == "refused":
            work.refused.append(decision)
            continue
        if decision.outcome == "unvouched":
            work.unvouched.append(decision)
        else:
            work.fingerprint = decision.fingerprint
            bundle = "bundle signature" in decision.reason
            work.vouched_by = "bundle signature" if bundle else "work signature"
        if (decision.row.record, decision.row.digest) in present:
            work.present += 1
        else:
            work.would_add[decision.row.kind] += 1
    for name, work in by_name.items():
        work.first_seen = name in vouching.pins
    return [by_name[name] for name in sorted(by_name, key=lambda n: (n != signer, n))]
