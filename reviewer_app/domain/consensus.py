"""What the reviewers of a record agree on, where they disagree, and adjudicated overrides.

The rules, one per measurement level:

* Claim verdicts (nominal): the verdict with the most votes, a plurality (with three reviewers,
  a majority). When verdicts share the top count there is no consensus: the value is ``None``
  and ``tied`` is set; :func:`conflicts` lists the claim as well.
* Quality dimensions (ordinal): the median rating; with an even number of ratings, the lower of
  the two middle ones, so that the consensus never rates quality above what half the reviewers
  gave.
* Review score (interval): the median; with an even number, the mean of the two middle scores.
* An adjudication of a field (and claim) replaces the rule's value. When several name the same
  field and claim, the last one wins: pass them in the order they were made.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import numpy as np

from reviewer_app.domain.agreement import EncodedRatings, InvalidRatings, MeasurementLevel
from reviewer_app.domain.records import QUALITY_DIMENSIONS, Level
from reviewer_app.domain.review_sheets import (
    CLAIM_VERDICTS,
    RECOMMENDATION,
    REVIEW_SCORE,
    SHEET_FIELDS,
    FieldRatings,
    RatingsSource,
    ReviewerSheet,
    collect_ratings,
    validate_rating,
)
from reviewer_app.domain.score_sheets import RECOMMENDATIONS
from reviewer_app.errors import ReviewerAppError

VERIFIED_VERDICTS = frozenset({"supports", "special-case"})
"""Consensus verdicts that count a claim as verified."""
DEFAULT_SCORE_MARGIN = 1.0
# Scores are decimals stored as binary floats: 8.2 - 7.2 is not exactly 1.0.
_SCORE_TOLERANCE = 1e-9


class ConsensusRule(StrEnum):
    MAJORITY = "majority"
    LOWER_MEDIAN = "lower median"
    MEDIAN = "median"
    ADJUDICATED = "adjudicated"


_RULE_OF_LEVEL = {
    MeasurementLevel.NOMINAL: ConsensusRule.MAJORITY,
    MeasurementLevel.ORDINAL: ConsensusRule.LOWER_MEDIAN,
    MeasurementLevel.INTERVAL: ConsensusRule.MEDIAN,
    MeasurementLevel.RATIO: ConsensusRule.MEDIAN,
}


class InvalidAdjudication(ReviewerAppError):
    """An adjudication naming an unknown field, a misplaced claim or an impossible value."""


@dataclass(frozen=True)
class Adjudication:
    """A decision that settles one field (and claim) of a record, whatever the sheets say."""

    field: str
    claim_position: int | None
    value: Level | float | str
    rationale: str
    adjudicator: str

    def __post_init__(self) -> None:
        if (self.claim_position is None) == (self.field == CLAIM_VERDICTS):
            raise InvalidAdjudication(
                f"adjudication of {self.field}: a claim position is needed for claim verdicts "
                "and only for them"
            )
        try:
            value = validate_rating(self.field, self.value, "adjudication")
        except InvalidRatings as exc:
            raise InvalidAdjudication(str(exc)) from None
        object.__setattr__(self, "value", value)


@dataclass(frozen=True)
class FieldConsensus:
    value: Level | float | str | None
    rule: ConsensusRule
    n_ratings: int
    tied: bool = False
    """The majority rule found a tie, so there is no value."""
    adjudication: Adjudication | None = None


@dataclass(frozen=True)
class RecordConsensus:
    record: str
    dimensions: Mapping[str, FieldConsensus]
    review_score: FieldConsensus
    claim_verdicts: Mapping[int, FieldConsensus]

    def verdicts(self) -> dict[int, str | None]:
        return {position: _verdict(c.value) for position, c in self.claim_verdicts.items()}

    @property
    def verified_claims(self) -> int:
        return sum(c.value in VERIFIED_VERDICTS for c in self.claim_verdicts.values())

    @property
    def low_dimensions(self) -> tuple[str, ...]:
        return tuple(name for name, c in self.dimensions.items() if c.value == Level.LOW)


@dataclass(frozen=True)
class Conflict:
    """Reviewers disagree on one field (and claim) of a record."""

    record: str
    field: str
    claim_position: int | None
    ratings: Mapping[str, Any]
    """Each reviewer's rating, by reviewer name (read-only: equal rows share one mapping)."""
    detail: str
    adjudicated: bool


