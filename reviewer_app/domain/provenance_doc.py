"""Who did what when, as a W3C PROV-JSON document built from a bundle's review JSON.

Reviewers (and the app) are agents; records, source PDFs, score sheet versions, verdicts, evidence
spans, adjudications, corrections, tiers and the bundle itself are entities; each judgement is an
instantaneous activity that used the record and generated the entity, associated with its agent.
A later version of a reviewer's sheet ``wasDerivedFrom`` the earlier one (a ``prov:Revision``).
Identifiers depend only on the content, so equal work gives an equal document.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

PREFIXES = {
    "sr": "urn:synthesis-reviewer:",
    "prov": "http://www.w3.org/ns/prov#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
APP_AGENT = "sr:agent/synthesis-reviewer"


@dataclass(frozen=True)
class RecordWork:
    """One record's part of a bundle: its record, review and annotation JSON."""

    stem: str
    record: Mapping[str, Any]
    review: Mapping[str, Any]
    annotations: Sequence[Mapping[str, Any]]


def reviewer_agent(name: str) -> str:
    return f"sr:reviewer/{quote(name, safe='')}"


class _Document:
    def __init__(self) -> None:
        self.sections: dict[str, dict[str, dict[str, Any]]] = {}
        self._relation_counts: dict[str, int] = {}

    def add(self, section: str, identifier: str, **attributes: Any) -> str:
        self.sections.setdefault(section, {})[identifier] = {
            k: v for k, v in attributes.items() if v is not None
        }
        return identifier

    def relate(self, relation: str, **attributes: Any) -> None:
        number = self._relation_counts.get(relation, 0) + 1
        self._relation_counts[relation] = number
        self.add(relation, f"_:{relation}{number}", **attributes)

    def act(
        self,
        identifier: str,
        kind: str,
        time: str,
        agent: str | None,
        generated: str,
        used: Sequence[str] = (),
    ) -> None:
        """An instantaneous activity by ``agent`` that used ``used`` and generated ``generated``."""
        self.add(
            "activity",
            identifier,
            **{
                "prov:type": f"sr:{kind}",
                "prov:startTime": time,
                "prov:endTime": time,
            },
        )
        self.relate(
            "wasGeneratedBy",
            **{
                "prov:entity": generated,
                "prov:activity": identifier,
                "prov:time": time,
            },
        )
        for entity in used:
            self.relate("used", **{"prov:activity": identifier, "prov:entity": entity})
        if agent is not None:
            self.relate("wasAssociatedWith", **{"prov:activity": identifier, "prov:agent": agent})
            self.relate("wasAttributedTo", **{"prov:entity": generated, "prov:agent": agent})


