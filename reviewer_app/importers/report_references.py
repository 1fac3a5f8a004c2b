"""The References section of a report: one link per line, in the forms people write them."""

from __future__ import annotations

from reviewer_app.domain.records import Reference, Unrecognised
from reviewer_app.importers.report_vocabulary import (
    LINK_WITHOUT_BULLET,
    MAX_REFERENCE_LINE,
    REFERENCE_FORMS,
)
from reviewer_app.importers.values import MalformedExport

SECTION = "References"


def parse_references(body: list[str], kept: list[Unrecognised]) -> tuple[Reference, ...]:
    references: list[Reference] = []
    content = [line.strip() for line in body if line.strip()]
    for index, line in enumerate(content):
        match = REFERENCE_FORMS.fullmatch(line) if len(line) <= MAX_REFERENCE_LINE else None
        url = match and (match.group("bracketed") or match.group("bare"))
        if match and not match.group("bullet") and not match.group("bracketed"):
            url = url if url and LINK_WITHOUT_BULLET.match(url) else None
        if not match or not url:
            if (
                index == len(content) - 1
                and line.lstrip("-*• ").startswith("<")
                and ">" not in line
            ):
                raise MalformedExport(
                    f"References line {line[:80]!r} is cut off: the file ends inside a link"
                )
            kept.append(Unrecognised(SECTION, line))
            continue
        references.append(Reference.from_url(url))
        if match.group("rest"):
            kept.append(
                Unrecognised(SECTION, match.group("rest"), f"after reference {len(references)}")
            )
    if not references:
        raise MalformedExport("report is incomplete: the References section has no link")
    return tuple(references)
