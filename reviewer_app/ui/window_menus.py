"""The menu bar: every action of the app in one place, under the menu a person looks in.

Names are ``AppActions`` keys; ``None`` is a separator. Shortcuts show next to each entry.
"""

from __future__ import annotations

MENUS: dict[str, list[str | None]] = {
    "&File": [
        "open_pdf",
        "import_records",
        None,
        "export_bundle",
        "import_bundle",
        "verify_bundle",
        "file_correction",
        None,
        "attach_pdf",
        "scan_folder",
        "download_source",
        None,
        "quit",
    ],
    "&Edit": ["undo", "redo", None, "find", "find_next", "find_previous"],
    "&Review": [
        "next_claim",
        "previous_claim",
        None,
        "verdict_supports",
        "verdict_special_case",
        "verdict_contradicts",
        "verdict_conflicting",
        "verdict_not_enough_evidence",
        "verdict_clear",
        None,
        "mark_supports",
        "mark_contradicts",
        "mark_context",
        "mark_with_note",
        "remove_evidence",
    ],
    "&Go": ["first_page", "previous_page", "next_page", "last_page", None, "go_to_page"],
    "&View": [
        "zoom_in",
        "zoom_out",
        None,
        "fit_width",
        "fit_page",
        None,
        "page_thumbnails",
        "records_list",
        "scoring_panel",
    ],
    "&Help": ["keyboard_help", None, "about"],
}
