"""Grounding of a record: reference checks, claim marks and the computed level (issue 13).

Nothing is trusted from the database alone: every attached file is re-hashed (once per change
on disk, see ``SourceFacts``) and every evidence quote is looked up again at its anchor in the
reference's current file. Results are computed on demand, so they always follow the files, the
spans, the verdicts and the newest rule set; only the records list's summary of each (level,
over-states flag, rule set version, report fingerprint) is stored, per viewer, so that the list
can sort and filter on it (``services/grounding_levels.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from reviewer_app.domain.claim_grounding import (
    ClaimGrounding,
    EvidenceCheck,
    facts_of,
    ground_claims,
)
from reviewer_app.domain.consensus import RecordConsensus, workspace_consensus
from reviewer_app.domain.grounding_rules import (
    DEFAULT_GROUNDING_RULES,
    ComputedLevel,
    GroundingFacts,
    GroundingRules,
    compute_level,
    differs_sentence,
    over_states,
)
from reviewer_app.domain.level_summary import GroundingBadge
from reviewer_app.domain.records import Reference
from reviewer_app.domain.reference_checks import (
    Check,
    OnlineAnswer,
    PdfFacts,
    check_reference,
)
from reviewer_app.domain.tier_policy import GroundingCounts
from reviewer_app.errors import NotFound
from reviewer_app.pdf import PdfStore
from reviewer_app.pdf.source_facts import SourceFacts
from reviewer_app.services.review import pdf_store_dir
from reviewer_app.services.scoring import ScoringService
from reviewer_app.storage import grounding_repository as repo
from reviewer_app.storage.database import Database
from reviewer_app.storage.grounding_repository import RecordInputs, SpanFacts
from reviewer_app.storage.records_repository import record_key

OnlineCheck = Callable[[str], OnlineAnswer]


@dataclass(frozen=True)
class ReferenceReport:
    url: str
    arxiv_id: str | None
    version: int | None
    attached_sha256: str | None
    checks: tuple[Check, ...]
    failing: tuple[str, ...]
    """Required checks (of the rule set) that did not pass; none: evidence here can ground."""

    @property
    def passes(self) -> bool:
        return not self.failing

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "arxiv_id": self.arxiv_id,
            "version": self.version,
            "version_pinned": self.version is not None,
            "attached_sha256": self.attached_sha256,
            "checks": [check.to_json() for check in self.checks],
        }


@dataclass(frozen=True)
class ImportedGrounding:
    level: str | None
    label: str | None
    source_grounded_claims: int | None
    verified_claims: int | None

    def to_json(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "label": self.label,
            "source_grounded_claims": self.source_grounded_claims,
            "verified_claims": self.verified_claims,
        }


@dataclass(frozen=True)
class GroundingReport:
    record: str
    imported: ImportedGrounding
    computed: ComputedLevel
    facts: GroundingFacts
    references: tuple[ReferenceReport, ...]
    claims: tuple[ClaimGrounding, ...]
    difference: str | None
    """Why the record over- or under-states its grounding; None when it does not."""
    over_states: bool
    """The imported level is above the computed one, or the imported count of source-grounded
    (or verified) claims above the review's grounded (or confirmed) ones."""

    @property
    def differs(self) -> bool:
        return self.difference is not None

    def badge(self) -> GroundingBadge:
        return GroundingBadge(
            self.computed.level, self.imported.level, self.over_states, self.difference
        )

    def tier_counts(self) -> GroundingCounts:
        return GroundingCounts(self.computed.rank, self.facts.grounded, self.facts.contradicted)

    def to_json(self) -> dict[str, Any]:
        return {
            "record": self.record,
            "imported": self.imported.to_json(),
            "computed": {
                "level": self.computed.level,
                "label": self.computed.label,
                "source_grounded_claims": self.facts.grounded,
                "confirmed_claims": self.facts.confirmed,
                "contradicted_claims": self.facts.contradicted,
                "basis": self.computed.basis,
                "rules_version": self.computed.rules_version,
            },
            "differs": self.differs,
            "difference": self.difference,
            "references": [reference.to_json() for reference in self.references],
            "claims": [claim.to_json() for claim in self.claims],
        }


