"""Claim marks and the computed level (issue 13, items 2 and 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer_app.domain.grounding_rules import (
    DEFAULT_GROUNDING_RULES,
    GroundingRules,
    InvalidGroundingRules,
)
from reviewer_app.pdf import PdfStore
from reviewer_app.services.grounding import GroundingService
from reviewer_app.services.review import ReviewService
from reviewer_app.services.scoring import BLIND_MODE, ScoringService
from reviewer_app.services.workspace import Workspace
from tests.grounding_support import (
    BODY_LINES,
    QUOTE,
    checks_by_name,
    make_arxiv_pdf,
    overwrite_stored,
    submit_verdict,
)
from tests.review_support import REF_PROBING


@pytest.fixture
def marked(service: ReviewService, record_id: str, tmp_path: Path) -> tuple[Path, str]:
    """The probing paper attached and claim 3 given evidence by ana."""
    pdf = make_arxiv_pdf(tmp_path / "probing.pdf", "2407.17856", 4)
    sha = service.attach_pdf(record_id, pdf, reviewer="ana").source.sha256
    service.annotate_quote(record_id, 3, pdf=pdf, quote=QUOTE, stance="supports", reviewer="ana")
    return pdf, sha


def claim(report: dict, position: int) -> dict:
    return report["claims"][position - 1]


def test_evidence_in_a_checked_source_grounds_the_claim(
    grounding: GroundingService, record_id: str, marked: tuple[Path, str]
) -> None:
    report = grounding.report(record_id).to_json()
    third = claim(report, 3)
    assert third["grounded"] is True
    assert third["evidence_sources"] == [marked[1]]
    assert checks_by_name(third["checks"])["quote_at_anchor"]["ok"] is True
    assert [c["position"] for c in report["claims"] if c["grounded"]] == [3]
    assert report["computed"]["source_grounded_claims"] == 1
    assert claim(report, 4)["grounded"] is False


def test_evidence_in_the_wrong_version_does_not_ground(
    grounding: GroundingService, service: ReviewService, record_id: str, tmp_path: Path
) -> None:
    pdf = make_arxiv_pdf(tmp_path / "v2.pdf", "2407.17856", 2)
    service.attach_pdf(record_id, pdf, reference_url=REF_PROBING, reviewer="ana")
    service.annotate_quote(record_id, 3, pdf=pdf, quote=QUOTE, stance="supports", reviewer="ana")
    third = claim(grounding.report(record_id).to_json(), 3)
    assert third["grounded"] is False
    assert third["evidence_sources"] == []
    message = checks_by_name(third["checks"])["quote_at_anchor"]["message"]
    assert message == "ana: the source fails its checks (same_version)"


def test_altered_stored_file_ungrounds_its_claims(
    grounding: GroundingService,
    service: ReviewService,
    record_id: str,
    marked: tuple[Path, str],
    tmp_path: Path,
) -> None:
    assert claim(grounding.report(record_id).to_json(), 3)["grounded"] is True
    overwrite_stored(service.pdf_store, marked[1], make_arxiv_pdf(tmp_path / "x.pdf", None, None))
    third = claim(grounding.report(record_id).to_json(), 3)
    assert third["grounded"] is False
    assert "file_intact" in checks_by_name(third["checks"])["quote_at_anchor"]["message"]


def test_quote_no_longer_at_its_anchor_after_the_file_was_swapped(
    grounding: GroundingService,
    service: ReviewService,
    record_id: str,
    marked: tuple[Path, str],
    tmp_path: Path,
) -> None:
    rewritten = [line for line in BODY_LINES if "pooled" not in line] + [
        "An unrelated sentence replaces the finding entirely here."
    ]
    swapped = make_arxiv_pdf(tmp_path / "probing-new.pdf", "2407.17856", 4, rewritten)
    new_sha = service.attach_pdf(record_id, swapped, reference_url=REF_PROBING).source.sha256
    report = grounding.report(record_id).to_json()
    assert report["references"][0]["attached_sha256"] == new_sha
    third = claim(report, 3)
    assert third["grounded"] is False
    message = checks_by_name(third["checks"])["quote_at_anchor"]["message"]
    assert message.startswith("ana: the quote is not at its anchor in the current file")


def test_quote_moved_in_a_new_file_still_grounds(
    grounding: GroundingService,
    service: ReviewService,
    record_id: str,
    marked: tuple[Path, str],
    tmp_path: Path,
) -> None:
    moved = ["A new opening line is inserted before everything.", *BODY_LINES]
    new = make_arxiv_pdf(tmp_path / "probing-moved.pdf", "2407.17856", 4, moved)
    new_sha = service.attach_pdf(record_id, new, reference_url=REF_PROBING).source.sha256
    third = claim(grounding.report(record_id).to_json(), 3)
    assert third["grounded"] is True
    assert third["evidence_sources"] == [new_sha]


def test_confirmed_needs_two_reviewers_and_contradicted_follows_consensus(
    grounding: GroundingService,
    service: ReviewService,
    scoring: ScoringService,
    record_id: str,
    marked: tuple[Path, str],
) -> None:
    submit_verdict(service, scoring, record_id, 3, "ana", "supports")
    assert claim(grounding.report(record_id).to_json(), 3)["confirmed"] is False
    submit_verdict(service, scoring, record_id, 3, "ben", "special-case")
    submit_verdict(service, scoring, record_id, 3, "cy", "supports")
    for reviewer in ("ana", "ben"):
        submit_verdict(service, scoring, record_id, 5, reviewer, "contradicts")
    report = grounding.report(record_id).to_json()
    assert claim(report, 3)["confirmed"] is True
    assert (claim(report, 5)["contradicted"], claim(report, 5)["confirmed"]) == (True, False)
    assert report["computed"]["confirmed_claims"] == 1
    assert report["computed"]["contradicted_claims"] == 1


def test_adjudication_settles_the_consensus(
    grounding: GroundingService,
    service: ReviewService,
    scoring: ScoringService,
    record_id: str,
    marked: tuple[Path, str],
) -> None:
    submit_verdict(service, scoring, record_id, 3, "ana", "supports")
    submit_verdict(service, scoring, record_id, 3, "ben", "contradicts")
    assert claim(grounding.report(record_id).to_json(), 3)["confirmed"] is False  # a tie
    scoring.adjudication.adjudicate(
        record_id,
        field="claim_verdicts",
        claim_position=3,
        value="supports",
        rationale="ben misread",
        adjudicator="dee",
    )
    assert claim(grounding.report(record_id).to_json(), 3)["confirmed"] is True


def test_level_under_two_rule_versions(
    grounding: GroundingService, record_id: str, marked: tuple[Path, str]
) -> None:
    first = grounding.report(record_id).to_json()["computed"]
    assert (first["level"], first["label"], first["rules_version"]) == (
        "L1",
        "aggregate claims only",
        1,
    )
    assert first["basis"] == (
        "L1 aggregate claims only: 1 of 10 claims source-grounded, 0 confirmed; "
        "L2 needs every claim grounded."
    )
    lenient = DEFAULT_GROUNDING_RULES.to_json()
    lenient["levels"][1]["requires"] = [{"kind": "min_grounded_fraction", "threshold": 0.1}]
    stored = grounding.set_rules(GroundingRules.from_json(lenient))
    assert stored.version == 2
    second = grounding.report(record_id).to_json()["computed"]
    assert (second["level"], second["rules_version"]) == ("L2", 2)
    assert grounding.rules().version == 2


def test_all_claims_grounded_and_settled_reach_l2_then_l3(
    grounding: GroundingService,
    service: ReviewService,
    scoring: ScoringService,
    record_id: str,
    marked: tuple[Path, str],
) -> None:
    pdf = marked[0]
    for position in range(1, 11):
        if position != 3:
            service.annotate_quote(
                record_id, position, pdf=pdf, quote=QUOTE, stance="context", reviewer="ana"
            )
    assert grounding.report(record_id).to_json()["computed"]["level"] == "L2"
    for reviewer in ("ana", "ben"):
        for position in range(1, 11):
            service.set_verdict(
                record_id, position, reviewer=reviewer, verdict="supports", reason="read"
            )
        scoring.sheets.save(record_id, reviewer, review_score=8.0, submit=True)
    computed = grounding.report(record_id).to_json()["computed"]
    assert (computed["level"], computed["label"]) == ("L3", "claim record")
    assert computed["confirmed_claims"] == 10


def test_record_page_over_states_its_grounding(db_workspace: Workspace, samples: Path) -> None:
    record = db_workspace.import_file(samples / "record-page-pipe-table.txt").local_id
    grounding = GroundingService(db_workspace.database, PdfStore(Path("unused-store")))
    report = grounding.report(record)
    assert report.imported.level == "L2"
    assert report.imported.source_grounded_claims == 2
    assert (report.computed.level, report.computed.label) == ("L1", "aggregate claims only")
    assert report.over_states is True
    assert report.difference == (
        "claims L2 with 2 source-grounded claims; the review grounded 0 of 2 (L1)"
    )


def test_bad_rule_sets_are_refused() -> None:
    data = DEFAULT_GROUNDING_RULES.to_json()
    data["levels"][-1]["requires"] = [{"kind": "claims_listed", "threshold": None}]
    with pytest.raises(InvalidGroundingRules, match="must have no requirements"):
        GroundingRules.from_json(data)
    data = DEFAULT_GROUNDING_RULES.to_json()
    data["required_reference_checks"] = ["same_colour"]
    with pytest.raises(InvalidGroundingRules, match="unknown reference checks"):
        GroundingRules.from_json(data)


def test_tier_policy_rules_on_the_computed_grounding(
    service: ReviewService, scoring: ScoringService, record_id: str, marked: tuple[Path, str]
) -> None:
    from reviewer_app.domain.tier_policy import TierPolicy

    policy = TierPolicy.from_json(
        {
            "version": 1,
            "tiers": [
                {
                    "name": "Grounded",
                    "rules": [
                        {"kind": "min_computed_level", "threshold": 2},
                        {"kind": "max_contradicted_claims", "threshold": 0},
                    ],
                },
                {
                    "name": "Some grounding",
                    "rules": [
                        {"kind": "min_source_grounded_claims", "threshold": 1},
                    ],
                },
                {"name": "Watchlist"},
            ],
        }
    )
    assert policy.uses_grounding
    scoring.tiers.set_policy(policy)
    report = scoring.tiers.tier(record_id)
    assert report.tier == "Some grounding"
    assert report.basis == "Some grounding: 1 source-grounded, 1 required."
    service.remove_span(service.spans(record_id, claim_position=3)[0].span.id)
    report = scoring.tiers.tier(record_id)
    assert (report.tier, report.basis) == (
        "Watchlist",
        "Watchlist: 0 source-grounded, 1 required.",
    )


def test_a_new_service_for_the_next_pass_reads_no_file_again_but_sees_an_alteration(
    service: ReviewService,
    db_workspace: Workspace,
    record_id: str,
    marked: tuple[Path, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The app makes a new service for every pass over the workspace (level column, tier
    counts, export): the text and hash caches are the process's, per store, so the second
    pass re-verifies quotes from memory, and a file altered since is still hashed again."""
    import reviewer_app.pdf.source_facts as source_facts

    opened: list[Path] = []
    real_open = source_facts.open_pdf

    def counting_open(path: Path):  # type: ignore[no-untyped-def]
        opened.append(path)
        return real_open(path)

    monkeypatch.setattr(source_facts, "open_pdf", counting_open)
    first = GroundingService(db_workspace.database, service.pdf_store)
    assert claim(first.report(record_id).to_json(), 3)["grounded"] is True
    assert opened  # the first pass read the stored file
    opened.clear()
    second = GroundingService(db_workspace.database, PdfStore(service.pdf_store.root))
    assert second.facts is first.facts
    assert claim(second.report(record_id).to_json(), 3)["grounded"] is True
    assert opened == []
    overwrite_stored(service.pdf_store, marked[1], make_arxiv_pdf(tmp_path / "x.pdf", None, None))
    third = GroundingService(db_workspace.database, service.pdf_store)
    assert claim(third.report(record_id).to_json(), 3)["grounded"] is False


def test_in_blind_mode_colleagues_confirm_nothing_until_the_viewer_submits(
    grounding: GroundingService,
    service: ReviewService,
    scoring: ScoringService,
    record_id: str,
    marked: tuple[Path, str],
) -> None:
    """Found by an audit: the grounding tab showed "confirmed" from two colleagues' verdicts
    to a reviewer who had not submitted, telling them what the others decided."""
    assert scoring.settings.blind_mode()
    for reviewer in ("ben", "cy"):
        submit_verdict(service, scoring, record_id, 3, reviewer, "supports")
    assert claim(grounding.report(record_id).to_json(), 3)["confirmed"] is True
    blind = grounding.report(record_id, viewer="dee").to_json()
    assert claim(blind, 3)["confirmed"] is False
    assert blind["computed"]["confirmed_claims"] == 0
    assert claim(grounding.report(record_id, viewer="ben").to_json(), 3)["confirmed"] is True
    submit_verdict(service, scoring, record_id, 3, "dee", "supports")
    assert claim(grounding.report(record_id, viewer="dee").to_json(), 3)["confirmed"] is True
    scoring.settings.set(BLIND_MODE, False)
    assert claim(grounding.report(record_id, viewer="eve").to_json(), 3)["confirmed"] is True
