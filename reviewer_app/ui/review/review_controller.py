"""Ties the review parts to the main window: the reviewer, the claims and their verdicts, the
evidence drawn over the PDF, the undo stack. Every change goes straight to the service, which
commits it at once (autosave); the controller only redraws what the service reports."""

from __future__ import annotations

import dataclasses
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QUndoStack

from reviewer_app.domain.evidence import ClaimVerdict, Stance, Verdict
from reviewer_app.domain.records import SynthesisRecord
from reviewer_app.errors import ReviewerAppError
from reviewer_app.services.review_types import ClaimState
from reviewer_app.ui.review.highlights import (
    STANCE_COLOURS,
    Z_SPAN,
    Flasher,
    OverlayLayer,
    quads_bounds,
)
from reviewer_app.ui.review.selection import TextSelection
from reviewer_app.ui.review.sources_view import SourcesController
from reviewer_app.ui.review.undo_commands import (
    AddSpanCommand,
    CommandContext,
    RemoveSpanCommand,
    SetVerdictCommand,
    VerdictValue,
)

if TYPE_CHECKING:
    from reviewer_app.ui.main_window import MainWindow

VERDICT_ACTIONS = {
    "verdict_supports": Verdict.SUPPORTS,
    "verdict_special_case": Verdict.SPECIAL_CASE,
    "verdict_contradicts": Verdict.CONTRADICTS,
    "verdict_conflicting": Verdict.CONFLICTING,
    "verdict_not_enough_evidence": Verdict.NOT_ENOUGH_EVIDENCE,
    "verdict_clear": None,
}
STANCE_ACTIONS = {
    "mark_supports": Stance.SUPPORTS,
    "mark_contradicts": Stance.CONTRADICTS,
    "mark_context": Stance.CONTEXT,
}


