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

Lines the importer does not know (a banner above the title, a footer after the references) are
kept as unrecognised content; a count that disagrees with the claims table is flagged there too.
"""

from __future__ import annotations

import re
from datetime import date

from reviewer_app.domain.records import Claim, RecordKind, SynthesisRecord, Unrecognised
from reviewer_app.importers.chrome import clean_abstract, without_chrome
from reviewer_app.importers.headings import alias_table, heading_text, without_heading_marks
from reviewer_app.importers.report_claims import parse_claims_table
from reviewer_app.importers.report_references import parse_references
from reviewer_app.importers.report_vocabulary import (
    ABSTRACT_HEADING,
    CLAIMS_SECTION,
    NUMBERED_HEADING,
    REFERENCES_HEADING,
    REPORT_HEADINGS,
    REQUIRED_SECTIONS,
    RESEARCH_QUESTION,
    RESEARCH_STATEMENT,
    RESULT_COUNTS,
    REVIEW_SCORE,
    WORD_COUNTS,
)
from reviewer_app.importers.values import (
    MalformedExport,
    join_or,
    join_paragraphs,
    parse_long_date,
    require_date,
    require_score,
)

BEFORE_TITLE = "before the title"
UNDER_TITLE = "under the title"
_UNNUMBERED = alias_table(REPORT_HEADINGS)
__all__ = ["ABSTRACT_HEADING", "REFERENCES_HEADING", "parse_report", "report_heading"]


def report_heading(line: str) -> str | None:
    """The casefolded section name ``line`` opens, or None when it is not a heading."""
    text = heading_text(line)
    if text is None:
        return None
    if text.casefold() in _UNNUMBERED:
        return _UNNUMBERED[text.casefold()].casefold()
    numbered = NUMBERED_HEADING.fullmatch(text)
    return numbered.group("name").strip().casefold() if numbered else None


def parse_report(lines: list[str], source_sha256: str) -> SynthesisRecord:
    kept: list[Unrecognised] = []
    preamble, sections = _split_sections(without_chrome(lines))
    missing = [name for name in REQUIRED_SECTIONS if name.casefold() not in sections]
    if missing:
        raise MalformedExport(f"report is incomplete: no {join_or(missing)} section")
    title, publisher, published = _parse_preamble(preamble, kept)
    abstract = clean_abstract(join_paragraphs(sections["abstract"]))
    if not abstract:
        raise MalformedExport("report is incomplete: the Abstract section is empty")
    results = " ".join(line.strip() for line in sections["results"] if line.strip())
    counts = {name: _count(pattern, results) for name, pattern in RESULT_COUNTS.items()}
    claims: tuple[Claim, ...] = ()
    if CLAIMS_SECTION in sections:
        claims = parse_claims_table(sections[CLAIMS_SECTION], kept)
    elif counts["claims_extracted"]:
        raise MalformedExport(
            f"report is incomplete: it says {counts['claims_extracted']} claims were extracted "
            "but has no Extracted Claims table"
        )
    _flag_count_problems(counts, claims, results, kept)
    references = parse_references(sections["references"], kept)
    score = REVIEW_SCORE.search(results)
    return SynthesisRecord(
        kind=RecordKind.REPORT,
        title=title,
        source_sha256=source_sha256,
        publisher=publisher,
        date=published,
        abstract=abstract,
        research_question=_research_question(sections.get("introduction", [])),
        papers_retrieved=counts["papers_retrieved"],
        claims_extracted=counts["claims_extracted"],
        claims_verified=counts["claims_verified"],
        claims=claims,
        references=references,
        review_score=require_score(score.group(1), "review score") if score else None,
        unrecognised=tuple(kept),
    )


def _split_sections(lines: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    """Lines before the Abstract heading, and each section's body by casefolded name."""
    preamble: list[str] = []
    sections: dict[str, list[str]] = {}
    body = preamble
    for line in lines:
        name = report_heading(line)
        if name is None:
            body.append(line)
            continue
        if name in sections:
            raise MalformedExport(f"report has two {heading_text(line)} sections")
        body = sections[name] = []
    return preamble, sections


def _parse_preamble(preamble: list[str], kept: list[Unrecognised]) -> tuple[str, str, date]:
    """Title, publisher and date: the last date line, the line above it, and the title block.

    The title is the block of lines (between blank lines) above the publisher: a banner or a
    navigation line above it is a block of its own and is kept as unrecognised, never glued
    into the title, which would change the record's id.
    """
    block = 0
    numbered: list[tuple[int, str]] = []  # (block number, line)
    for line in preamble:
        if line.strip():
            numbered.append((block, line.strip()))
        else:
            block += 1
    date_at = next(
        (i for i in range(len(numbered) - 1, -1, -1) if parse_long_date(numbered[i][1])), None
    )
    if date_at is None or date_at < 2:
        if len(numbered) >= 3:
            require_date(numbered[-1][1], "report date")  # says why the last line is no date
        raise MalformedExport(
            "report is incomplete: expected a title, a publisher and a date before the Abstract"
        )
    publisher_block, publisher = numbered[date_at - 1]
    title_end = date_at - 2
    title_block = numbered[title_end][0]
    title_start = title_end
    if title_block != publisher_block:  # the title may wrap over several lines of its block
        while title_start > 0 and numbered[title_start - 1][0] == title_block:
            title_start -= 1
    title = " ".join(
        without_heading_marks(line) for _, line in numbered[title_start : title_end + 1]
    )
    kept += [Unrecognised(BEFORE_TITLE, line) for _, line in numbered[:title_start]]
    kept += [Unrecognised(UNDER_TITLE, line) for _, line in numbered[date_at + 1 :]]
    published = parse_long_date(numbered[date_at][1])
    assert published is not None  # found by the same function above
    return title, publisher, published


def _count(pattern: re.Pattern[str], results: str) -> int | None:
    match = pattern.search(results)
    if match is None:
        return None
    count = match.group("count").casefold()
    return WORD_COUNTS[count] if count in WORD_COUNTS else int(count)


def _flag_count_problems(
    counts: dict[str, int | None],
    claims: tuple[Claim, ...],
    results: str,
    kept: list[Unrecognised],
) -> None:
    """Counts that disagree are imported as stated and flagged for the reviewer, never fixed."""
    extracted, verified = counts["claims_extracted"], counts["claims_verified"]
    problems = []
    if extracted is None:
        problems.append("does not say how many claims were extracted")
    elif claims and len(claims) != extracted:
        problems.append(
            f"says {extracted} claims were extracted but the claims table has {len(claims)} rows"
        )
    if verified is None:
        problems.append("does not say how many claims were independently verified")
    elif extracted is not None and verified > extracted:
        problems.append(f"says {verified} claims were verified but only {extracted} extracted")
    kept += [Unrecognised("Results", results[:2000], f"the Results section {p}") for p in problems]


def _research_question(introduction: list[str]) -> str | None:
    text = " ".join(line.strip() for line in introduction)
    match = RESEARCH_QUESTION.search(text) or RESEARCH_STATEMENT.search(text)
    return match.group("question").strip() if match else None
