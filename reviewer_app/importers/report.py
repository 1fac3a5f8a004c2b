"""Report text exports: title, publisher, date, Abstract, numbered sections, References.

Layout (blank lines between blocks)::

    Title
    Assignee Research
    May 29, 2026
    Abstract
    ...
    1 Introduction          <- "Research question: ...?." lives here
    ...
    3 Results               <- "11 papers retrieved. 10 claims extracted; 0 independently ..."
    ...
    5 Extracted Claims      <- optional tab-separated table
    References
    - <http://arxiv.org/abs/2407.17856v4>
"""

from __future__ import annotations

import re
from datetime import date

from reviewer_app.domain.records import RecordKind, Reference, SynthesisRecord
from reviewer_app.importers.chrome import clean_abstract, without_chrome
from reviewer_app.importers.report_claims import CLAIMS_SECTION, parse_claims_table
from reviewer_app.importers.values import (
    MalformedExport,
    join_or,
    join_paragraphs,
    require_date,
    require_score,
)

ABSTRACT_HEADING = "Abstract"
REFERENCES_HEADING = "References"
NUMBERED_HEADING = re.compile(r"(?P<number>\d{1,2})\s+(?P<name>[A-Z][A-Za-z][A-Za-z\- ]{0,58})")
"""``3 Results``: a number and a capitalised name with no punctuation, so that body text such
as ``13 papers retrieved. ...`` is never taken for a heading."""

_REQUIRED_SECTIONS = ("Abstract", "Results", "References")
# Up to and including the first question mark; the sentence's full stop after it is dropped.
_RESEARCH_QUESTION = re.compile(r"Research question:\s*(?P<question>[^?]+\?)")
_RESEARCH_STATEMENT = re.compile(r"Research question:\s*(?P<question>.+?)\.?$")
_PAPERS_RETRIEVED = re.compile(r"(\d+) papers? retrieved")
_CLAIMS_EXTRACTED = re.compile(r"(\d+) claims? extracted")
_CLAIMS_VERIFIED = re.compile(r"(\d+) (?:were )?independently verified")
_REVIEW_SCORE = re.compile(r"review score:\s*(\d+(?:\.\d+)?\s*/\s*10)", re.IGNORECASE)
_REFERENCE_LINE = re.compile(r"[-*•]\s+(?:<(?P<bracketed>[^<>\s]+)>|(?P<bare>[^<>\s]+))")


def parse_report(lines: list[str], source_sha256: str) -> SynthesisRecord:
    preamble, sections = _split_sections(without_chrome(lines))
    missing = [name for name in _REQUIRED_SECTIONS if name.casefold() not in sections]
    if missing:
        raise MalformedExport(f"report is incomplete: no {join_or(missing)} section")
    title, publisher, published = _parse_preamble(preamble)
    abstract = clean_abstract(join_paragraphs(sections["abstract"]))
    if not abstract:
        raise MalformedExport("report is incomplete: the Abstract section is empty")
    results = " ".join(line.strip() for line in sections["results"])
    claims_extracted = _required_count(_CLAIMS_EXTRACTED, results, "claims were extracted")
    claims_verified = _required_count(_CLAIMS_VERIFIED, results, "claims were verified")
    if claims_verified > claims_extracted:
        raise MalformedExport(
            f"the Results section says {claims_verified} claims were verified "
            f"but only {claims_extracted} were extracted"
        )
    claims = ()
    if CLAIMS_SECTION in sections:
        claims = parse_claims_table(sections[CLAIMS_SECTION], claims_extracted)
    elif claims_extracted:
        raise MalformedExport(
            f"report is incomplete: it says {claims_extracted} claims were extracted "
            "but has no Extracted Claims table"
        )
    score = _REVIEW_SCORE.search(results)
    papers = _PAPERS_RETRIEVED.search(results)
    return SynthesisRecord(
        kind=RecordKind.REPORT,
        title=title,
        source_sha256=source_sha256,
        publisher=publisher,
        date=published,
        abstract=abstract,
        research_question=_research_question(sections.get("introduction", [])),
        papers_retrieved=int(papers.group(1)) if papers else None,
        claims_extracted=claims_extracted,
        claims_verified=claims_verified,
        claims=claims,
        references=_parse_references(sections["references"]),
        review_score=require_score(score.group(1), "review score") if score else None,
    )


def _split_sections(lines: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    """Lines before the Abstract heading, and each section's body by casefolded name."""
    preamble: list[str] = []
    sections: dict[str, list[str]] = {}
    body = preamble
    for line in lines:
        name = _heading_name(line.strip())
        if name is None:
            body.append(line)
            continue
        if name.casefold() in sections:
            raise MalformedExport(f"report has two {name} sections")
        body = sections[name.casefold()] = []
    return preamble, sections


def _heading_name(line: str) -> str | None:
    if line in (ABSTRACT_HEADING, REFERENCES_HEADING):
        return line
    numbered = NUMBERED_HEADING.fullmatch(line)
    return numbered.group("name").strip() if numbered else None


def _parse_preamble(preamble: list[str]) -> tuple[str, str, date]:
    content = [line.strip() for line in preamble if line.strip()]
    if len(content) < 3:
        raise MalformedExport(
            "report is incomplete: expected a title, a publisher and a date before the Abstract"
        )
    *title_lines, publisher, published = content
    return " ".join(title_lines), publisher, require_date(published, "report date")


def _required_count(pattern: re.Pattern[str], results: str, what: str) -> int:
    match = pattern.search(results)
    if match is None:
        raise MalformedExport(
            f"report is incomplete: the Results section does not say how many {what}"
        )
    return int(match.group(1))


def _research_question(introduction: list[str]) -> str | None:
    text = " ".join(line.strip() for line in introduction)
    match = _RESEARCH_QUESTION.search(text) or _RESEARCH_STATEMENT.search(text)
    return match.group("question").strip() if match else None


def _parse_references(body: list[str]) -> tuple[Reference, ...]:
    references = []
    for line in (line.strip() for line in body):
        if not line:
            continue
        match = _REFERENCE_LINE.fullmatch(line)
        if match is None:
            raise MalformedExport(f"References line {line[:80]!r} is not a link such as '- <URL>'")
        references.append(Reference.from_url(match.group("bracketed") or match.group("bare")))
    if not references:
        raise MalformedExport("report is incomplete: the References section is empty")
    return tuple(references)
