"""One registry of the app's icons: names used in code mapped to qtawesome specs."""

from __future__ import annotations

from functools import cache

import qtawesome as qta
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication
from qtawesome.iconic_font import IconicFont

ICON_SPECS: dict[str, str] = {
    "open_pdf": "mdi6.file-pdf-box",
    "import_records": "mdi6.file-import-outline",
    "first_page": "mdi6.page-first",
    "previous_page": "mdi6.chevron-up",
    "next_page": "mdi6.chevron-down",
    "last_page": "mdi6.page-last",
    "zoom_in": "mdi6.magnify-plus-outline",
    "zoom_out": "mdi6.magnify-minus-outline",
    "fit_width": "mdi6.arrow-expand-horizontal",
    "fit_page": "mdi6.fit-to-page-outline",
    "find": "mdi6.magnify",
    "scoring_panel": "mdi6.clipboard-check-outline",
    "records_list": "mdi6.format-list-bulleted",
    "mark_with_note": "mdi6.note-edit-outline",
    "page_thumbnails": "mdi6.view-grid-outline",
    "export_bundle": "mdi6.package-variant-closed",
    "download_source": "mdi6.cloud-download-outline",
    "import_bundle": "mdi6.package-down",
    "verify_bundle": "mdi6.shield-check-outline",
    "file_correction": "mdi6.file-document-edit-outline",
    "quit": "mdi6.exit-to-app",
    "about": "mdi6.information-outline",
    "keyboard_help": "mdi6.keyboard-outline",
    "filter": "mdi6.filter-variant",
    "claim_verified": "mdi6.check-circle",
    "claim_unverified": "mdi6.close-circle-outline",
    "record_report": "mdi6.file-document-outline",
    "record_record": "mdi6.card-text-outline",
    "record_paper": "mdi6.newspaper-variant-outline",
    "pdf_error": "mdi6.file-alert-outline",
    "next_claim": "mdi6.arrow-down-bold-outline",
    "previous_claim": "mdi6.arrow-up-bold-outline",
    "verdict_supports": "mdi6.check-decagram",
    "verdict_special-case": "mdi6.check-decagram-outline",
    "verdict_contradicts": "mdi6.close-octagon",
    "verdict_conflicting": "mdi6.scale-unbalanced",
    "verdict_not-enough-evidence": "mdi6.help-circle-outline",
    "verdict_clear": "mdi6.eraser",
    "stance_supports": "mdi6.marker",
    "stance_contradicts": "mdi6.marker",
    "stance_context": "mdi6.marker",
    "needs_evidence": "mdi6.alert-outline",
    "orphan": "mdi6.link-variant-off",
    "attach_source": "mdi6.paperclip",
    "assign_source": "mdi6.link-variant",
    "scan_folder": "mdi6.folder-search-outline",
    "undo": "mdi6.undo",
    "redo": "mdi6.redo",
    "find_next": "mdi6.chevron-down",
    "find_previous": "mdi6.chevron-up",
    "close": "mdi6.close",
    "reviewer": "mdi6.account-outline",
    # scoring
    "disagreement": "mdi6.alert-circle",
    "adjudicated": "mdi6.gavel",
    "open_conflict": "mdi6.scale-unbalanced",
    "save_draft": "mdi6.content-save-outline",
    "submit_sheet": "mdi6.send-check-outline",
    "export_plot": "mdi6.image-move",
    "tier_differs": "mdi6.flag",
}

ICON_COLOURS: dict[str, str] = {
    "claim_verified": "#2e7d32",
    "claim_unverified": "#c62828",
    "pdf_error": "#c62828",
    "verdict_supports": "#2e7d32",
    "verdict_special-case": "#689f38",
    "verdict_contradicts": "#c62828",
    "verdict_conflicting": "#ef6c00",
    "verdict_not-enough-evidence": "#607d8b",
    "stance_supports": "#2e7d32",
    "stance_contradicts": "#c62828",
    "stance_context": "#1565c0",
    "needs_evidence": "#ef6c00",
    "orphan": "#8e24aa",
    "disagreement": "#c62828",
    "adjudicated": "#2e7d32",
    "open_conflict": "#ef6c00",
    "tier_differs": "#c62828",
}


ICON_FONT = "mdi6"
"""The one qtawesome font set the icons come from (Material Design Icons 6)."""


@cache
def _icon_font() -> IconicFont:
    """A qtawesome font holding only ``ICON_FONT``: ``qta.icon`` loads and checksums all
    twelve bundled fonts on first use (~10 MB resident and ~25 ms before the first paint)."""
    bundled = getattr(qta, "_BUNDLED_FONTS", ())  # qtawesome's own table of its fonts
    for font in bundled:
        if font[0] == ICON_FONT:
            return IconicFont(font)
    return qta._instance()  # a qtawesome without that table: its usual all-fonts instance


@cache
def icon(name: str) -> QIcon:
    """The icon registered as ``name`` (a KeyError names a missing registration)."""
    if QApplication.instance() is None:  # qtawesome would only warn, and the cache keep junk
        raise RuntimeError(f"icon {name!r} asked for before the QApplication exists")
    spec = ICON_SPECS[name]
    colour = ICON_COLOURS.get(name)
    font = _icon_font()
    # qtawesome's own engine, as it ships: an engine of our own drawing from kept pixmaps made
    # repaints 25 % faster but runs Python inside Qt's paint and detach paths, and a CI run on
    # the fresh machine crashed in event processing after it came in (unexplained, so left out)
    return font.icon(spec, color=colour) if colour else font.icon(spec)
