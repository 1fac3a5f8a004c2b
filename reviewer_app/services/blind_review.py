"""Blind review: what a reviewer may see of the others' sheets, who is a party to a record's
review, and the anonymised sheets an adjudicator (who is not) works from."""

from __future__ import annotations

import string
from collections.abc import Sequence

from reviewer_app.domain.review_sheets import ReviewerSheet
from reviewer_app.domain.score_sheets import ScoreSheet
from reviewer_app.domain.workspace_settings import BLIND_MODE
from reviewer_app.services.scoring_rules import party_work, refuse_a_party, require_record
from reviewer_app.services.workspace_settings import WorkspaceSettingsService, setting_in
from reviewer_app.storage import scoring_repository as repo
from reviewer_app.storage.database import Database


class BlindReview:
    def __init__(self, database: Database, settings: WorkspaceSettingsService) -> None:
        self.database = database
        self.settings = settings

    def visible_sheets(self, record_id: str, viewer: str) -> list[ScoreSheet]:
        """What ``viewer`` may see: in blind mode, only their own sheet until they submit it."""
        with self.database.reading() as session:
            blind = setting_in(session, BLIND_MODE)
            sheets = repo.newest_sheets(session, record_id)
        own = next((s for s in sheets if s.reviewer == viewer), None)
        if blind and not (own and own.submitted):
            return [own] if own else []
        return [s for s in sheets if s.submitted or s.reviewer == viewer]

    def hides_others_from(self, viewer: str, submitted: Sequence[ReviewerSheet]) -> bool:
        """Blind review hides the other reviewers' judgements on a record from ``viewer``:
        blind mode is on and ``viewer`` is not among the record's ``submitted`` sheets."""
        return self.settings.blind_mode() and all(s.reviewer != viewer for s in submitted)

    def is_party(self, record_id: str, reviewer: str) -> bool:
        """``reviewer`` has worked on the record: a score sheet (draft or submitted), a verdict
        or an evidence span (the team server's row-level security counts the same)."""
        with self.database.reading() as session:
            return party_work(session, record_id, reviewer) is not None

    def can_adjudicate(self, record_id: str, reviewer: str) -> bool:
        """The adjudicator role is only for records the reviewer has not worked on."""
        return not self.is_party(record_id, reviewer)

    def anonymised_sheets(self, record_id: str, adjudicator: str) -> list[tuple[str, ScoreSheet]]:
        """Submitted sheets labelled Reviewer A, B, C… for an adjudicator, in a stable order.

        Refused to anyone who has worked on the record: for them the rule of blind review holds
        (``visible_sheets``), whatever they call themselves."""
        with self.database.reading() as session:
            require_record(session, record_id)
            refuse_a_party(
                session, record_id, adjudicator,
                ", so cannot act as its adjudicator; the other reviewers' sheets appear once "
                "the own sheet is submitted",
            )  # fmt: skip
            newest = repo.newest_sheets(session, record_id)
        submitted = [sheet for sheet in newest if sheet.submitted]
        submitted.sort(key=lambda s: s.created_at)
        return [(f"Reviewer {_letter(i)}", sheet) for i, sheet in enumerate(submitted)]


def _letter(index: int) -> str:
    letters = string.ascii_uppercase
    return (
        letters[index]
        if index < len(letters)
        else f"{letters[index // 26 - 1]}{letters[index % 26]}"
    )
