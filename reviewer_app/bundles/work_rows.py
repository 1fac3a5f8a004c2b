"""The rows of reviewer work in a record's review JSON and annotations, each with its author,
a label a person can read, and the digest that a work signature lists.

Tier results, records and policies are not any one reviewer's work: the bundle's signer
vouches for them. Re-anchorings (``sr:anchors``) travel with their span.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reviewer_app.bundles.work_signatures import row_digest

WORK_KINDS = ("sheet", "verdict", "span", "adjudication", "correction", "source")


@dataclass(frozen=True)
class WorkRow:
    kind: str
    """One of ``WORK_KINDS``."""
    record: str
    author: str | None
    """The reviewer whose work it is; None for a source attached by nobody in particular."""
    digest: str
    label: str
    """What it is, for a person: ``verdict on claim 2 (2026-03-01T09:21:00Z)``."""


def _span_signed_form(annotation: Mapping[str, Any]) -> dict[str, Any]:
    """The annotation without what is not the author's: the claim's text (it follows the
    record) and later re-anchorings. (Shallow copies: the annotation itself is left alone.)"""
    form = {key: value for key, value in annotation.items() if key != "sr:anchors"}
    body = form.get("body")
    if isinstance(body, dict) and isinstance(body.get("claim"), dict):
        claim = {key: value for key, value in body["claim"].items() if key != "text"}
        form["body"] = {**body, "claim": claim}
    return form


def _source_signed_form(source: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in source.items() if key != "included"}


def _row(kind: str, record: str, author: str | None, form: dict[str, Any], label: str) -> WorkRow:
    return WorkRow(kind, record, author, row_digest(kind, record, form), label)


def work_rows(
    review: Mapping[str, Any], annotations: Sequence[Mapping[str, Any]]
) -> Iterator[WorkRow]:
    """Every row of reviewer work on one record, in document order."""
    record = review["record"]
    for claim in review["claims"]:
        for verdict in claim["verdicts"]:
            yield _row(
                "verdict",
                record,
                verdict["reviewer"],
                {"claim": claim["position"], **verdict},
                f"verdict {verdict['verdict'] or 'cleared'} on claim {claim['position']} "
                f"({verdict['created']})",
            )
    for sheet in review["score_sheets"]:
        state = "submitted" if sheet["submitted"] else "draft"
        yield _row(
            "sheet", record, sheet["reviewer"], sheet, f"{state} score sheet ({sheet['created']})"
        )
    for item in review["adjudications"]:
        yield _row(
            "adjudication",
            record,
            item["adjudicator"],
            item,
            f"adjudication of {item['field']} ({item['created']})",
        )
    for entry in review["corrections"]["history"]:
        yield _row("correction", record, entry["reviewer"], entry, f"correction {entry['id']}")
    for source in review["sources"]:
        yield _row(
            "source",
            record,
            source["attached_by"],
            _source_signed_form(source),
            f"attached source {source['sha256'][:12]}",
        )
    for annotation in annotations:
        body = annotation["body"]
        yield _row(
            "span",
            record,
            body["reviewer"],
            _span_signed_form(annotation),
            f"evidence span on claim {body['claim']['position']} ({annotation['created']})",
        )


def keep_rows(
    review: Mapping[str, Any],
    annotations: Sequence[Mapping[str, Any]],
    keep: Iterable[bool],
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Copies of ``review`` and ``annotations`` holding only the rows whose flag in ``keep`` is
    true; the flags are in ``work_rows`` order (one per row)."""
    kept = iter(list(keep))
    result = dict(review)  # copies of just the containers changed below
    result["claims"] = [dict(claim) for claim in review["claims"]]
    result["corrections"] = dict(review["corrections"])
    for claim in result["claims"]:
        claim["verdicts"] = [v for v in claim["verdicts"] if next(kept)]
    result["score_sheets"] = [s for s in result["score_sheets"] if next(kept)]
    result["adjudications"] = [a for a in result["adjudications"] if next(kept)]
    history = result["corrections"]["history"]
    result["corrections"]["history"] = [c for c in history if next(kept)]
    result["sources"] = [s for s in result["sources"] if next(kept)]
    spans = [dict(a) for a in annotations if next(kept)]
    return result, spans
