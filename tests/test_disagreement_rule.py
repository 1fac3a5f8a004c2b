"""One disagreement rule (issue 11): the per-item functions the comparison table uses flag
exactly the items ``conflicts`` finds over a whole workspace."""

from __future__ import annotations

import random

from reviewer_app.domain.consensus import (
    DEFAULT_SCORE_MARGIN,
    conflicts,
    scores_disagree,
    values_disagree,
)
from reviewer_app.domain.records import QUALITY_DIMENSIONS, Level
from reviewer_app.domain.review_sheets import VERDICTS, ReviewerSheet


def test_the_item_rules_say_what_they_mean() -> None:
    assert values_disagree([Level.LOW, None, Level.HIGH])
    assert not values_disagree([Level.LOW, None, Level.LOW])
    assert not values_disagree([None, None])
    assert scores_disagree([7.2, 8.3])
    assert not scores_disagree([7.2, 8.2])  # 1.0 apart in decimals, not quite in binary floats
    assert not scores_disagree([7.0, None, 8.0])
    assert scores_disagree([7.0, 7.6], margin=0.5)


def test_the_item_rules_flag_exactly_what_conflicts_finds() -> None:
    rng = random.Random(11)
    sheets = {
        f"R{record}": [
            ReviewerSheet(
                name,
                {d: rng.choice([*Level, None]) for d in QUALITY_DIMENSIONS},
                rng.choice([None, *(x / 2 for x in range(8, 20))]),
                {p: rng.choice([*VERDICTS, None]) for p in (1, 2)},
            )
            for name in ("ana", "ben", "cleo")[: rng.randint(1, 3)]
        ]
        for record in range(200)
    }
    found = {(c.record, c.field, c.claim_position) for c in conflicts(sheets)}
    expected = set()
    for record, given in sheets.items():
        for field in QUALITY_DIMENSIONS:
            if values_disagree(s.dimensions.get(field) for s in given):
                expected.add((record, field, None))
        if scores_disagree((s.review_score for s in given), DEFAULT_SCORE_MARGIN):
            expected.add((record, "review_score", None))
        for position in (1, 2):
            if values_disagree(s.claim_verdicts.get(position) for s in given):
                expected.add((record, "claim_verdicts", position))
    assert found == expected and len(found) > 100