class ReviewController(QObject):
    def __init__(self, window: MainWindow, service: Any, settings: QSettings | None) -> None:
        super().__init__(window)
        self.window = window
        self.service = service
        self.settings = settings
        self.panel = window.claims
        self.view = window.pdf_pane.view
        self.undo_stack = QUndoStack(self)
        self.selection = TextSelection(self.view)
        self.spans_layer = OverlayLayer(self.view, Z_SPAN)
        self.flasher = Flasher(self)
        self.sources = SourcesController(window, service, self)
        self.record_id: str | None = None
        self._connect()

    @property
    def reviewer(self) -> str:
        return self.window.reviewer_combo.reviewer

    # -- records and claims --------------------------------------------------------------------
    def show_record(self, local_id: str, record: SynthesisRecord) -> None:
        self.record_id = local_id
        self.undo_stack.clear()  # commands name claims of the record they were made on
        self.selection.clear()
        # The new record's sources first: until they are shown, the file on screen (and its
        # SHA-256) is the previous record's, and asking the service about it would fail.
        self.sources.show_record(local_id)
        self.panel.set_states(self._claim_states(record), extracted=record.claims_extracted)
        if self.panel.model.rowCount():
            self.panel.step(1)

    def _claim_states(self, record: SynthesisRecord) -> list[Any]:
        assert self.record_id is not None
        try:
            return list(self.service.claim_states(self.record_id, self.reviewer))
        except ReviewerAppError as exc:
            self.window.show_error("Cannot read the verdicts", str(exc))
            return [
                ClaimState(c.position, c.text, c.confidence, c.verified, None, None, None, 0)
                for c in record.claims
            ]

    def refresh_claim(self, position: int) -> None:
        """Re-read one claim's state, its evidence and the highlights after a change."""
        if self.record_id is None:
            return
        states = {s.position: s for s in self.service.claim_states(self.record_id, self.reviewer)}
        if position in states:
            self.panel.update_state(states[position])
        self.refresh_evidence()

    def refresh_all(self) -> None:
        if self.record_id is None:
            return
        position = self.panel.current_position
        self.panel.set_states(
            list(self.service.claim_states(self.record_id, self.reviewer)), extracted=None
        )
        if position is not None:
            self.panel.select_position(position)
        self.refresh_evidence()

    def refresh_evidence(self) -> None:
        """Redraw the spans on the file shown and list the current claim's evidence."""
        self.spans_layer.clear()
        sha = self.sources.current_sha256
        position = self.panel.current_position
        if self.record_id is None or sha is None:
            self.panel.evidence.set_spans(())
            return
        # the loaded layer only: until it arrives (off the GUI thread) the stored quads are drawn
        doc_text = self.view.loaded_text()
        views = self.service.spans(self.record_id, source_sha256=sha, reviewer=self.reviewer)
        for view in views:
            if view.is_orphan:
                continue
            self.spans_layer.show(
                view.span.id, view.page_anchors(doc_text), STANCE_COLOURS[view.span.stance]
            )
        self.panel.evidence.set_spans([v for v in views if v.span.claim_position == position])

    # -- the keyboard loop ---------------------------------------------------------------------
    def set_verdict(self, verdict: Verdict | None) -> bool:
        state = self.panel.current_state()
        if self.record_id is None or state is None:
            return False
        reason = None
        if verdict is not None and verdict.needs_evidence and not state.evidence_count:
            reason = self.window.ask_reason(verdict)  # None: the person cancelled
            if reason is None:
                return False
        before = VerdictValue(state.verdict, state.reason, state.note)
        after = VerdictValue(verdict, reason, state.note)
        try:
            stored = self.service.set_verdict(
                self.record_id, state.position, reviewer=self.reviewer,
                verdict=verdict, reason=reason, note=state.note,
            )  # fmt: skip
        except ReviewerAppError as exc:
            self.window.show_error("Verdict not recorded", str(exc))
            return False
        self.undo_stack.push(SetVerdictCommand(self._context(), state.position, before, after))
        self._show_stored_verdict(state, stored)
        return True

    def _show_stored_verdict(self, state: Any, stored: ClaimVerdict | None) -> None:
        """Show the verdict the service stored (None: cleared) in the claim's row.

        The service returns what now counts, so the claim is not read again, and a verdict
        changes no span, so the highlights stay: re-reading both made a keypress cost two
        more read transactions and the redraw of every span on the page."""
        if not dataclasses.is_dataclass(state):
            self.refresh_claim(state.position)
            return
        self.panel.update_state(
            dataclasses.replace(
                state,
                verdict=stored.verdict if stored else None,
                reason=stored.reason if stored else None,
                note=stored.note if stored else None,
            )
        )

    def mark_selection_with_note(self) -> bool:
        """Ask the stance and a note for the selection, then attach it."""
        span = self.selection.span
        if span is None:
            return self.mark_selection(Stance.SUPPORTS)  # reports that nothing is selected
        answer = self.window.ask_evidence_note(span.quote)
        return answer is not None and self.mark_selection(answer[0], answer[1])

    def mark_selection(self, stance: Stance, note: str | None = None) -> bool:
        """Attach the selected words to the current claim as evidence with ``stance``."""
        position = self.panel.current_position
        span, doc_text = self.selection.span, self.view.document_text()
        sha = self.sources.current_sha256
        if self.record_id is None or position is None:
            self.window.show_error("No claim chosen", "Choose the claim the evidence is for.")
            return False
        if span is None or doc_text is None or sha is None:
            self.window.show_error(
                "Nothing selected", "Drag over words in an attached source PDF to select them."
            )
            return False
        stance = Stance(stance)
        try:
            added = self.service.add_span(
                self.record_id, position, reviewer=self.reviewer, source_sha256=sha,
                span=span, doc_text=doc_text, stance=stance, note=note,
            )  # fmt: skip
        except ReviewerAppError as exc:
            self.window.show_error("Evidence not recorded", str(exc))
            return False
        # The span is committed: from here on the window must show it and be able to undo it,
        # whatever else fails while redrawing.
        self.undo_stack.push(AddSpanCommand(self._context(), position, added.id, stance.value))
        self.selection.clear()
        self.refresh_claim(position)
        return True

    def remove_evidence(self) -> bool:
        view = self.panel.evidence.current_span()
        if self.record_id is None or view is None:
            return False
        try:
            self.service.remove_span(view.span.id)
        except ReviewerAppError as exc:
            self.window.show_error("Evidence not removed", str(exc))
            return False
        position = view.span.claim_position
        self.undo_stack.push(RemoveSpanCommand(self._context(), position, view.span.id))
        self.refresh_claim(position)
        return True

    def show_span(self, view: Any) -> None:
        """Scroll the PDF to a span from the evidence list and flash it."""
        if view.is_orphan or view.page is None:
            self.window.statusBar().showMessage(
                "This span could not be placed in the file shown (orphan)", 6000
            )
            return
        self.view.reveal(view.page, quads_bounds(view.quads))
        self.flasher.flash(self.spans_layer.items(view.span.id))

    def _context(self) -> CommandContext:
        assert self.record_id is not None
        return CommandContext(
            self.service, self.record_id, self.reviewer, self._on_command_ran,
            self.window.show_error,
        )  # fmt: skip

    def _on_command_ran(self, position: int) -> None:
        self.refresh_claim(position)
        self.panel.select_position(position)

    # -- wiring --------------------------------------------------------------------------------
    def _guarded(self, command: Callable[[], object]) -> Callable[..., None]:
        """Run a key's command so that an unexpected failure cannot leave the window showing
        something other than the database: the error is reported and everything re-read."""

        def run(*_args: object) -> None:
            try:
                command()
            except Exception as exc:  # the window must stay true to the database
                traceback.print_exc()
                self.window.show_error(
                    "Something went wrong",
                    f"{exc}\n\nThe window now shows what is stored in the workspace.",
                )
                self.refresh_all()

        return run

    def _connect(self) -> None:
        a, guarded = self.window.app_actions, self._guarded
        a["next_claim"].triggered.connect(guarded(lambda: self.panel.step(1)))
        a["previous_claim"].triggered.connect(guarded(lambda: self.panel.step(-1)))
        for name, verdict in VERDICT_ACTIONS.items():
            a[name].triggered.connect(guarded(lambda v=verdict: self.set_verdict(v)))
        for name, stance in STANCE_ACTIONS.items():
            a[name].triggered.connect(guarded(lambda s=stance: self.mark_selection(s)))
        a["mark_with_note"].triggered.connect(guarded(self.mark_selection_with_note))
        a["remove_evidence"].triggered.connect(guarded(self.remove_evidence))
        a["undo"].triggered.connect(guarded(self.undo_stack.undo))
        a["redo"].triggered.connect(guarded(self.undo_stack.redo))
        self.undo_stack.canUndoChanged.connect(a["undo"].setEnabled)
        self.undo_stack.canRedoChanged.connect(a["redo"].setEnabled)
        self.panel.sig_claim_selected.connect(self._on_claim_selected)
        self.panel.evidence.sig_span_activated.connect(self.show_span)
        self.window.reviewer_combo.sig_reviewer_changed.connect(self._on_reviewer_changed)
        self.sources.sig_source_shown.connect(self._on_source_shown)
        self.view.text_layers.sig_text_layer_ready.connect(self.refresh_evidence)
        self.selection.sig_selection_changed.connect(self._on_selection_changed)
        self.selection.sig_waiting_for_text.connect(
            lambda text: self.window.statusBar().showMessage(text, 5000)
        )

    def _on_selection_changed(self, span: Any) -> None:
        """Show what S, C, X or N would store, before it is stored."""
        if span is None:
            if self.window.statusBar().currentMessage().startswith("Selected "):
                self.window.statusBar().clearMessage()  # the preview of what is gone
            return
        quote = " ".join(span.quote.split())
        shown = quote if len(quote) <= 90 else f"{quote[:40]}…{quote[-40:]}"
        self.window.statusBar().showMessage(
            f"Selected {len(quote)} characters: “{shown}” — S, C, X or N attaches it", 30000
        )

    def _on_claim_selected(self, _position: int) -> None:
        self.refresh_evidence()

    def _on_source_shown(self, sha256: str) -> None:
        self.selection.clear()
        if sha256:
            # the layer kept with the passage index when there is one, read on a pool thread
            service = self.service
            self.view.text_layers.request(lambda: service.text_layer(sha256), kind="stored")
        self.refresh_evidence()

    def _on_reviewer_changed(self, _name: str) -> None:
        self.undo_stack.clear()  # undoing another reviewer's change would be surprising
        self.refresh_all()
