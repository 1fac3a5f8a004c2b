"""In a team workspace the reviewer is the database role: the reviewer box shows it, locked."""

from __future__ import annotations

from reviewer_app.errors import ReviewerAppError
from reviewer_app.services.team import TeamService
from reviewer_app.ui.review.reviewer_choice import ReviewerCombo

LOCKED_TIP = (
    "This team workspace records your work as the database role you connected as ({role}); "
    "connect as another role to review as someone else"
)


def lock_to_team_role(combo: ReviewerCombo, service: TeamService) -> str | None:
    """Show and lock the connected role in ``combo``; returns it, or None outside a team."""
    try:
        role = service.connected_reviewer()
    except ReviewerAppError:
        return None
    if role is None:
        return None
    combo.set_reviewer(role)
    combo.setEnabled(False)
    combo.setToolTip(LOCKED_TIP.format(role=role))
    return role
