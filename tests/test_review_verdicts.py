"""Claim verdicts: the evidence rule, append-only history (for undo), claims as one reviewer sees
them."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer_app.domain.evidence import Verdict
from reviewer_app.errors import NotFound
from reviewer_app.services.review import EvidenceRefused, ReviewService
from reviewer_app.services.workspace import Workspace
from tests.review_support import make_source, review_row_counts


@pytest.fixture
def pdf(service: ReviewService, record_id: str, tmp_path: Path) -> Path:
    path = make_source(tmp_path / "probing.pdf")
    service.attach_pdf(record_id, path, reviewer="ana")
    return path


def test_verdict_needs_own_evidence_span_or_a_reason(
    service: ReviewService, db_workspace: Workspace, record_id: str, pdf: Path
) -> None:
    service.annotate_quote(record_id, 4, pdf=pdf, quote="syntax", stance="supports", reviewer="ben")
    before = review_row_counts(db_workspace)
    with pytest.raises(EvidenceRefused, match="needs at least one evidence span by ana"):
        service.set_verdict(record_id, 4, reviewer="ana", verdict=Verdict.SUPPORTS)
    with pytest.raises(EvidenceRefused, match="reason"):
        service.set_verdict(record_id, 4, reviewer="ana", verdict="contradicts", reason="  ")
    assert review_row_counts(db_workspace) == before  # ben's span does not count for ana

    reasoned = service.set_verdict(
        record_id, 4, reviewer="ana", verdict="special-case", reason="only in a figure"
    )
    assert reasoned is not None
    assert (reasoned.verdict, reasoned.reason) == (Verdict.SPECIAL_CASE, "only in a figure")
    benign = service.set_verdict(record_id, 5, reviewer="ana", verdict="not-enough-evidence")
    assert benign is not None and benign.verdict is Verdict.NOT_ENOUGH_EVIDENCE

    service.annotate_quote(record_id, 6, pdf=pdf, quote="robust", stance="supports", reviewer="ana")
    backed = service.set_verdict(record_id, 6, reviewer="ana", verdict="supports", note="clear")
    assert backed is not None and (backed.reviewer, backed.note) == ("ana", "clear")


def test_removed_span_no_longer_backs_a_verdict(
    service: ReviewService, record_id: str, pdf: Path
) -> None:
    span = service.annotate_quote(
        record_id, 2, pdf=pdf, quote="closing remark", stance="contradicts", reviewer="ana"
    )
    service.remove_span(span.id)
    with pytest.raises(EvidenceRefused):
        service.set_verdict(record_id, 2, reviewer="ana", verdict="contradicts")
    service.restore_span(span.id)
    assert service.set_verdict(record_id, 2, reviewer="ana", verdict="contradicts") is not None


def test_history_keeps_every_change_and_undo_goes_back(
    service: ReviewService, record_id: str
) -> None:
    service.set_verdict(record_id, 1, reviewer="ana", verdict="not-enough-evidence")
    service.set_verdict(record_id, 1, reviewer="ana", verdict="conflicting", reason="two papers")
    again = service.set_verdict(
        record_id, 1, reviewer="ana", verdict="conflicting", reason="two papers"
    )
    assert again is not None and again.verdict is Verdict.CONFLICTING
    history = service.verdict_history(record_id, 1, "ana")
    assert [v.verdict for v in history] == [Verdict.NOT_ENOUGH_EVIDENCE, Verdict.CONFLICTING]
    assert history[0].created_at <= history[1].created_at
    assert history[1].created_at.tzinfo is not None

    # undo of the second verdict: set the first one again
    service.set_verdict(record_id, 1, reviewer="ana", verdict="not-enough-evidence")
    assert service.claim_states(record_id, "ana")[0].verdict is Verdict.NOT_ENOUGH_EVIDENCE
    # undo of the first verdict: clear
    assert service.set_verdict(record_id, 1, reviewer="ana", verdict=None) is None
    assert service.claim_states(record_id, "ana")[0].verdict is None
    assert len(service.verdict_history(record_id, 1, "ana")) == 3
    assert service.verdict_history(record_id, 1, "nobody") == []


def test_claim_states_show_this_reviewers_verdicts_and_evidence(
    service: ReviewService, record_id: str, pdf: Path
) -> None:
    service.annotate_quote(
        record_id, 3, pdf=pdf, quote="experts", stance="supports", reviewer="ana"
    )
    service.annotate_quote(record_id, 3, pdf=pdf, quote="VQAv2", stance="context", reviewer="ana")
    service.annotate_quote(record_id, 3, pdf=pdf, quote="syntax", stance="context", reviewer="ben")
    service.set_verdict(record_id, 3, reviewer="ana", verdict="supports", note="ok")
    service.set_verdict(record_id, 4, reviewer="ben", verdict="not-enough-evidence")

    states = service.claim_states(record_id, "ana")
    assert [s.position for s in states] == list(range(1, 11))
    third = states[2]
    assert third.text.startswith("Transformers use co-occurrence")
    assert (third.confidence, third.verified) == (0.04, False)
    assert (third.verdict, third.note, third.evidence_count) == (Verdict.SUPPORTS, "ok", 2)
    assert third.settled
    assert states[3].verdict is None and not states[3].settled  # ben's verdict is not ana's
    assert sum(s.settled for s in states) == 1
    newcomer = service.claim_states(record_id, "carol")
    assert all(s.verdict is None and s.evidence_count == 0 for s in newcomer)


def test_bad_claim_record_or_verdict_changes_nothing(
    service: ReviewService, db_workspace: Workspace, record_id: str
) -> None:
    before = review_row_counts(db_workspace)
    with pytest.raises(NotFound, match="has no claim 0"):
        service.set_verdict(record_id, 0, reviewer="ana", verdict="not-enough-evidence")
    with pytest.raises(NotFound, match="no record 'RPT-NOPE'"):
        service.set_verdict("RPT-NOPE", 1, reviewer="ana", verdict="not-enough-evidence")
    with pytest.raises(EvidenceRefused, match="unknown verdict 'maybe'"):
        service.set_verdict(record_id, 1, reviewer="ana", verdict="maybe")
    with pytest.raises(NotFound):
        service.claim_states("RPT-NOPE", "ana")
    assert review_row_counts(db_workspace) == before


def test_verdicts_survive_a_new_service_on_the_same_database(
    db_url: str, record_id: str, service: ReviewService
) -> None:
    service.set_verdict(record_id, 7, reviewer="ana", verdict="not-enough-evidence", note="n")
    with Workspace.open(db_url) as reopened:
        states = ReviewService.for_workspace(reopened).claim_states(record_id, "ana")
    assert (states[6].verdict, states[6].note) == (Verdict.NOT_ENOUGH_EVIDENCE, "n")
