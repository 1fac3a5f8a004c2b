"""Pure grounding rules: reference checks, levels under two rule versions, the gate states."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from reviewer_app.domain.gate import (
    Artifact,
    Attestation,
    GateState,
    compute_gate,
    gate_differs,
)
from reviewer_app.domain.grounding_rules import (
    DEFAULT_GROUNDING_RULES,
    GroundingFacts,
    GroundingRules,
    compute_level,
    differs_sentence,
    over_states,
)
from reviewer_app.domain.records import Reference
from reviewer_app.domain.reference_checks import PdfFacts, check_reference, stamps_in

T0 = datetime(2026, 12, 1, tzinfo=UTC)


def test_margin_stamps_are_read_with_their_version() -> None:
    text = "arXiv:2407.17856v4  [cs.CL]  25 Jul 2024\\nsee arXiv:hep-th/9901001v2"
    assert [(s.arxiv_id, s.version) for s in stamps_in(text)] == [
        ("2407.17856", 4),
        ("hep-th/9901001", 2),
    ]


def test_a_citation_of_the_id_is_not_a_version_stamp() -> None:
    pdf = PdfFacts("a" * 64, True, "intact", first_page_text="as shown in 2407.17856v2 [3]")
    checks = {
        c.name: c for c in check_reference(Reference.from_url("arxiv.org/abs/2407.17856v4"), pdf)
    }
    assert checks["same_paper"].ok is True
    assert checks["same_version"].ok is None  # no arXiv: stamp, so the version is not known


def test_issue_sentence_for_an_over_stating_record() -> None:
    facts = GroundingFacts(claims=10, grounded=1, confirmed=0, contradicted=2, settled=0)
    computed = compute_level(DEFAULT_GROUNDING_RULES, facts)
    assert computed.level == "L1"
    assert differs_sentence("L2", 3, facts, computed) == (
        "claims L2 with 3 source-grounded claims; the review grounded 1 of 10 (L1), "
        "and 2 are contradicted"
    )
    assert over_states("L2", computed) is True
    assert differs_sentence(None, None, facts, computed) is None


def test_a_verified_count_above_the_confirmed_claims_is_flagged() -> None:
    """The record's "Verified claims: N" is held against the claims the review confirmed."""
    facts = GroundingFacts(claims=10, grounded=10, confirmed=1, contradicted=0, settled=10)
    computed = compute_level(DEFAULT_GROUNDING_RULES, facts)
    assert differs_sentence(None, 10, facts, computed, imported_verified=3) == (
        "claims no level with 10 source-grounded and 3 verified claims; the review grounded "
        "10 of 10, confirmed 1"
    )
    assert over_states(None, computed, 10, 10, imported_verified=3, confirmed=1) is True
    # matching counts differ in nothing; fewer verified than confirmed is stated, not over-stated
    assert differs_sentence(None, 10, facts, computed, imported_verified=1) is None
    assert differs_sentence(None, None, facts, computed, imported_verified=0) == (
        "claims no level with 0 verified claims; the review grounded 10 of 10, confirmed 1"
    )
    assert over_states(None, computed, None, 10, imported_verified=0, confirmed=1) is False
    assert differs_sentence(None, None, facts, computed, imported_verified=3).startswith(
        "claims no level with 3 verified claims;"
    )
    one = GroundingFacts(claims=3, grounded=0, confirmed=0, contradicted=0, settled=0)
    sentence = differs_sentence(
        None, None, one, compute_level(DEFAULT_GROUNDING_RULES, one), imported_verified=1
    )
    assert sentence == (
        "claims no level with 1 verified claim; the review grounded 0 of 3, confirmed 0"
    )


def test_levels_under_two_rule_versions() -> None:
    facts = GroundingFacts(claims=4, grounded=4, confirmed=1, contradicted=1, settled=4)
    assert compute_level(DEFAULT_GROUNDING_RULES, facts).level == "L3"
    strict = DEFAULT_GROUNDING_RULES.to_json()
    strict["version"] = 2
    for level in strict["levels"][:2]:  # L3 and L2 also need no contradicted claim
        level["requires"].append({"kind": "no_contradicted", "threshold": None})
    second = compute_level(GroundingRules.from_json(strict), facts)
    assert (second.level, second.rules_version) == ("L1", 2)
    assert second.basis.endswith("L2 needs no contradicted claim.")


def _artifact(sha: str = "a" * 64) -> Artifact:
    return Artifact(sha, "repro-script", "run.sh", 10, "ana", T0)


def _attest(who: str, yes: bool, results: str | None, minutes: int = 0) -> Attestation:
    return Attestation(f"{who}{minutes}", "a" * 64, who, yes, results, None,
                       T0 + timedelta(minutes=minutes))  # fmt: skip


def test_gate_states() -> None:
    assert compute_gate([], []).state is GateState.UNVERIFIED
    assert compute_gate([_artifact()], []).status == "Artifact attached"
    agree = compute_gate(
        [_artifact()], [_attest("ben", True, "r" * 64), _attest("cy", True, "r" * 64)]
    )
    assert (agree.status, agree.reproduced_by) == ("Reproduced by 2 reviewers", ("ben", "cy"))
    disagree = compute_gate(
        [_artifact()], [_attest("ben", True, "r" * 64), _attest("cy", True, "s" * 64)]
    )
    assert disagree.state is GateState.NOT_REPRODUCED
    newest = compute_gate(
        [_artifact()], [_attest("ben", True, None, 0), _attest("ben", False, None, 5)]
    )
    assert newest.status == "Not reproduced"
    assert gate_differs("VERIFIED", newest) is True
    assert gate_differs("Unverified", newest) is False
    assert gate_differs("Verified", agree) is False
    assert gate_differs(None, agree) is False
