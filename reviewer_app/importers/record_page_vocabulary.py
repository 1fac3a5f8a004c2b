"""Everything the record page importer knows by name: headings, labels and their aliases.

A new label, heading or alias is a one-line change here; tests/test_import_vocabulary.py
imports a sample rewritten with every alias listed. Value forms (dates, scores, levels) are in
:mod:`reviewer_app.importers.values` and shared with the other formats.
"""

from __future__ import annotations

import re

HEADER = "header"
"""Pseudo-section: the ``Submitted: 27 May 2026`` rows under the title."""

SECTION_LABELS: dict[str, tuple[str, ...]] = {
    HEADER: ("Submitted", "Review score", "Verification", "Quality tier", "Verified claims"),
    "Abstract": (),
    "Research Question": (),
    "Verification Level": ("Paper level", "Source-grounded claims", "Claim record source"),
    "Truth-Engine Gate Verdict": ("Status", "Gate", "Reason", "Evaluated"),
    "Quality Tier": ("Tier", "Basis"),
    "Quality Dimensions": (
        "Evidence strength",
        "Citation grounding",
        "Uncertainty disclosure",
        "Reproducibility status",
    ),
    "Correction Record": ("Status", "Correction count", "Manifest contract", "Correction contract"),
    "Provenance": (
        "Publisher",
        "Public provenance",
        "Report artifact",
        "External record",
        "Claim lineage",
        "Review method",
        "Quality guide",
        "Provenance contract",
        "Note",
    ),
}
"""Known labels by section heading. Sections with no labels hold prose."""

HEADING_ALIASES: dict[str, tuple[str, ...]] = {
    "Truth-Engine Gate Verdict": ("Gate Verdict",),
    "Correction Record": ("Corrections",),
}
"""Other names of the section headings; any case, ``##`` and a trailing colon are accepted too."""

LABEL_ALIASES: dict[str, tuple[str, ...]] = {
    "Submitted": ("Published", "Date submitted"),
    "Verified claims": ("Verified claim count",),
    "Reproducibility status": ("Reproducibility",),
    "Correction count": ("Number of corrections",),
}
"""Other names of row labels, in any section that has the label; read as the label itself."""

RECORD_ID = re.compile(r"[A-Z]{2,10}:[0-9A-F]{6,16}")
"""``SRCH:8F12A054``: the publisher's id, on the line above the title when present."""

VERIFICATION_LEVEL = re.compile(r"L[1-3]")
"""The verification levels the app knows; another value is kept as unrecognised content."""
