"""The records list's Level column: the computed grounding level beside the imported one.

Fed by the stored levels read with each row and by ``services.grounding_levels.refresh_levels``; the
model asks ``badge_data`` for each role, so the column's look lives here and the list model only
passes the badge through. A row whose level is not known yet (never computed, or computed under
an older rule set) shows "…" until the background computation reaches it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from reviewer_app.domain.level_summary import GroundingBadge, level_sort_key

OVER_STATES = "over-states its grounding"
NOT_KNOWN = "…"
_OVER_COLOUR = "#c62828"
_DIFFERS_COLOUR = "#ef6c00"


def badge_data(badge: GroundingBadge | None, role: int, sort_role: int) -> Any:
    if role == Qt.ItemDataRole.DisplayRole:
        return badge.text if badge else NOT_KNOWN
    if role == sort_role:
        return -1 if badge is None else level_sort_key(badge.rank, badge.over_states)
    if badge is None:
        if role == Qt.ItemDataRole.ToolTipRole:
            return "Grounding level not computed yet (it is being computed in the background)"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None
    if role == Qt.ItemDataRole.ToolTipRole:
        claimed = f"imported {badge.imported_level}" if badge.imported_level else "none imported"
        lines = [f"Computed grounding {badge.level} ({claimed})"]
        if badge.over_states:
            lines.append(f"The synthesis {OVER_STATES}.")
        if badge.difference:
            lines.append(f"It {badge.difference}.")
        return "\n".join(lines)
    if role == Qt.ItemDataRole.ForegroundRole and badge.difference:
        return QColor(_OVER_COLOUR if badge.over_states else _DIFFERS_COLOUR)
    if role == Qt.ItemDataRole.TextAlignmentRole:
        return int(Qt.AlignmentFlag.AlignCenter)
    return None


def badge_search(badge: GroundingBadge | None) -> str:
    if badge is None:
        return ""
    return f" {badge.level} {OVER_STATES if badge.over_states else ''}"
