"""Icons of the scoring UI: names used in code mapped to qtawesome specs (like ``ui.icons``)."""

from __future__ import annotations

from functools import cache

import qtawesome as qta
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

SCORING_ICON_SPECS: dict[str, tuple[str, str | None]] = {
    "disagreement": ("mdi6.alert-circle", "#c62828"),
    "adjudicated": ("mdi6.gavel", "#2e7d32"),
    "open_conflict": ("mdi6.scale-unbalanced", "#ef6c00"),
    "save_draft": ("mdi6.content-save-outline", None),
    "submit_sheet": ("mdi6.send-check-outline", None),
    "export_plot": ("mdi6.image-move", None),
    "tier_differs": ("mdi6.flag", "#c62828"),
}


@cache
def scoring_icon(name: str) -> QIcon:
    """The icon registered as ``name`` (a KeyError names a missing registration)."""
    if QApplication.instance() is None:
        raise RuntimeError(f"icon {name!r} asked for before the QApplication exists")
    spec, colour = SCORING_ICON_SPECS[name]
    return qta.icon(spec, color=colour) if colour else qta.icon(spec)
