"""The workspace's own settings, stored in the workspace so every reviewer of it shares them."""

from __future__ import annotations

from dataclasses import dataclass

BLIND_MODE = "blind_mode"
"""Until a reviewer submits their own sheet of a record they see nobody else's."""
HIDE_MACHINE_MARKS = "hide_machine_marks"
"""Until then they also do not see the synthesis' own "verified" marks and confidences."""


@dataclass(frozen=True)
class WorkspaceSettings:
    blind_mode: bool = True
    hide_machine_marks: bool = True

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return (BLIND_MODE, HIDE_MACHINE_MARKS)
