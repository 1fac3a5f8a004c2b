"""``summary.html``: a bundle readable in any browser, without the app.

One section per record: its facts, the claims with every reviewer's verdict, the newest score
sheet per reviewer, the dimensions per reviewer and the scores against the tier thresholds as
inline SVG charts, the computed tiers, adjudications, corrections and sources. Built only from
the bundle's own JSON, so it shows exactly what the bundle holds. All text is HTML-escaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any

from reviewer_app.bundles.layout import source_member
from reviewer_app.bundles.svg_charts import dimension_chart, score_chart, series_for
from reviewer_app.domain.evidence import VERDICT_LABELS, Verdict
from reviewer_app.domain.provenance_doc import RecordWork
from reviewer_app.domain.records import QUALITY_DIMENSIONS
from reviewer_app.wording import counted

_STYLE = (
    "body{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 1em;color:#222}"
    "table{border-collapse:collapse;margin:.5em 0 1em}td,th{border:1px solid #bbb;"
    "padding:.25em .5em;text-align:left;vertical-align:top}th{background:#eee}"
    "section{border-top:2px solid #444;margin-top:2em}code{font-size:.85em}"
)


def summary_html(
    works: Sequence[RecordWork],
    *,
    policies: Sequence[Mapping[str, Any]],
    exporter: str,
    created: str,
    app_version: str,
) -> str:
    thresholds = {p["version"]: _score_thresholds(p["definition"]) for p in policies}
    body = "".join(_record_section(work, thresholds) for work in works)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Review bundle by {escape(exporter)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>Review bundle</h1><p>Exported by <strong>{escape(exporter)}</strong> on "
        f"{escape(created)} with Synthesis Reviewer {escape(app_version)}; "
        f"{counted(len(works), 'record')}. Check it with "
        "<code>reviewer-app verify</code>.</p>"
        f"{body}</body></html>\n"
    )


def _record_section(work: RecordWork, thresholds: Mapping[int, list[tuple[str, float]]]) -> str:
    record, review = work.record, work.review
    newest = _newest_sheets(review["score_sheets"])
    names = sorted(set(newest) | {v["reviewer"] for c in review["claims"] for v in c["verdicts"]})
    series = series_for(names)
    tiers = review["tier_results"]
    lines = thresholds.get(tiers[-1]["policy_version"], []) if tiers else []
    automated = (record.get("quality_tier") or {}).get("tier")
    parts = [
        f'<section id="{escape(work.stem)}"><h2>{escape(record["title"])}</h2>',
        _facts(
            {
                "Id": record["id"],
                "Kind": record["kind"],
                "Publisher": record["publisher"],
                "Date": record["date"],
                "Imported review score": record["review_score"],
                "Automated tier": automated,
                "Source SHA-256": review["source_sha256"],
            }
        ),
        "<h3>Claims and verdicts</h3>",
        _claims_table(review["claims"], names, work.annotations),
        "<h3>Score sheets (newest version per reviewer)</h3>",
        _sheets_table(newest, review["score_sheets"]),
    ]
    if newest:
        parts.append(
            dimension_chart(
                f"Quality dimensions of {record['id']} per reviewer",
                QUALITY_DIMENSIONS,
                series,
                {name: {d: sheet[d] for d in QUALITY_DIMENSIONS} for name, sheet in newest.items()},
            )
        )
        parts.append(
            score_chart(
                f"Review scores of {record['id']} against the tier thresholds",
                series,
                {name: sheet["review_score"] for name, sheet in newest.items()},
                lines,
            )
        )
    parts += [
        "<h3>Tiers</h3>",
        _table(
            ["Policy", "Tier", "Basis", "Computed"],
            [[t["policy_version"], t["tier"], t["basis"], t["computed"]] for t in tiers],
        ),
        "<h3>Adjudications</h3>",
        _table(
            ["Field", "Claim", "Value", "Rationale", "Adjudicator", "When"],
            [
                [
                    a["field"],
                    a["claim_position"],
                    a["value"],
                    a["rationale"],
                    a["adjudicator"],
                    a["created"],
                ]
                for a in review["adjudications"]
            ],
        ),
        _corrections(review["corrections"]),
        "<h3>Sources</h3>",
        _sources(review["sources"]),
        "</section>",
    ]
    return "".join(parts)


def _claims_table(
    claims: Sequence[Mapping[str, Any]],
    names: Sequence[str],
    annotations: Sequence[Mapping[str, Any]],
) -> str:
    evidence: dict[int, int] = {}
    for annotation in annotations:
        if "sr:removed" not in annotation:
            position = annotation["body"]["claim"]["position"]
            evidence[position] = evidence.get(position, 0) + 1
    rows = []
    for claim in claims:
        newest = {v["reviewer"]: v for v in claim["verdicts"]}  # in time order: last wins
        rows.append(
            [claim["position"], claim["text"] or "(not in this revision)"]
            + [_verdict_label(newest.get(name)) for name in names]
            + [evidence.get(claim["position"], 0)]
        )
    return _table(["#", "Claim", *names, "Evidence spans"], rows)


def _verdict_label(verdict: Mapping[str, Any] | None) -> str:
    if verdict is None or verdict["verdict"] is None:
        return "–"
    return VERDICT_LABELS[Verdict(verdict["verdict"])]


def _sheets_table(newest: Mapping[str, Mapping[str, Any]], every: Sequence[Any]) -> str:
    versions: dict[str, int] = {}
    for sheet in every:
        versions[sheet["reviewer"]] = versions.get(sheet["reviewer"], 0) + 1
    headers = [
        "Reviewer",
        *(d.replace("_", " ") for d in QUALITY_DIMENSIONS),
        "Score",
        "Recommendation",
        "Submitted",
        "First impression",
        "Versions",
        "Comments",
    ]
    rows = [
        [
            name,
            *(sheet[d] for d in QUALITY_DIMENSIONS),
            sheet["review_score"],
            sheet["recommendation"],
            "yes" if sheet["submitted"] else "draft",
            "yes" if sheet["first_impression"] else "",
            versions[name],
            sheet["comments"],
        ]
        for name, sheet in sorted(newest.items())
    ]
    return _table(headers, rows)


def _corrections(corrections: Mapping[str, Any]) -> str:
    head = (
        f"<h3>Corrections</h3><p>Status: {escape(str(corrections['status'] or 'none'))}; "
        f"count: {corrections['count']}</p>"
    )
    return head + _table(
        ["Reviewer", "What", "Why", "Evidence", "When"],
        [
            [c["reviewer"], c["what"], c["why"], c["evidence"], c["created"]]
            for c in corrections["history"]
        ],
    )


def _sources(sources: Sequence[Mapping[str, Any]]) -> str:
    rows = []
    for source in sources:
        name = escape(source["file_name"])
        cell = (
            f'<a href="{escape(source_member(source["sha256"]))}">{name}</a>'
            if source["included"]
            else name
        )
        rows.append(f"<tr><td>{cell}</td><td><code>{escape(source['sha256'])}</code></td></tr>")
    if not rows:
        return "<p>None.</p>"
    return "<table><tr><th>File</th><th>SHA-256</th></tr>" + "".join(rows) + "</table>"


def _newest_sheets(sheets: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    return {sheet["reviewer"]: sheet for sheet in sheets}  # in time order: last wins


def _score_thresholds(definition: Any) -> list[tuple[str, float]]:
    """(tier, minimum consensus score) for each tier of a policy that sets one."""
    lines = []
    for tier in definition.get("tiers", ()) if isinstance(definition, dict) else ():
        for rule in tier.get("rules", ()) if isinstance(tier, dict) else ():
            if not isinstance(rule, dict):
                continue
            threshold = rule.get("threshold")
            if rule.get("kind") == "min_consensus_score" and isinstance(threshold, int | float):
                lines.append((str(tier.get("name")), float(threshold)))
    return lines


def _facts(facts: Mapping[str, Any]) -> str:
    items = "".join(
        f"<tr><th>{escape(k)}</th><td>{escape(str(v))}</td></tr>"
        for k, v in facts.items()
        if v is not None
    )
    return f"<table>{items}</table>"


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    if not rows:
        return "<p>None.</p>"
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape('' if v is None else str(v))}</td>" for v in row) + "</tr>"
        for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"
