"""Agreement statistics against published worked examples and the krippendorff package."""

from __future__ import annotations

import math

import krippendorff
import numpy as np
import pytest

from reviewer_app.domain.agreement import InvalidRatings, MeasurementLevel, field_agreement
from reviewer_app.domain.records import QUALITY_DIMENSIONS, Level
from reviewer_app.domain.review_sheets import (
    ReviewerSheet,
    collect_ratings,
    record_agreement,
    workspace_agreement,
)

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C:
# 4 observers (rows) x 12 units (columns), None = missing.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]

# Fleiss (1971) as worked on Wikipedia ("Fleiss' kappa"): 10 subjects, 14 raters, 5 categories;
# each row counts the raters who chose each category.
FLEISS_COUNTS = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def _items(by_rater: list[list[object]]) -> list[list[object]]:
    return [list(unit) for unit in zip(*by_rater, strict=True)]


def _fleiss_ratings() -> list[list[int]]:
    return [
        [category for category, n in enumerate(row, start=1) for _ in range(n)]
        for row in FLEISS_COUNTS
    ]


def _cohen_proposals() -> list[list[str]]:
    """Wikipedia's "Cohen's kappa" example: 50 grant proposals read by readers A and B."""
    return [["yes", "yes"]] * 20 + [["yes", "no"]] * 5 + [["no", "yes"]] * 10 + [["no", "no"]] * 15


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_alpha_matches_krippendorffs_worked_example(level: str, published: float) -> None:
    result = field_agreement(_items(KRIPPENDORFF_2011), level)
    assert result.krippendorff_alpha == pytest.approx(published, abs=5e-4)


def test_fleiss_kappa_matches_the_worked_example() -> None:
    result = field_agreement(_fleiss_ratings(), MeasurementLevel.NOMINAL)
    assert result.fleiss_kappa == pytest.approx(0.210, abs=5e-4)
    # Wikipedia's P-bar: the mean share of agreeing rater pairs.
    assert result.percent_agreement == pytest.approx(0.378, abs=5e-4)
    assert result.cohen_kappa is None  # 14 raters


def test_cohen_kappa_matches_the_proposals_example() -> None:
    result = field_agreement(_cohen_proposals(), "nominal")
    assert result.cohen_kappa == pytest.approx(0.4)
    assert result.percent_agreement == pytest.approx(0.7)
    assert result.weighted_kappa is None  # nominal data has no distances


def test_weighted_kappa_equals_cohen_kappa_with_two_categories() -> None:
    result = field_agreement(_cohen_proposals(), "ordinal", categories=["no", "yes"])
    assert result.weighted_kappa == pytest.approx(result.cohen_kappa)


def test_weighted_kappa_by_hand() -> None:
    # Pairs (0,0) (1,1) (2,2) (0,1). Marginals A = (.5, .25, .25), B = (.25, .5, .25).
    # Observed disagreement: .25 at distance 1.
    # Quadratic: expected = .25*1 + .125*4 + .0625*1 + .0625*1 + .0625*4 + .125*1 = 1.25,
    # kappa = 1 - .25/1.25 = 0.8. Linear: expected 0.875, kappa = 1 - .25/.875 = 5/7.
    pairs = [[0, 0], [1, 1], [2, 2], [0, 1]]
    assert field_agreement(pairs, "ordinal").weighted_kappa == pytest.approx(0.8)
    linear = field_agreement(pairs, "ordinal", weights="linear")
    assert linear.weighted_kappa == pytest.approx(5 / 7)


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
@pytest.mark.parametrize("seed", range(5))
def test_alpha_agrees_with_the_krippendorff_package(level: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_raters, n_items = rng.integers(2, 7), rng.integers(5, 80)
    data = rng.integers(1, 6, size=(n_raters, n_items)).astype(float)
    if level == "interval":
        data = data + rng.choice([0.0, 0.1, 0.5], size=data.shape)  # scores with a decimal
    data[rng.random(data.shape) < 0.3] = np.nan
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement=level)
    items = [[None if math.isnan(v) else v for v in unit] for unit in data.T.tolist()]
    assert field_agreement(items, level).krippendorff_alpha == pytest.approx(expected, abs=1e-9)


def test_ordinal_levels_sort_by_rank_not_by_name() -> None:
    ranks = [[0, 1, 2], [1, 1, 2], [0, 2, 2], [None, 0, 1]]
    by_level = [[None if r is None else list(Level)[r] for r in row] for row in ranks]
    as_levels = field_agreement(by_level, "ordinal")
    assert as_levels.krippendorff_alpha == pytest.approx(
        field_agreement(ranks, "ordinal").krippendorff_alpha
    )


def test_statistics_that_do_not_apply_are_none_never_nan() -> None:
    three_raters = field_agreement([[1, 1, 2], [2, 2, 2]], "ordinal")
    assert three_raters.cohen_kappa is None and three_raters.weighted_kappa is None
    unanimous = field_agreement([["a", "a"], ["a", "a"]], "nominal")
    assert unanimous.percent_agreement == 1.0
    assert unanimous.cohen_kappa is None and unanimous.krippendorff_alpha is None
    lonely = field_agreement([["a", None], [None, "b"]], "nominal")
    assert lonely.n_reviewers == 2
    assert all(
        value is None
        for value in (lonely.percent_agreement, lonely.cohen_kappa, lonely.fleiss_kappa)
    )
    empty = field_agreement([], "interval")
    assert empty.n_reviewers == 0 and empty.krippendorff_alpha is None


def test_fleiss_skips_items_with_missing_ratings() -> None:
    complete = [["a", "a", "b"], ["b", "b", "b"], ["a", "b", "a"]]
    with_gap = [*complete, ["a", None, "b"]]
    assert field_agreement(with_gap, "nominal").fleiss_kappa == pytest.approx(
        field_agreement(complete, "nominal").fleiss_kappa
    )