AdjudicationsByRecord = Mapping[str, Sequence[Adjudication]]


def workspace_consensus(
    source: RatingsSource,
    adjudications: AdjudicationsByRecord | None = None,
    ratings: Mapping[str, FieldRatings] | None = None,
) -> dict[str, RecordConsensus]:
    """The consensus of every record; pass ``ratings`` from ``collect_ratings`` to reuse them."""
    ratings = ratings if ratings is not None else collect_ratings(source)
    records = [record for record, _ in ratings[REVIEW_SCORE].items]
    decided = _decisions(adjudications or {})
    by_field = {name: _rule_consensus(ratings[name].encoded) for name in SHEET_FIELDS}
    claims: dict[str, dict[int, FieldConsensus]] = {record: {} for record in records}
    for (record, position), consensus in zip(
        ratings[CLAIM_VERDICTS].items, by_field[CLAIM_VERDICTS], strict=True
    ):
        assert position is not None  # claim items always carry their claim's position
        claims[record][position] = consensus
    result = {}
    for index, record in enumerate(records):
        dimensions = {name: by_field[name][index] for name in QUALITY_DIMENSIONS}
        score = by_field[REVIEW_SCORE][index]
        verdicts = claims[record]
        decisions = decided.get(record, ())
        for adjudication in decisions:
            if adjudication.field == RECOMMENDATION:
                continue  # settles a conflict; the consensus has no recommendation to replace
            settled = _settled(adjudication, _current(adjudication, dimensions, score, verdicts))
            if adjudication.field == REVIEW_SCORE:
                score = settled
            elif adjudication.field == CLAIM_VERDICTS:
                assert adjudication.claim_position is not None  # checked when it was made
                verdicts[adjudication.claim_position] = settled
            else:
                dimensions[adjudication.field] = settled
        if decisions:  # an adjudicated claim may be one nobody rated: keep claims in order
            verdicts = dict(sorted(verdicts.items()))
        result[record] = RecordConsensus(record, dimensions, score, verdicts)
    return result


def record_consensus(
    record_id: str,
    sheets: Sequence[ReviewerSheet],
    adjudications: Sequence[Adjudication] = (),
) -> RecordConsensus:
    return workspace_consensus({record_id: sheets}, {record_id: adjudications})[record_id]


def _decisions(adjudications: AdjudicationsByRecord) -> dict[str, list[Adjudication]]:
    """The last adjudication of each (field, claim), per record."""
    result = {}
    for record, items in adjudications.items():
        latest = {(a.field, a.claim_position): a for a in items}
        result[record] = list(latest.values())
    return result


def _current(
    adjudication: Adjudication,
    dimensions: Mapping[str, FieldConsensus],
    score: FieldConsensus,
    verdicts: Mapping[int, FieldConsensus],
) -> FieldConsensus | None:
    if adjudication.field == REVIEW_SCORE:
        return score
    if adjudication.field == CLAIM_VERDICTS:
        assert adjudication.claim_position is not None  # checked when it was made
        return verdicts.get(adjudication.claim_position)
    return dimensions[adjudication.field]


def _settled(adjudication: Adjudication, current: FieldConsensus | None) -> FieldConsensus:
    n_ratings = current.n_ratings if current is not None else 0
    return FieldConsensus(
        adjudication.value, ConsensusRule.ADJUDICATED, n_ratings, adjudication=adjudication
    )


