"""Everything the report importer knows by name: headings, counts, claim columns, links.

One table per kind of thing, each with its aliases and value forms, so that a new heading,
column name, verified mark or way of writing a count is a one-line change here;
tests/test_import_vocabulary.py imports a sample rewritten with every alias listed.
Every pattern is bounded (it runs on untrusted text and must stay linear).
"""

from __future__ import annotations

import re

ABSTRACT_HEADING = "Abstract"
REFERENCES_HEADING = "References"

REPORT_HEADINGS: dict[str, tuple[str, ...]] = {
    ABSTRACT_HEADING: ("Summary",),
    REFERENCES_HEADING: ("Bibliography", "Works cited"),
}
"""Unnumbered headings, with their aliases (matched in any case, with or without ``##``)."""

NUMBERED_HEADING = re.compile(
    r"(?P<number>\d{1,2})\.?[ \t]{1,4}(?P<name>[A-Z][A-Za-z][A-Za-z\- ]{0,58})"
)
"""``3 Results``: a number and a capitalised name with no punctuation, so that body text such
as ``13 papers retrieved. ...`` is never taken for a heading."""

REQUIRED_SECTIONS = ("Abstract", "Results", "References")
WORD_COUNTS = {"no": 0, "none": 0, "zero": 0}
# A count starts where no digit, letter or decimal point precedes it: inside a run of 50,000
# digits only the first position can start a match, so the search stays linear.
_COUNT = r"(?<![\w.,])(?P<count>\d{1,6}|no|none|zero)"
RESULT_COUNTS: dict[str, re.Pattern[str]] = {
    name: re.compile(_COUNT + pattern, re.IGNORECASE)
    for name, pattern in {
        "papers_retrieved": r"\s{1,3}(?:papers?|sources?)\s{1,3}(?:were\s{1,3})?retrieved",
        "claims_extracted": r"\s{1,3}claims?\s{1,3}(?:were\s{1,3}|was\s{1,3})?extracted",
        "claims_verified": (
            r"\s{1,3}(?:claims?\s{1,3})?(?:were\s{1,3}|was\s{1,3}|are\s{1,3})?"
            r"independently\s{1,3}verified"
        ),
    }.items()
}
"""How the Results sentence states each count ("10 claims extracted", "none independently
verified", "10 claims were extracted, of which 0 were independently verified")."""
RESEARCH_QUESTION = re.compile(r"Research question:\s{0,3}(?P<question>[^?]{1,2000}\?)")
RESEARCH_STATEMENT = re.compile(r"Research question:\s{0,3}(?P<question>[^\n]{1,2000}?)\.?$")
REVIEW_SCORE = re.compile(
    r"review score:\s{0,3}(\d{1,3}(?:\.\d{1,6})?\s{0,3}/\s{0,3}10)", re.IGNORECASE
)

CLAIMS_SECTION = "extracted claims"
"""Casefolded name of the report section holding the table (its heading is numbered)."""
CLAIMS_HEADING = "Extracted Claims"

CLAIM_COLUMNS: dict[str, tuple[str, ...]] = {
    "claim": ("claim", "claims", "statement"),
    "verified": ("verified", "verification", "verified?"),
    "confidence": ("confidence", "conf.", "confidence score"),
}
"""The three columns the table must start with, each with its aliases (casefolded)."""
VERIFIED_MARKS = {"✓": True, "✔": True, "✅": True, "yes": True, "true": True, "y": True}
UNVERIFIED_MARKS = {"×": False, "✗": False, "✘": False, "❌": False, "no": False, "false": False}
MARKS = VERIFIED_MARKS | UNVERIFIED_MARKS

MAX_REFERENCE_LINE = 6000
"""Longer lines are kept as unrecognised without matching (keeps matching linear)."""

REFERENCE_FORMS = re.compile(
    # A bullet (-, *, •), a number (1. / 1) / [1]) or nothing, then the link with or without
    # angle brackets, then perhaps the work's title.
    r"(?P<bullet>[-*•\u2013]|\d{1,4}[.)]|\[\d{1,4}\])?[ \t]{0,8}"
    r"(?:<(?P<bracketed>[^<>\s]{1,2000})>|(?P<bare>[^<>\s]{1,2000}))"
    r"(?:[ \t]{1,8}(?P<rest>\S.{0,4000}))?"
)
LINK_WITHOUT_BULLET = re.compile(r"(?:https?://|www\.|doi:|arxiv:)", re.IGNORECASE)
