"""Claim terms, verbal numbers, stance hints and rank fusion (issue 12): pure functions."""

from __future__ import annotations

from reviewer_app.domain.claim_terms import content_words, expanded_terms, numbers_in
from reviewer_app.domain.stance_hints import key_term_coverage, stance_hints
from reviewer_app.services.passage_ranking import fuse, reciprocal_rank_fusion


def _hints(claim: str, passage: str) -> dict[str, str]:
    return {hint.kind: hint.message for hint in stance_hints(claim, passage)}


def test_verbal_numbers_are_read_and_added_to_the_search_terms() -> None:
    shown = [q.shown() for q in numbers_in("roughly a third of runs, twice as fast, 1,000 cases")]
    assert shown == ["≈ 33.3 %", "2", "1000"]
    assert "33" in expanded_terms("roughly a third of the packages")
    assert "2" in expanded_terms("twice as fast")
    assert [q.shown() for q in numbers_in("R 3.5.1 was released")] == []
    assert content_words("The model is not a toy") == ["model", "toy"]


def test_number_hints_compare_claim_and_passage() -> None:
    assert _hints("about 25 % of runs fail", "In 23% of runs the job failed.")[
        "number-differs"
    ] == ("number differs: claim ≈ 25 %, passage 23 %")
    assert "number-matches" in _hints("roughly a third of packages", "34% of packages")
    assert not {"number-differs", "number-matches"} & set(_hints("runs fail", "In 23% of runs"))


def test_negation_and_antonym_mismatches_are_pointed_out() -> None:
    hints = _hints("Memory use does not grow with n", "Memory use grows with n.")
    assert hints["negation"] == "negation mismatch: only the claim says “not”"
    assert "antonym" in _hints("the error increases with size", "the error decreases with size")
    assert not {"negation", "antonym"} & set(_hints("the error increases", "error increases"))


def test_key_terms_found_and_missing() -> None:
    message = _hints("Linear models fit by least squares", "lm fits linear models")["key-terms"]
    assert message.startswith("key terms found 3/5")
    assert "missing: least, squares" in message
    assert key_term_coverage("linear models", "A linear model.") == 1.0
    assert all(hint.kind != "verdict" for hint in stance_hints("a", "b"))


def test_reciprocal_rank_fusion_rewards_agreement() -> None:
    scores = reciprocal_rank_fusion([[1, 2, 3], [3, 1, 4]])
    assert max(scores, key=scores.__getitem__) == 1
    assert scores[3] > scores[2] and 4 in scores
    ranked = fuse([1, 2, 3], [3, 1], {1: 0.1, 2: 0.2, 3: 0.9})
    assert ranked[0][0] == 3  # the sentence model's clear favourite wins
    assert [pid for pid, _ in fuse([1, 2], [], None)] == [1, 2]
