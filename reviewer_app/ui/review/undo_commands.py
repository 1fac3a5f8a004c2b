"""Undoable review changes. Each command calls the service; the change is made (and refused,
if the service says no) before the command is pushed, so the first ``redo`` does nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QUndoCommand

from reviewer_app.domain.evidence import VERDICT_LABELS, Verdict
from reviewer_app.errors import ReviewerAppError


@dataclass(frozen=True)
class VerdictValue:
    verdict: Verdict | None
    reason: str | None = None
    note: str | None = None

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self.verdict] if self.verdict else "no verdict"


@dataclass(frozen=True)
class CommandContext:
    """What every command needs: the service, whose claim it is, and whom to tell."""

    service: Any
    record_id: str
    reviewer: str
    changed: Callable[[int], None]
    """Called with the claim position after every do, undo and redo."""
    failed: Callable[[str, str], None]
    """(title, message) when undo or redo is refused by the service."""


class _ReviewCommand(QUndoCommand):
    def __init__(self, context: CommandContext, position: int, text: str) -> None:
        super().__init__(text)
        self.context = context
        self.position = position
        self._done = True  # the controller already made the change

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._run(self._apply, "Cannot redo")

    def undo(self) -> None:
        self._run(self._revert, "Cannot undo")

    def _run(self, change: Callable[[], None], title: str) -> None:
        try:
            change()
        except ReviewerAppError as exc:
            self.setObsolete(True)  # the stack drops a command that can no longer be replayed
            self.context.failed(title, f"{self.text()}: {exc}")
        self.context.changed(self.position)

    def _apply(self) -> None:
        raise NotImplementedError

    def _revert(self) -> None:
        raise NotImplementedError


class SetVerdictCommand(_ReviewCommand):
    def __init__(
        self, context: CommandContext, position: int, before: VerdictValue, after: VerdictValue
    ) -> None:
        super().__init__(context, position, f"Claim {position}: {after.label}")
        self.before, self.after = before, after

    def _set(self, value: VerdictValue) -> None:
        c = self.context
        c.service.set_verdict(
            c.record_id, self.position, reviewer=c.reviewer,
            verdict=value.verdict, reason=value.reason, note=value.note,
        )  # fmt: skip

    def _apply(self) -> None:
        self._set(self.after)

    def _revert(self) -> None:
        self._set(self.before)


class AddSpanCommand(_ReviewCommand):
    def __init__(self, context: CommandContext, position: int, span_id: str, label: str) -> None:
        super().__init__(context, position, f"Claim {position}: mark {label} evidence")
        self.span_id = span_id

    def _apply(self) -> None:
        self.context.service.restore_span(self.span_id)

    def _revert(self) -> None:
        self.context.service.remove_span(self.span_id)


class RemoveSpanCommand(_ReviewCommand):
    def __init__(self, context: CommandContext, position: int, span_id: str) -> None:
        super().__init__(context, position, f"Claim {position}: remove evidence")
        self.span_id = span_id

    def _apply(self) -> None:
        self.context.service.remove_span(self.span_id)

    def _revert(self) -> None:
        self.context.service.restore_span(self.span_id)