def _rule_consensus(ratings: EncodedRatings) -> list[FieldConsensus]:
    """Apply the level's rule to every item at once; equal outcomes share one object."""
    codes = ratings.codes
    present = codes >= 0
    n_ratings = present.sum(axis=1)
    rule = _RULE_OF_LEVEL[ratings.level]
    tied = np.zeros(codes.shape[0], dtype=bool)
    if not present.any():
        return [FieldConsensus(None, rule, 0)] * codes.shape[0]
    if ratings.level is MeasurementLevel.NOMINAL:
        counts = ratings.counts
        top = counts.max(axis=1)
        tied = ((counts == top[:, None]).sum(axis=1) > 1) & (n_ratings > 0)
        values: list[Any] = [ratings.categories[c] for c in counts.argmax(axis=1).tolist()]
    else:
        # Absent ratings sort last, so each row's ratings fill its first n_ratings cells.
        ordered = np.sort(np.where(present, codes, np.iinfo(codes.dtype).max), axis=1)
        rated = n_ratings > 0
        lower = _column(ordered, np.maximum(n_ratings - 1, 0) // 2, rated)
        if ratings.level is MeasurementLevel.ORDINAL:
            values = [ratings.categories[c] for c in lower.tolist()]
        else:
            upper = _column(ordered, n_ratings // 2, rated)
            medians = (ratings.positions[lower] + ratings.positions[upper]) / 2
            # Round away binary noise: the median of 6.1 and 6.3 is 6.2, not 6.199999999999999.
            values = np.round(medians, 9).tolist()
    shared: dict[tuple[Any, int, bool], FieldConsensus] = {}
    result = []
    for value, count, is_tied in zip(values, n_ratings.tolist(), tied.tolist(), strict=True):
        key = (None if count == 0 or is_tied else value, count, is_tied)
        if key not in shared:
            shared[key] = FieldConsensus(key[0], rule, count, is_tied)
        result.append(shared[key])
    return result


def _column(matrix: np.ndarray, columns: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """``matrix[i, columns[i]]`` where ``keep``, else 0 (a valid index, masked later)."""
    picked = np.take_along_axis(matrix, np.minimum(columns, matrix.shape[1] - 1)[:, None], axis=1)
    return np.where(keep, picked[:, 0], 0)


def conflicts(
    sheets_by_record: Mapping[str, Sequence[ReviewerSheet]],
    *,
    margin: float = DEFAULT_SCORE_MARGIN,
    adjudications: AdjudicationsByRecord | None = None,
    ratings: Mapping[str, FieldRatings] | None = None,
) -> list[Conflict]:
    """Items where reviewers disagree, in record order, then field order, then claim order.

    A dimension, recommendation or verdict conflicts when two reviewers differ; scores
    conflict when the highest and lowest differ by more than ``margin``. Adjudicated items are
    listed, marked as such. Recommendation conflicts (field ``recommendation``, no claim) come
    after the review score's and before the claims'.
    """
    if margin < 0:
        raise ValueError(f"score margin must not be negative, got {margin}")
    ratings = ratings if ratings is not None else collect_ratings(sheets_by_record)
    settled = {
        (record, a.field, a.claim_position)
        for record, items in (adjudications or {}).items()
        for a in items
    }
    by_record: dict[str, list[Conflict]] = {record: [] for record in sheets_by_record}
    for name in SHEET_FIELDS:
        if name == CLAIM_VERDICTS:  # the recommendation comes after the score, as compared
            for record, sheets in sheets_by_record.items():
                found = _recommendation_conflict(record, sheets, settled)
                if found is not None:
                    by_record[record].append(found)
        field_ratings = ratings[name]
        flagged, tied, spread = _disagreeing_items(field_ratings.encoded, margin)
        rows = field_ratings.encoded.codes[flagged].tolist()
        # Few distinct rows exist (categories ** reviewers): describe each once, share the result.
        seen: dict[tuple[tuple[int, ...], bool], tuple[Mapping[str, Any], str]] = {}
        for item, codes, is_tied, difference in zip(
            flagged.tolist(), rows, tied.tolist(), spread.tolist(), strict=True
        ):
            key = (tuple(codes), is_tied)
            if key not in seen:
                seen[key] = _describe(field_ratings, codes, is_tied)
            values, detail = seen[key]
            if name == REVIEW_SCORE:
                detail = f"scores differ by {difference:.1f}, more than {margin:g}"
            record, position = field_ratings.items[item]
            by_record[record].append(
                Conflict(
                    record, name, position, values, detail, (record, name, position) in settled
                )
            )
    return [conflict for found in by_record.values() for conflict in found]


def _recommendation_conflict(
    record: str, sheets: Sequence[ReviewerSheet], settled: set[tuple[str, str, int | None]]
) -> Conflict | None:
    """Reviewers recommending different outcomes (accept, revise, reject), or None."""
    given = {s.reviewer: s.recommendation for s in sheets if s.recommendation is not None}
    if len(set(given.values())) < 2:
        return None
    listed = ", ".join(
        value.replace("-", " ") for value in RECOMMENDATIONS if value in given.values()
    )
    return Conflict(
        record,
        RECOMMENDATION,
        None,
        MappingProxyType(given),
        f"recommendations differ ({listed})",
        (record, RECOMMENDATION, None) in settled,
    )


def values_disagree(values: Iterable[object]) -> bool:
    """The disagreement rule for levels, verdicts and other names: two of the given ratings
    (None is none given) differ. ``conflicts`` applies it to whole workspaces at once."""
    return len({value for value in values if value is not None}) > 1


def scores_disagree(scores: Iterable[float | None], margin: float = DEFAULT_SCORE_MARGIN) -> bool:
    """The disagreement rule for review scores: the given scores spread by more than ``margin``
    (what ``conflicts`` flags)."""
    given = [score for score in scores if score is not None]
    return len(given) > 1 and max(given) - min(given) > margin + _SCORE_TOLERANCE


def _disagreeing_items(
    ratings: EncodedRatings, margin: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The items in conflict: their indexes, whether the majority rule ties, the value spread.
    ``values_disagree`` and ``scores_disagree`` over every item at once."""
    codes = ratings.codes
    present = codes >= 0
    pairable = present.sum(axis=1) >= 2
    if not pairable.any():
        return np.nonzero(pairable)[0], np.zeros(0, dtype=bool), np.zeros(0)
    lowest = np.where(present, codes, len(ratings.categories) - 1).min(axis=1)
    highest = np.where(present, codes, 0).max(axis=1)
    spread = ratings.positions[highest] - ratings.positions[lowest]
    if ratings.level in (MeasurementLevel.INTERVAL, MeasurementLevel.RATIO):
        flagged = np.nonzero(pairable & (spread > margin + _SCORE_TOLERANCE))[0]
    else:
        flagged = np.nonzero(pairable & (lowest != highest))[0]
    counts = ratings.counts[flagged]
    tied = (counts == counts.max(axis=1, initial=0)[:, None]).sum(axis=1) > 1
    return flagged, tied, spread[flagged]


def _describe(
    field_ratings: FieldRatings, codes: list[int], tied: bool
) -> tuple[Mapping[str, Any], str]:
    """Each reviewer's rating (read-only, as it is shared) and a line on what differs."""
    categories = field_ratings.encoded.categories
    values = MappingProxyType(
        {
            reviewer: categories[code]
            for reviewer, code in zip(field_ratings.reviewers, codes, strict=True)
            if code >= 0
        }
    )
    listed = ", ".join(str(categories[code]) for code in sorted({c for c in codes if c >= 0}))
    if field_ratings.field == CLAIM_VERDICTS:
        return values, f"verdicts differ ({listed})" + ("; no majority" if tied else "")
    return values, f"{field_ratings.field} ratings differ ({listed})"


def _verdict(value: Level | float | str | None) -> str | None:
    """A claim's consensus value as the verdict it is (verdicts are names, never numbers)."""
    return value if value is None or isinstance(value, str) else str(value)
