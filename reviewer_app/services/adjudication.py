"""Adjudication: a reviewer who is no party to a record settles its conflicts, one item at a
time, as an additive record beside the sheets."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from reviewer_app.domain.consensus import Adjudication
from reviewer_app.errors import ReviewerAppError
from reviewer_app.services.scoring_rules import refuse_a_party, require_record
from reviewer_app.storage import scoring_repository as repo
from reviewer_app.storage.database import Database
from reviewer_app.storage.reviewers_repository import ensure_reviewer_profile


class AdjudicationService:
    def __init__(self, database: Database) -> None:
        self.database = database

    def adjudications(self, record_id: str | None = None) -> dict[str, list[Adjudication]]:
        """By record, in the order they were made."""
        with self.database.reading() as session:
            stored = repo.adjudications(session, record_id)
        found: dict[str, list[Adjudication]] = defaultdict(list)
        for record, adjudication in stored:
            found[record].append(adjudication)
        return dict(found)

    def adjudicate(
        self,
        record_id: str,
        *,
        field: str,
        value: Any,
        rationale: str,
        adjudicator: str,
        claim_position: int | None = None,
    ) -> Adjudication:
        """Settle one item; an additive record, the reviewers' sheets stay as they are."""
        if not rationale.strip():
            raise ReviewerAppError("an adjudication needs a rationale")
        decision = Adjudication(field, claim_position, value, rationale.strip(), adjudicator)
        with self.database.transaction() as session:
            require_record(session, record_id)
            refuse_a_party(
                session, record_id, adjudicator,
                " and so is a party to its conflicts: another reviewer must adjudicate them",
            )  # fmt: skip
            person = ensure_reviewer_profile(session, adjudicator)
            repo.add_adjudication(session, record_id, decision, person)
        return decision
