"""A reviewer's profile: every judgement points at one."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reviewer:
    id: int
    name: str
    orcid: str | None
    colour: str | None
