"""Merge a bundle's review work into the workspace: append-only, deduplicated, never overwriting.

A row from the bundle is added only when the workspace has no row with the same natural key:
the id for spans and corrections, (record, PDF) for sources, (span, PDF) for re-anchorings,
(record, policy version) for tiers, and the whole JSON form (who, what, when) for verdicts,
sheets and adjudications. Re-importing the same bundle therefore adds nothing. The caller owns
the transaction; everything here runs inside it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from reviewer_app.domain.evidence import from_web_annotation
from reviewer_app.domain.records import QUALITY_DIMENSIONS, SynthesisRecord
from reviewer_app.storage.bundle_repository import (
    adjudication_json,
    reviewer_directory,
    sheet_json,
    verdict_json,
)
from reviewer_app.storage.first_impressions import keep_one_first_impression
from reviewer_app.storage.models import Base, RecordRow, RevisionRow
from reviewer_app.storage.records_repository import save_revision
from reviewer_app.storage.review_models import (
    AdjudicationRow,
    ClaimVerdictRow,
    CorrectionRow,
    EvidenceSpanRow,
    ScoreSheetRow,
    SourceFileRow,
    SpanAnchorRow,
    TierPolicyRow,
    TierResultRow,
)
from reviewer_app.storage.reviewers_repository import ensure_reviewer, find_reviewer
from reviewer_app.storage.row_values import anchor_continuation, as_utc, continuation_json

ORIGIN_LENGTH = 80


@dataclass
class RecordMerge:
    record_id: str
    revision_status: str
    """``new`` (the record was unknown), ``revised`` (a new revision) or ``unchanged``."""
    added: Counter[str] = field(default_factory=Counter)
    """Rows added per kind: score_sheets, verdicts, spans, span_anchors, adjudications,
    tier_results, corrections, sources."""


def parse_time(text: str) -> datetime:
    return as_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))


def _key(document: Mapping[str, Any]) -> str:
    return json.dumps(document, sort_keys=True, ensure_ascii=False)


class BundleMerger:
    """Adds one bundle's rows to the session; call ``merge_policies`` before the records."""

    def __init__(self, session: Session, *, origin: str, source_name: str) -> None:
        self.session = session
        self.origin = origin[:ORIGIN_LENGTH]
        self.source_name = source_name
        self._reviewer_ids: dict[str, int] = {}
        self._names = {rid: name for rid, (name, _) in reviewer_directory(session).items()}
        self.usable_policies: set[int] = set()
        self.warnings: list[str] = []

    def merge_policies(self, policies: Sequence[Mapping[str, Any]]) -> int:
        """Add policy versions the workspace lacks; returns how many were added."""
        added = 0
        for policy in policies:
            version = policy["version"]
            local = self.session.get(TierPolicyRow, version)
            if local is None:
                self.session.add(
                    TierPolicyRow(
                        version=version,
                        definition=policy["definition"],
                        created_at=parse_time(policy["created"]),
                    )
                )
                added += 1
            elif _key(local.definition) != _key(policy["definition"]):
                self.warnings.append(
                    f"tier policy version {version} differs from this workspace's; "
                    "the bundle's tiers computed under it were not imported"
                )
                continue
            self.usable_policies.add(version)
        self.session.flush()
        return added

    def merge_record(
        self,
        record: SynthesisRecord,
        review: Mapping[str, Any],
        annotations: Sequence[Mapping[str, Any]],
    ) -> RecordMerge:
        record_id, status = self._merge_revision(record)
        merge = RecordMerge(record_id, status)
        orcids = {r["name"]: r["orcid"] for r in review["reviewers"]}
        for reviewer in review["reviewers"]:
            self._reviewer(reviewer["name"], orcids)
        rid = lambda name: self._reviewer(name, orcids)  # noqa: E731
        merge.added["verdicts"] = self._add_verdicts(record_id, review["claims"], rid)
        merge.added["score_sheets"] = self._add_by_json(
            ScoreSheetRow,
            record_id,
            [_sheet_row(s, rid) for s in review["score_sheets"]],
            sheet_json,
        )
        merge.added["adjudications"] = self._add_by_json(
            AdjudicationRow,
            record_id,
            [_adjudication_row(a, rid) for a in review["adjudications"]],
            adjudication_json,
        )
        merge.added["tier_results"] = self._add_tiers(record_id, review["tier_results"])
        merge.added["corrections"] = self._add_corrections(
            record_id, review["corrections"]["history"], rid
        )
        merge.added["sources"] = self._add_sources(record_id, review["sources"], rid)
        spans, anchors = self._add_spans(record_id, annotations, rid)
        merge.added["spans"], merge.added["span_anchors"] = spans, anchors
        return merge

    def _merge_revision(self, record: SynthesisRecord) -> tuple[str, str]:
        local_id = self.session.scalar(
            select(RecordRow.id).where(RecordRow.identity_key == record.identity_key)
        )
        if local_id is not None:
            known = self.session.execute(
                select(RevisionRow.content_sha256, RevisionRow.source_sha256).where(
                    RevisionRow.record_id == local_id
                )
            ).all()
            content = record.content_sha256
            if any(
                r.content_sha256 == content or r.source_sha256 == record.source_sha256
                for r in known
            ):
                return local_id, "unchanged"
        saved = save_revision(self.session, record, self.source_name)
        return saved.local_id, saved.status

    def _reviewer(self, name: str, orcids: Mapping[str, str | None]) -> int:
        if name not in self._reviewer_ids:
            new = find_reviewer(self.session, name) is None
            row = ensure_reviewer(self.session, name, orcid=orcids.get(name))
            if new:  # brought by this bundle: not a reviewer of this workspace
                row.imported_from = self.origin
            self._reviewer_ids[name] = row.id
            self._names[row.id] = row.name
        return self._reviewer_ids[name]

    def _insert(self, table: type[Base], rows: list[dict[str, Any]]) -> int:
        if rows:
            self.session.execute(insert(table.__table__), rows)
        return len(rows)

    def _add_by_json(
        self,
        table: type[Base],
        record_id: str,
        incoming: Iterable[dict[str, Any]],
        to_json: Callable[[Any, Mapping[int, str]], dict[str, Any]],
        extra_key: Callable[[Any], Any] = lambda row: None,
    ) -> int:
        """Insert the incoming rows whose JSON form (and ``extra_key``) is not yet present."""
        column = table.__table__.c.record_id
        existing = self.session.scalars(select(table).where(column == record_id))
        names = self._names
        seen = {(extra_key(row), _key(to_json(row, names))) for row in existing}
        new_rows = []
        for values in incoming:
            values = {**values, "record_id": record_id, "origin": self.origin}
            transient = table(**values)  # never added to the session: only its JSON form
            key = (extra_key(transient), _key(to_json(transient, names)))
            if key not in seen:
                seen.add(key)
                new_rows.append(values)
        if table is ScoreSheetRow:  # after the comparison above, which sees the rows as sent
            new_rows = keep_one_first_impression(self.session, record_id, new_rows)
        return self._insert(table, new_rows)

    def _add_verdicts(
        self, record_id: str, claims: Sequence[Mapping[str, Any]], rid: Callable[[str], int]
    ) -> int:
        rows = [
            {
                "claim_position": claim["position"],
                "reviewer_id": rid(v["reviewer"]),
                "verdict": v["verdict"],
                "reason": v["reason"],
                "note": v["note"],
                "created_at": parse_time(v["created"]),
            }
            for claim in claims
            for v in claim["verdicts"]
        ]
        return self._add_by_json(
            ClaimVerdictRow, record_id, rows, verdict_json, lambda row: row.claim_position
        )

    def _add_tiers(self, record_id: str, tiers: Sequence[Mapping[str, Any]]) -> int:
        existing = set(
            self.session.scalars(
                select(TierResultRow.policy_version).where(TierResultRow.record_id == record_id)
            )
        )
        rows = []
        for tier in tiers:
            version = tier["policy_version"]
            if version in existing or version not in self.usable_policies:
                continue
            existing.add(version)
            rows.append(
                {
                    "record_id": record_id,
                    "policy_version": version,
                    "tier": tier["tier"],
                    "basis": tier["basis"],
                    "computed_at": parse_time(tier["computed"]),
                }
            )
        return self._insert(TierResultRow, rows)

    def _add_corrections(
        self, record_id: str, history: Sequence[Mapping[str, Any]], rid: Callable[[str], int]
    ) -> int:
        ids = [entry["id"] for entry in history]
        existing = set(
            self.session.scalars(select(CorrectionRow.id).where(CorrectionRow.id.in_(ids)))
        )
        rows = []
        for entry in history:
            if entry["id"] in existing:
                continue
            existing.add(entry["id"])
            rows.append(
                {
                    "id": entry["id"],
                    "record_id": record_id,
                    "reviewer_id": rid(entry["reviewer"]),
                    "what": entry["what"],
                    "why": entry["why"],
                    "evidence": entry["evidence"],
                    "created_at": parse_time(entry["created"]),
                }
            )
        return self._insert(CorrectionRow, rows)

    def _add_sources(
        self, record_id: str, sources: Sequence[Mapping[str, Any]], rid: Callable[[str], int]
    ) -> int:
        existing = set(
            self.session.scalars(
                select(SourceFileRow.sha256).where(SourceFileRow.record_id == record_id)
            )
        )
        rows = []
        for source in sources:
            if source["sha256"] in existing:
                continue
            existing.add(source["sha256"])
            attached_by = source["attached_by"]
            rows.append(
                {
                    "record_id": record_id,
                    "sha256": source["sha256"],
                    "reference_url": source["reference_url"],
                    "arxiv_id": source["arxiv_id"],
                    "arxiv_version": source["arxiv_version"],
                    "file_name": source["file_name"],
                    "size": source["size"],
                    "page_count": source["page_count"],
                    "attached_at": parse_time(source["attached"]),
                    "attached_by": None if attached_by is None else rid(attached_by),
                }
            )
        return self._insert(SourceFileRow, rows)

    def _add_spans(
        self,
        record_id: str,
        annotations: Sequence[Mapping[str, Any]],
        rid: Callable[[str], int],
    ) -> tuple[int, int]:
        ids = [str(a["id"]).removeprefix("urn:uuid:") for a in annotations]
        found = self.session.execute(
            select(
                EvidenceSpanRow.id, EvidenceSpanRow.record_id, EvidenceSpanRow.reviewer_id
            ).where(EvidenceSpanRow.id.in_(ids))
        )
        # re-anchorings are added only to a span of the same record by the same reviewer, so
        # an annotation reusing someone else's span id cannot move their evidence
        owners = {row.id: (row.record_id, self._names.get(row.reviewer_id)) for row in found}
        spans: list[dict[str, Any]] = []
        anchors: list[dict[str, Any]] = []
        for annotation in annotations:
            span = from_web_annotation(dict(annotation))
            if span.id not in owners:
                owners[span.id] = (record_id, span.reviewer)
                removed = annotation.get("sr:removed")
                spans.append(
                    {
                        "id": span.id,
                        "record_id": record_id,
                        "claim_position": span.claim_position,
                        "reviewer_id": rid(span.reviewer),
                        "source_sha256": span.source_sha256,
                        "stance": span.stance.value,
                        "note": span.note,
                        "page": span.page,
                        "quads": [list(q) for q in span.quads],
                        "continuation": continuation_json(span.continuation),
                        "exact": span.exact,
                        "prefix": span.prefix,
                        "suffix": span.suffix,
                        "start": span.start,
                        "end": span.end,
                        "created_at": as_utc(span.created_at),
                        "removed_at": None if removed is None else parse_time(removed),
                    }
                )
            if owners[span.id] == (record_id, span.reviewer):
                anchors.extend({**a, "span_id": span.id} for a in annotation.get("sr:anchors", ()))
        added_spans = self._insert(EvidenceSpanRow, spans)
        return added_spans, self._add_anchors(anchors)

    def _add_anchors(self, anchors: list[dict[str, Any]]) -> int:
        span_ids = sorted({a["span_id"] for a in anchors})
        found = self.session.execute(
            select(SpanAnchorRow.span_id, SpanAnchorRow.pdf_sha256).where(
                SpanAnchorRow.span_id.in_(span_ids)
            )
        )
        existing = {(row.span_id, row.pdf_sha256) for row in found}
        rows = []
        for anchor in anchors:
            key = (anchor["span_id"], anchor["pdf_sha256"])
            if key in existing:
                continue
            existing.add(key)
            rows.append(
                {
                    "span_id": anchor["span_id"],
                    "pdf_sha256": anchor["pdf_sha256"],
                    "status": anchor["status"],
                    "page": anchor["page"],
                    "quads": anchor["quads"],
                    # absent in bundles written before continuation pages were kept
                    "continuation": anchor_continuation(anchor.get("continuation"), anchor["page"]),
                    "start": anchor["start"],
                    "end": anchor["end"],
                    "score": anchor["score"],
                    "computed_at": parse_time(anchor["computed"]),
                }
            )
        return self._insert(SpanAnchorRow, rows)


def _sheet_row(sheet: Mapping[str, Any], rid: Callable[[str], int]) -> dict[str, Any]:
    score = sheet["review_score"]
    return {
        "reviewer_id": rid(sheet["reviewer"]),
        **{name: sheet[name] for name in QUALITY_DIMENSIONS},
        "review_score": None if score is None else float(score),
        "recommendation": sheet["recommendation"],
        "comments": sheet["comments"],
        "submitted": sheet["submitted"],
        "first_impression": sheet["first_impression"],
        "created_at": parse_time(sheet["created"]),
    }


def _adjudication_row(item: Mapping[str, Any], rid: Callable[[str], int]) -> dict[str, Any]:
    return {
        "field": item["field"],
        "claim_position": item["claim_position"],
        "value": item["value"],
        "rationale": item["rationale"],
        "adjudicator_id": rid(item["adjudicator"]),
        "created_at": parse_time(item["created"]),
    }
