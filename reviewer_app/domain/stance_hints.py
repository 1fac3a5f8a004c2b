"""Stance hints: things a reviewer can check at a glance, never a verdict.

Offline methods cannot tell "supports" from "contradicts" reliably, so these only point at
what differs or matches: numbers, negation, antonyms, and which key terms of the claim the
passage has. The reviewer decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reviewer_app.domain.claim_terms import content_words, numbers_in, same_quantity

NO_CLOSE_MATCH = "no close match found"

_NEGATIONS = re.compile(
    r"\b(?:not|no|never|none|cannot|can't|won't|isn't|aren't|doesn't|don't|didn't|without|"
    r"neither|nor|fails?|failed|unable|lacks?)\b|n't\b",
    re.IGNORECASE,
)
_ANTONYMS = [
    ("increase", "decrease"), ("increases", "decreases"), ("increased", "decreased"),
    ("higher", "lower"), ("more", "less"), ("more", "fewer"), ("larger", "smaller"),
    ("faster", "slower"), ("better", "worse"), ("improves", "worsens"), ("above", "below"),
    ("before", "after"), ("true", "false"), ("always", "never"), ("maximum", "minimum"),
    ("include", "exclude"), ("includes", "excludes"), ("enabled", "disabled"),
    ("allowed", "forbidden"), ("required", "optional"), ("first", "last"), ("rises", "falls"),
    ("positive", "negative"), ("upper", "lower"), ("large", "small"), ("many", "few"),
    ("supports", "lacks"), ("can", "cannot"), ("must", "need not"),
]  # fmt: skip
_ANTONYM_OF = {a: b for a, b in _ANTONYMS} | {b: a for a, b in _ANTONYMS}
_KEY_TERMS_SHOWN = 6


@dataclass(frozen=True)
class Hint:
    kind: str
    """``number-differs``, ``number-matches``, ``negation``, ``antonym``, ``key-terms``,
    ``no-close-match``."""
    message: str

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "message": self.message}


def stance_hints(claim: str, passage: str) -> list[Hint]:
    return [
        *_number_hints(claim, passage),
        *_negation_hints(claim, passage),
        *_antonym_hints(claim, passage),
        _key_terms(claim, passage),
    ]


def key_term_coverage(claim: str, passage: str) -> float:
    """Share of the claim's content words (stems) the passage has."""
    wanted = [_stem(w) for w in content_words(claim)]
    if not wanted:
        return 0.0
    have = {_stem(w) for w in content_words(passage)}
    return sum(w in have for w in wanted) / len(wanted)


def _number_hints(claim: str, passage: str) -> list[Hint]:
    claimed = [q for q in numbers_in(claim) if q.percent or q.approximate or q.value >= 2]
    if not claimed:
        return []
    found = numbers_in(passage)
    if not found:
        return []
    matched = [c for c in claimed if any(same_quantity(c, f) for f in found)]
    if matched:
        return [Hint("number-matches", f"number matches: {matched[0].shown()}")]
    # the passage number nearest the first claimed one, of the same kind (percent or not)
    first = claimed[0]
    same_kind = [f for f in found if f.percent == first.percent] or found
    nearest = min(same_kind, key=lambda f: abs(f.value - first.value))
    return [
        Hint("number-differs", f"number differs: claim {first.shown()}, passage {nearest.shown()}")
    ]


def _negation_hints(claim: str, passage: str) -> list[Hint]:
    in_claim = bool(_NEGATIONS.search(claim))
    in_passage = bool(_NEGATIONS.search(passage))
    if in_claim == in_passage:
        return []
    which = "the passage" if in_passage else "the claim"
    found = _NEGATIONS.search(passage if in_passage else claim)
    assert found is not None  # searched just above
    word = found.group()
    return [Hint("negation", f"negation mismatch: only {which} says “{word}”")]


def _antonym_hints(claim: str, passage: str) -> list[Hint]:
    claim_words = set(re.findall(r"[a-z]+", claim.lower()))
    passage_words = set(re.findall(r"[a-z]+", passage.lower()))
    for word in sorted(claim_words):
        opposite = _ANTONYM_OF.get(word)
        if opposite and opposite in passage_words and word not in passage_words:
            return [Hint("antonym", f"opposite wording: claim “{word}”, passage “{opposite}”")]
    return []


def _key_terms(claim: str, passage: str) -> Hint:
    wanted = content_words(claim)
    have = {_stem(w) for w in content_words(passage)}
    found = [w for w in wanted if _stem(w) in have]
    missing = [w for w in wanted if _stem(w) not in have]
    parts = [f"key terms found {len(found)}/{len(wanted)}"]
    if found:
        parts.append("found: " + ", ".join(found[:_KEY_TERMS_SHOWN]))
    if missing:
        parts.append("missing: " + ", ".join(missing[:_KEY_TERMS_SHOWN]))
    return Hint("key-terms", "; ".join(parts))


def _stem(word: str) -> str:
    # a crude suffix strip, enough to match "models"/"model", "fitted"/"fit(s)"
    for suffix in ("ingly", "ations", "ation", "ings", "ing", "edly", "ies", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word