class GroundingService:
    def __init__(
        self,
        database: Database,
        pdf_store: PdfStore,
        *,
        facts: SourceFacts | None = None,
        online_check: OnlineCheck | None = None,
    ) -> None:
        self.database = database
        self.facts = facts or SourceFacts.shared(pdf_store)
        self._online_check = online_check
        self._scoring = ScoringService(database)

    # -- rule sets ---------------------------------------------------------------------------
    def rules(self) -> GroundingRules:
        return current_rules(self.database)

    def set_rules(self, rules: GroundingRules) -> GroundingRules:
        """Store ``rules`` as the next version; levels computed from now on name it."""
        current = self.rules()
        stored = GroundingRules(
            version=current.version + 1,
            levels=rules.levels,
            required_reference_checks=rules.required_reference_checks,
            min_reviewers=rules.min_reviewers,
        )
        with self.database.transaction() as session:
            repo.store_rules(session, stored.version, stored.to_json())
        return stored

    # -- grounding -------------------------------------------------------------------------
    def report(
        self,
        record_id: str,
        *,
        allow_online: bool = False,
        online_check: OnlineCheck | None = None,
        viewer: str | None = None,
    ) -> GroundingReport:
        """One record's grounding; with ``allow_online`` each arXiv reference is also confirmed
        with arXiv (through ``online_check`` if given, else the service's own).

        With ``viewer``, as that reviewer may see it: in blind mode the others' verdicts and
        the adjudications count only once the viewer has submitted a sheet on the record (a
        claim "confirmed" by colleagues would tell what they decided)."""
        if online_check is not None and allow_online:
            sibling = GroundingService(self.database, self.facts.store, facts=self.facts,
                                       online_check=online_check)  # fmt: skip
            return sibling.report(record_id, allow_online=True, viewer=viewer)
        key = record_key(record_id)
        with self.database.reading() as session:
            inputs = repo.grounding_inputs(session, key)
        if key not in inputs:
            raise NotFound(f"no record '{record_id}' in {self.database.url}")
        sheets = self._scoring.ratings.reviewer_sheets(key)
        adjudications = self._scoring.adjudication.adjudications(key)
        if viewer is not None and self._scoring.blind.hides_others_from(
            viewer, sheets.get(key, [])
        ):
            sheets, adjudications = {key: []}, {}
        consensus = workspace_consensus(sheets, adjudications)
        return self._report(inputs[key], consensus.get(key), self.rules(), allow_online)

    def workspace(self) -> dict[str, GroundingReport]:
        """Every record's grounding (offline), by record id."""
        with self.database.reading() as session:
            inputs = repo.grounding_inputs(session)
        consensus = workspace_consensus(
            self._scoring.ratings.reviewer_sheets(), self._scoring.adjudication.adjudications()
        )
        rules = self.rules()
        return {
            rid: self._report(item, consensus.get(rid), rules, allow_online=False)
            for rid, item in inputs.items()
        }

    def consensus(self, record_ids: Iterable[str] | None = None) -> dict[str, RecordConsensus]:
        """The consensus of every record, or of the records named, by record id."""
        if record_ids is None:
            return workspace_consensus(
                self._scoring.ratings.reviewer_sheets(), self._scoring.adjudication.adjudications()
            )
        found: dict[str, RecordConsensus] = {}
        for rid in record_ids:
            try:
                one = workspace_consensus(
                    self._scoring.ratings.reviewer_sheets(rid),
                    self._scoring.adjudication.adjudications(rid),
                )
            except NotFound:
                continue
            found.update(one)
        return found

    def report_of(
        self, inputs: RecordInputs, consensus: RecordConsensus | None, rules: GroundingRules
    ) -> GroundingReport:
        """The offline report of one record from inputs already read."""
        return self._report(inputs, consensus, rules, allow_online=False)

    def _report(
        self,
        inputs: RecordInputs,
        consensus: RecordConsensus | None,
        rules: GroundingRules,
        allow_online: bool,
    ) -> GroundingReport:
        current = _current_files(inputs.files)
        references = tuple(
            self._check_reference(url, arxiv_id, version, current.get(url), rules, allow_online)
            for url, arxiv_id, version in inputs.references
        )
        by_url = {reference.url: reference for reference in references}
        file_reference = {sha: url for sha, url in inputs.files}
        evidence: dict[int, list[EvidenceCheck]] = {}
        for span in inputs.spans:
            url = file_reference.get(span.source_sha256)
            checked = self._check_span(span, by_url.get(url) if url else None, inputs)
            evidence.setdefault(span.claim_position, []).append(checked)
        claims = ground_claims(inputs.claim_positions, evidence, consensus, rules.min_reviewers)
        verification = inputs.sections.get("verification") or {}
        imported = ImportedGrounding(
            level=verification.get("level"),
            label=verification.get("label"),
            source_grounded_claims=verification.get("source_grounded_claims"),
            verified_claims=inputs.claims_verified,
        )
        facts = facts_of(claims, _aggregate_claims(inputs, imported))
        computed = compute_level(rules, facts)
        return GroundingReport(
            record=inputs.record_id,
            imported=imported,
            computed=computed,
            facts=facts,
            references=references,
            claims=claims,
            difference=differs_sentence(
                imported.level,
                imported.source_grounded_claims,
                facts,
                computed,
                imported_verified=imported.verified_claims,
            ),
            over_states=over_states(
                imported.level,
                computed,
                imported.source_grounded_claims,
                facts.grounded,
                imported_verified=imported.verified_claims,
                confirmed=facts.confirmed,
            ),
        )

    def _check_reference(
        self,
        url: str,
        arxiv_id: str | None,
        version: int | None,
        sha256: str | None,
        rules: GroundingRules,
        allow_online: bool,
    ) -> ReferenceReport:
        pdf = self._pdf_facts(sha256) if sha256 else None
        online = None
        if allow_online and arxiv_id and self._online_check is not None:
            online = self._online_check(arxiv_id)
        checks = check_reference(Reference(url, arxiv_id, version), pdf, online)
        failing = tuple(
            check.name
            for check in checks
            if check.name in rules.required_reference_checks and check.ok is not True
        )
        return ReferenceReport(url, arxiv_id, version, sha256, checks, failing)

    def _pdf_facts(self, sha256: str) -> PdfFacts:
        hashed = self.facts.hash_check(sha256)
        text = self.facts.first_page(sha256) if hashed.intact else None
        if text is None:
            return PdfFacts(sha256, hashed.intact, hashed.message)
        return PdfFacts(sha256, True, hashed.message, text.first_page_text, text.metadata)

    def _check_span(
        self, span: SpanFacts, reference: ReferenceReport | None, inputs: RecordInputs
    ) -> EvidenceCheck:
        who = span.reviewer
        if reference is None or reference.attached_sha256 is None:
            return EvidenceCheck(
                who, span.source_sha256, False, False, f"{who}: the file matches no reference"
            )
        current = reference.attached_sha256
        if not reference.passes:
            failed = ", ".join(reference.failing)
            return EvidenceCheck(
                who, current, False, False, f"{who}: the source fails its checks ({failed})"
            )
        start: int | None
        end: int | None
        if current == span.source_sha256:
            start, end, where = span.start, span.end, "its anchor"
        else:
            anchor = inputs.anchors.get((span.id, current))
            if anchor is None or anchor.status in ("orphan", "changed"):
                state = anchor.status if anchor else "not re-anchored"
                return EvidenceCheck(
                    who,
                    current,
                    True,
                    False,
                    f"{who}: the quote is not at its anchor in the current file ({state})",
                )
            start, end, where = anchor.start, anchor.end, "its re-anchored place"
        found = self.facts.quote_holds(current, start, end, span.exact)
        if found:
            message = f"{who}: “{_short(span.exact)}” is at {where}"
        else:
            message = f"{who}: “{_short(span.exact)}” is no longer at {where}"
        return EvidenceCheck(who, current, True, found, message)


