"""Score sheets, blind review, agreement, conflicts, adjudication and tiers (issue 5): one
service per use case, and ``ScoringService`` holding one of each over the same database.

The use cases need one another (blind review reads the settings, the ratings' conflicts and
consensus read the adjudications, tiers read both): ``ScoringService`` wires them once.
"""

from __future__ import annotations

from reviewer_app.domain.score_sheets import RECOMMENDATIONS, ScoreSheet
from reviewer_app.domain.workspace_settings import BLIND_MODE, HIDE_MACHINE_MARKS
from reviewer_app.services.adjudication import AdjudicationService
from reviewer_app.services.blind_review import BlindReview
from reviewer_app.services.ratings import RatingsService
from reviewer_app.services.scoring_rules import InvalidSheet, RoleRefused
from reviewer_app.services.sheets import SheetService
from reviewer_app.services.tiers import TierReport, TierService
from reviewer_app.services.workspace_settings import WorkspaceSettingsService
from reviewer_app.storage.database import Database

# the domain's and the use cases' names, offered here too for the window and the CLI
__all__ = [
    "BLIND_MODE",
    "HIDE_MACHINE_MARKS",
    "RECOMMENDATIONS",
    "InvalidSheet",
    "RoleRefused",
    "ScoreSheet",
    "ScoringService",
    "TierReport",
]


class ScoringService:
    """The scoring use cases of one workspace database."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.settings = WorkspaceSettingsService(database)
        self.sheets = SheetService(database)
        self.blind = BlindReview(database, self.settings)
        self.adjudication = AdjudicationService(database)
        self.ratings = RatingsService(database, self.adjudication)
        self.tiers = TierService(database, self.ratings, self.adjudication)
