"""The side-by-side comparison of a record's sheets as plain rows (no Qt).

Rows are the four dimensions, the review score, the recommendation and each claim's verdict;
columns are the sheets the viewer may see (by name, or "Reviewer A, B…" for adjudicators) and
the consensus. A row disagrees when two sheets differ (scores: by more than the margin): the
domain's rule, `values_disagree` and `scores_disagree` in `domain/consensus.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

from reviewer_app.domain.consensus import DEFAULT_SCORE_MARGIN, scores_disagree, values_disagree
from reviewer_app.domain.records import QUALITY_DIMENSIONS
from reviewer_app.services.scoring import ScoreSheet, ScoringService

REVIEW_SCORE = "review_score"
RECOMMENDATION = "recommendation"
NO_VALUE = "—"


@dataclass(frozen=True)
class ComparisonRow:
    field: str
    label: str
    values: tuple[str, ...]
    """One text per sheet column, ``NO_VALUE`` where the sheet has none."""
    consensus: str
    disagrees: bool


@dataclass(frozen=True)
class Comparison:
    record_id: str
    columns: tuple[str, ...]
    rows: tuple[ComparisonRow, ...]
    hidden_by_blind_mode: bool
    """The viewer has not submitted yet, so other reviewers' sheets are withheld."""


def build_comparison(
    scoring: ScoringService,
    record_id: str,
    viewer: str,
    *,
    anonymous: bool = False,
    margin: float = DEFAULT_SCORE_MARGIN,
) -> Comparison:
    labelled: list[tuple[str, ScoreSheet]]
    if anonymous:
        labelled = scoring.blind.anonymised_sheets(record_id, viewer)
    else:
        labelled = [(s.reviewer, s) for s in scoring.blind.visible_sheets(record_id, viewer)]
    own = scoring.sheets.own(record_id, viewer)
    hidden = scoring.settings.blind_mode() and not (own and own.submitted) and not anonymous
    verdicts = {
        s.reviewer: s.claim_verdicts for s in scoring.ratings.reviewer_sheets(record_id)[record_id]
    }
    consensus = scoring.ratings.consensus(record_id) if not hidden else None
    rows: list[ComparisonRow] = []
    for name in QUALITY_DIMENSIONS:
        values = [_text(sheet.dimensions.get(name)) for _, sheet in labelled]
        agreed = consensus.dimensions[name].value if consensus else None
        rows.append(_row(name, name.replace("_", " "), values, _text(agreed)))
    scores = [sheet.review_score for _, sheet in labelled]
    agreed_score = consensus.review_score.value if consensus else None
    rows.append(
        ComparisonRow(
            REVIEW_SCORE,
            "review score",
            tuple(_text(s) for s in scores),
            _text(agreed_score),
            scores_disagree(scores, margin),
        )
    )
    rows.append(
        _row(
            RECOMMENDATION, RECOMMENDATION, [_text(s.recommendation) for _, s in labelled], NO_VALUE
        )
    )
    positions = sorted({p for v in verdicts.values() for p in v})
    for position in positions:
        values = [_text(verdicts.get(sheet.reviewer, {}).get(position)) for _, sheet in labelled]
        agreed = (
            consensus.claim_verdicts[position].value
            if consensus and position in consensus.claim_verdicts
            else None
        )
        rows.append(_row(f"claim_verdicts:{position}", f"claim {position}", values, _text(agreed)))
    return Comparison(record_id, tuple(label for label, _ in labelled), tuple(rows), hidden)


def _row(field: str, label: str, values: list[str], consensus: str) -> ComparisonRow:
    disagrees = values_disagree(v for v in values if v != NO_VALUE)
    return ComparisonRow(field, label, tuple(values), consensus, disagrees)


def _text(value: object) -> str:
    if value is None:
        return NO_VALUE
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)