def service_for(database: Database) -> GroundingService:
    """The service on the app's own PDF store."""
    return GroundingService(database, PdfStore(pdf_store_dir()))


def grounding_counts(database: Database, record_id: str | None) -> dict[str, GroundingCounts]:
    """What the tier policy's grounding rules look at, for one record or every record."""
    service = service_for(database)
    reports = service.workspace() if record_id is None else {record_id: service.report(record_id)}
    return {rid: report.tier_counts() for rid, report in reports.items()}


def _aggregate_claims(inputs: RecordInputs, imported: ImportedGrounding) -> int:
    """How many claims a record that lists none says it has (a public record page gives
    only counts): its extracted claims, else the most it calls grounded or verified."""
    if inputs.claims_extracted is not None:
        return inputs.claims_extracted
    return max(imported.source_grounded_claims or 0, imported.verified_claims or 0)


def _current_files(files: Iterable[tuple[str, str | None]]) -> dict[str | None, str]:
    """The newest file of each reference (``files`` come newest first)."""
    current: dict[str | None, str] = {}
    for sha, url in files:
        current.setdefault(url, sha)
    return current


def _short(quote: str, limit: int = 40) -> str:
    quote = " ".join(quote.split())
    return quote if len(quote) <= limit else quote[: limit - 1] + "…"


def current_rules(database: Database) -> GroundingRules:
    """The newest stored rule set; the defaults are stored as version 1 on first use (in a
    team workspace by ``team init``, since members may not write rules)."""
    with database.reading() as session:
        rules = repo.latest_rules(session)
    if rules is None:
        with database.transaction() as session:
            rules = repo.latest_rules(session)
            if rules is None:
                repo.store_rules(session, 1, DEFAULT_GROUNDING_RULES.to_json())
                return DEFAULT_GROUNDING_RULES
    return rules