def test_bad_ratings_are_refused_with_the_value_named() -> None:
    with pytest.raises(InvalidRatings, match="'maybe'"):
        field_agreement([["yes", "maybe"]], "nominal", categories=["yes", "no"])
    with pytest.raises(InvalidRatings, match="numbers"):
        field_agreement([[7.0, "high"]], "interval")


def _sheet(name: str, levels: str, score: float | None, verdicts: dict[int, str]) -> ReviewerSheet:
    given = (Level(v) if v != "-" else None for v in levels.split())
    dims = dict(zip(QUALITY_DIMENSIONS, given, strict=True))
    return ReviewerSheet(name, dims, score, verdicts)


def _workspace() -> dict[str, list[ReviewerSheet]]:
    return {
        "R1": [
            _sheet("ann", "LOW HIGH MEDIUM HIGH", 6.5, {1: "supports", 2: "contradicts"}),
            _sheet("bob", "LOW HIGH HIGH -", 7.0, {1: "supports", 2: "supports"}),
        ],
        "R2": [
            _sheet("ann", "HIGH HIGH LOW LOW", 9.0, {1: "supports", 3: "conflicting"}),
            _sheet("bob", "MEDIUM HIGH LOW LOW", 8.5, {1: "special-case", 3: "conflicting"}),
        ],
    }


def test_record_agreement_json_has_the_cli_shape() -> None:
    result = record_agreement("R1", _workspace()["R1"]).to_json()
    assert result["record"] == "R1" and result["reviewers"] == ["ann", "bob"]
    assert list(result["fields"]) == [*QUALITY_DIMENSIONS, "review_score", "claim_verdicts"]
    keys = {
        "n_reviewers",
        "percent_agreement",
        "cohen_kappa",
        "weighted_kappa",
        "fleiss_kappa",
        "krippendorff_alpha",
        "level",
    }
    assert all(set(field) == keys for field in result["fields"].values())
    assert result["fields"]["claim_verdicts"]["percent_agreement"] == 0.5
    assert result["fields"]["reproducibility_status"]["n_reviewers"] == 1
    assert result["fields"]["review_score"]["level"] == "interval"


def test_workspace_pools_one_item_per_record_and_per_claim() -> None:
    pooled = workspace_agreement(_workspace())
    verdicts = [
        ["supports", "supports"],
        ["contradicts", "supports"],
        ["supports", "special-case"],
        ["conflicting", "conflicting"],
    ]
    assert pooled.fields["claim_verdicts"] == field_agreement(verdicts, "nominal")
    scores = [[6.5, 7.0], [9.0, 8.5]]
    assert pooled.fields["review_score"] == field_agreement(scores, "interval")
    evidence = [[Level.LOW, Level.LOW], [Level.HIGH, Level.MEDIUM]]
    assert pooled.fields["evidence_strength"] == field_agreement(evidence, "ordinal", list(Level))
    assert pooled.to_json()["records"] == 2


def test_a_reviewer_not_on_a_record_is_not_a_missing_rating() -> None:
    # Three reviewers, two per record: Fleiss can use every item, as each has all its ratings.
    sheets = {
        "R1": [_sheet("ann", "LOW - - -", None, {}), _sheet("bob", "LOW - - -", None, {})],
        "R2": [_sheet("bob", "HIGH - - -", None, {}), _sheet("cy", "LOW - - -", None, {})],
        "R3": [_sheet("ann", "HIGH - - -", None, {}), _sheet("cy", "HIGH - - -", None, {})],
    }
    ratings = collect_ratings(sheets)["evidence_strength"]
    assert ratings.reviewers == ("ann", "bob", "cy")
    pooled = workspace_agreement(sheets, ratings={"evidence_strength": ratings})
    as_pairs = [["LOW", "LOW"], ["HIGH", "LOW"], ["HIGH", "HIGH"]]
    assert pooled.fields["evidence_strength"].fleiss_kappa == pytest.approx(
        field_agreement(as_pairs, "nominal").fleiss_kappa
    )


def test_sheets_refuse_impossible_ratings() -> None:
    with pytest.raises(InvalidRatings, match="review score"):
        ReviewerSheet("ann", review_score=11.0)
    with pytest.raises(InvalidRatings, match="'probably'"):
        ReviewerSheet("ann", claim_verdicts={1: "probably"})
    with pytest.raises(InvalidRatings, match="unknown dimensions"):
        ReviewerSheet("ann", dimensions={"novelty": Level.HIGH})
    with pytest.raises(InvalidRatings, match="two sheets"):
        collect_ratings({"R1": [ReviewerSheet("ann"), ReviewerSheet("ann")]})
    assert ReviewerSheet("ann", {"evidence_strength": "LOW"}).dimensions == {
        "evidence_strength": Level.LOW
    }


def test_a_sheet_read_back_from_storage_equals_the_checked_one() -> None:
    """``ReviewerSheet.stored`` skips the checks (done when the values were written) and
    must build the same value the checking constructor does, cleared verdicts left out."""
    from reviewer_app.domain.records import Level
    from reviewer_app.domain.review_sheets import ReviewerSheet

    values = {
        "reviewer": "ana",
        "dimensions": {"evidence_strength": Level.HIGH, "citation_grounding": None},
        "review_score": 7.5,
        "claim_verdicts": {1: "supports", 2: None, 3: "contradicts"},
        "recommendation": None,
    }
    stored = ReviewerSheet.stored(**values)  # type: ignore[arg-type]
    assert stored == ReviewerSheet(**values)  # type: ignore[arg-type]
    assert dict(stored.claim_verdicts) == {1: "supports", 3: "contradicts"}