def provenance_document(
    works: Sequence[RecordWork],
    *,
    exporter: str,
    app_version: str,
    exported: str,
    policies: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """The PROV-JSON document of ``works``, ending with the export that made the bundle."""
    doc = _Document()
    doc.add(
        "agent",
        APP_AGENT,
        **{
            "prov:type": "prov:SoftwareAgent",
            "prov:label": f"Synthesis Reviewer {app_version}",
        },
    )
    for policy in policies:
        doc.add(
            "entity",
            f"sr:tier-policy/{policy['version']}",
            **{
                "prov:type": "sr:TierPolicy",
                "prov:generatedAtTime": policy["created"],
            },
        )
    for work in works:
        _add_record(doc, work)
    bundle = doc.add("entity", "sr:bundle", **{"prov:type": "sr:ReviewBundle"})
    doc.add(
        "agent", reviewer_agent(exporter), **{"prov:type": "prov:Person", "prov:label": exporter}
    )
    doc.act(
        "sr:activity/export",
        "Export",
        exported,
        reviewer_agent(exporter),
        bundle,
        [f"sr:record/{work.stem}" for work in works],
    )
    doc.relate(
        "wasAssociatedWith", **{"prov:activity": "sr:activity/export", "prov:agent": APP_AGENT}
    )
    return {"prefix": PREFIXES, **doc.sections}


def _add_record(doc: _Document, work: RecordWork) -> None:
    stem, review = work.stem, work.review
    record = doc.add(
        "entity",
        f"sr:record/{stem}",
        **{
            "prov:type": "sr:SynthesisRecord",
            "prov:label": work.record["title"],
            "sr:id": work.record["id"],
            "sr:source": f"urn:sha256:{review['source_sha256']}",
        },
    )
    for reviewer in review["reviewers"]:
        doc.add(
            "agent",
            reviewer_agent(reviewer["name"]),
            **{
                "prov:type": "prov:Person",
                "prov:label": reviewer["name"],
                "sr:orcid": reviewer["orcid"] and f"https://orcid.org/{reviewer['orcid']}",
            },
        )
    for source in review["sources"]:
        pdf = doc.add(
            "entity",
            f"sr:pdf/{source['sha256']}",
            **{
                "prov:type": "sr:SourcePdf",
                "prov:label": source["file_name"],
            },
        )
        agent = source["attached_by"] and reviewer_agent(source["attached_by"])
        doc.act(
            f"sr:activity/{stem}/attach/{source['sha256']}",
            "Attaching",
            source["attached"],
            agent,
            pdf,
            [record],
        )
    previous: dict[str, str] = {}
    for n, sheet in enumerate(review["score_sheets"], start=1):
        entity = doc.add(
            "entity",
            f"sr:{stem}/sheet/{n}",
            **{
                "prov:type": "sr:ScoreSheet",
                "sr:reviewScore": sheet["review_score"],
                "sr:submitted": sheet["submitted"],
                "sr:firstImpression": sheet["first_impression"],
            },
        )
        doc.act(
            f"sr:activity/{stem}/sheet/{n}",
            "Scoring",
            sheet["created"],
            reviewer_agent(sheet["reviewer"]),
            entity,
            [record],
        )
        if sheet["reviewer"] in previous:
            doc.relate(
                "wasDerivedFrom",
                **{
                    "prov:generatedEntity": entity,
                    "prov:usedEntity": previous[sheet["reviewer"]],
                    "prov:type": "prov:Revision",
                },
            )
        previous[sheet["reviewer"]] = entity
    for claim in review["claims"]:
        for n, verdict in enumerate(claim["verdicts"], start=1):
            local = f"{stem}/claim/{claim['position']}/verdict/{n}"
            entity = doc.add(
                "entity",
                f"sr:{local}",
                **{
                    "prov:type": "sr:ClaimVerdict",
                    "sr:verdict": verdict["verdict"],
                },
            )
            doc.act(
                f"sr:activity/{local}",
                "Judging",
                verdict["created"],
                reviewer_agent(verdict["reviewer"]),
                entity,
                [record],
            )
    for annotation in work.annotations:
        span_id = str(annotation["id"]).removeprefix("urn:uuid:")
        body, source = annotation["body"], annotation["target"]["source"]
        entity = doc.add(
            "entity",
            f"sr:span/{span_id}",
            **{
                "prov:type": "sr:EvidenceSpan",
                "sr:stance": body["stance"],
                "sr:removedAtTime": annotation.get("sr:removed"),
            },
        )
        pdf = f"sr:pdf/{source.removeprefix('urn:sha256:')}"
        doc.sections["entity"].setdefault(pdf, {"prov:type": "sr:SourcePdf"})
        doc.act(
            f"sr:activity/span/{span_id}",
            "Annotating",
            annotation["created"],
            reviewer_agent(body["reviewer"]),
            entity,
            [record, pdf],
        )
    for n, item in enumerate(review["adjudications"], start=1):
        entity = doc.add(
            "entity",
            f"sr:{stem}/adjudication/{n}",
            **{
                "prov:type": "sr:Adjudication",
                "sr:field": item["field"],
                "sr:value": item["value"],
            },
        )
        doc.act(
            f"sr:activity/{stem}/adjudication/{n}",
            "Adjudicating",
            item["created"],
            reviewer_agent(item["adjudicator"]),
            entity,
            [record],
        )
    for entry in review["corrections"]["history"]:
        entity = doc.add(
            "entity",
            f"sr:correction/{entry['id']}",
            **{
                "prov:type": "sr:Correction",
                "prov:label": entry["what"],
            },
        )
        doc.act(
            f"sr:activity/correction/{entry['id']}",
            "Correcting",
            entry["created"],
            reviewer_agent(entry["reviewer"]),
            entity,
            [record],
        )
    for tier in review["tier_results"]:
        version = tier["policy_version"]
        entity = doc.add(
            "entity",
            f"sr:{stem}/tier/{version}",
            **{
                "prov:type": "sr:TierResult",
                "prov:label": tier["tier"],
            },
        )
        doc.act(
            f"sr:activity/{stem}/tier/{version}",
            "TierComputation",
            tier["computed"],
            APP_AGENT,
            entity,
            [record, f"sr:tier-policy/{version}"],
        )
