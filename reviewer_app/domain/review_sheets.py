"""Reviewers' score sheets, and their inter-rater agreement per field.

A :class:`ReviewerSheet` holds one reviewer's validated ratings of one record. The sheets of a
record, or of a whole workspace, become one ratings matrix per field (:func:`collect_ratings`),
which the statistics in :mod:`reviewer_app.domain.agreement` then measure.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from reviewer_app.domain.agreement import (
    MISSING,
    NOT_ASSIGNED,
    EncodedRatings,
    FieldAgreement,
    InvalidRatings,
    MeasurementLevel,
    agreement_of,
    numeric_codes,
)
from reviewer_app.domain.records import QUALITY_DIMENSIONS, Level
from reviewer_app.domain.score_sheets import RECOMMENDATIONS

VERDICTS: tuple[str, ...] = (
    "supports",
    "special-case",
    "contradicts",
    "conflicting",
    "not-enough-evidence",
)
REVIEW_SCORE = "review_score"
CLAIM_VERDICTS = "claim_verdicts"
RECOMMENDATION = "recommendation"
"""A sheet's recommendation: compared and listed as a conflict, not part of the agreement
statistics (``SHEET_FIELDS``)."""
SHEET_FIELDS: tuple[str, ...] = (*QUALITY_DIMENSIONS, REVIEW_SCORE, CLAIM_VERDICTS)

FIELD_LEVELS: dict[str, MeasurementLevel] = {
    **dict.fromkeys(QUALITY_DIMENSIONS, MeasurementLevel.ORDINAL),
    REVIEW_SCORE: MeasurementLevel.INTERVAL,
    CLAIM_VERDICTS: MeasurementLevel.NOMINAL,
}

ItemKey = tuple[str, int | None]
"""(record id, claim position); the position is ``None`` except for claim verdicts."""


@dataclass(frozen=True)
class ReviewerSheet:
    """One reviewer's ratings of one record."""

    reviewer: str
    dimensions: Mapping[str, Level | None] = dataclasses.field(default_factory=dict)
    review_score: float | None = None
    claim_verdicts: Mapping[int, str | None] = dataclasses.field(default_factory=dict)
    """Verdict by 1-based claim position; a claim left out (or ``None``) is not rated."""
    recommendation: str | None = None
    """One of ``RECOMMENDATIONS``, or ``None`` when the reviewer gave none."""

    @classmethod
    def stored(
        cls,
        reviewer: str,
        dimensions: Mapping[str, Level | None],
        review_score: float | None,
        claim_verdicts: Mapping[int, str | None],
        recommendation: str | None,
    ) -> ReviewerSheet:
        """A sheet of values read back from the workspace, which checked them when they were
        written: built without checking them again (over 10,000 records x 3 reviewers the
        checks were a third of ``agreement``). Cleared verdicts are left out, as by the
        checking constructor."""
        sheet = object.__new__(cls)
        verdicts = {position: v for position, v in claim_verdicts.items() if v is not None}
        for name, value in (
            ("reviewer", reviewer), ("dimensions", dimensions), ("review_score", review_score),
            ("claim_verdicts", verdicts), ("recommendation", recommendation),
        ):  # fmt: skip
            object.__setattr__(sheet, name, value)
        return sheet

    def __post_init__(self) -> None:
        where = f"sheet of reviewer {self.reviewer!r}"
        if not isinstance(self.reviewer, str) or not self.reviewer.strip():
            raise InvalidRatings(f"{where}: the reviewer needs a name")
        unknown = set(self.dimensions) - set(QUALITY_DIMENSIONS)
        if unknown:
            raise InvalidRatings(f"{where}: unknown dimensions {sorted(unknown)}")
        dimensions = {
            name: None if value is None else validate_rating(name, value, where)
            for name, value in self.dimensions.items()
        }
        verdicts = {}
        for position, verdict in self.claim_verdicts.items():
            if verdict is None:
                continue  # a cleared verdict: the claim is not rated
            if isinstance(position, bool) or not isinstance(position, int) or position < 1:
                raise InvalidRatings(f"{where}: claim position {position!r} is not 1, 2, ...")
            verdicts[position] = validate_rating(CLAIM_VERDICTS, verdict, where)
        object.__setattr__(self, "dimensions", dimensions)
        object.__setattr__(self, "claim_verdicts", verdicts)
        if self.review_score is not None:
            score = validate_rating(REVIEW_SCORE, self.review_score, where)
            object.__setattr__(self, "review_score", score)
        if self.recommendation is not None:
            validate_rating(RECOMMENDATION, self.recommendation, where)


_LEVELS_BY_NAME = {level.value: level for level in Level}


def validate_rating(field_name: str, value: Any, where: str) -> Any:
    """The rating as a field holds it (a ``Level``, a float score, a verdict), or an error."""
    if field_name in QUALITY_DIMENSIONS:
        level = _LEVELS_BY_NAME.get(value) if isinstance(value, str) else None
        if level is None:
            raise InvalidRatings(
                f"{where}: {field_name} must be LOW, MEDIUM or HIGH, not {value!r}"
            )
        return level
    if field_name == REVIEW_SCORE:
        value = _parse_number(value) if isinstance(value, str) else value
        number = not isinstance(value, bool) and isinstance(value, int | float)
        if not number or not 0 <= value <= 10:
            raise InvalidRatings(
                f"{where}: review score must be a number from 0 to 10, not {value!r}"
            )
        return float(value)
    if field_name == RECOMMENDATION:
        if value not in RECOMMENDATIONS:
            raise InvalidRatings(
                f"{where}: recommendation {value!r} is not one of {', '.join(RECOMMENDATIONS)}"
            )
        return value
    if field_name == CLAIM_VERDICTS:
        if value not in VERDICTS:
            raise InvalidRatings(f"{where}: verdict {value!r} is not one of {', '.join(VERDICTS)}")
        return value
    raise InvalidRatings(f"{where}: unknown field {field_name!r}")


def _parse_number(text: str) -> float | str:
    """Scores stored as text (adjudications keep values as text) parse; other text stays."""
    try:
        return float(text)
    except ValueError:
        return text


@dataclass(frozen=True, eq=False)
class FieldRatings:
    """One field's ratings as a matrix: a row per item, a column per reviewer."""

    field: str
    reviewers: tuple[str, ...]
    items: tuple[ItemKey, ...]
    encoded: EncodedRatings


@dataclass(frozen=True, eq=False)
class RatingsTable:
    """The submitted sheets of a set of records as columns, a row per sheet and per verdict:
    what the ratings matrices are made of, without a :class:`ReviewerSheet` per sheet.

    Workspace-wide reads fill it straight from the database's rows (30,000 sheet objects over
    10,000 records were a third of ``agreement``); :meth:`of_sheets` fills it from sheets.
    """

    records: tuple[str, ...]
    """Every record the matrices have an item row for, in item order (records without a
    submitted sheet too: their items are all not assigned)."""
    sheet_record: np.ndarray
    """Per sheet: the index of its record in ``records``."""
    sheet_reviewer: tuple[str, ...]
    """Per sheet: the reviewer's name."""
    sheet_levels: np.ndarray
    """Per sheet, per dimension of ``QUALITY_DIMENSIONS``: the level's code (index in
    ``Level``), or ``MISSING``."""
    sheet_scores: np.ndarray
    """Per sheet: the review score, NaN where none was given."""
    verdict_sheet: np.ndarray
    """Per (rated) claim verdict: the index of the sheet it belongs to."""
    verdict_position: np.ndarray
    """Per verdict: the claim's 1-based position."""
    verdict_code: np.ndarray
    """Per verdict: its index in ``VERDICTS``."""

    @classmethod
    def of_sheets(cls, sheets_by_record: Mapping[str, Sequence[ReviewerSheet]]) -> RatingsTable:
        sheet_record: list[int] = []
        reviewers: list[str] = []
        levels: list[list[int]] = []
        scores: list[float] = []
        verdict_sheet: list[int] = []
        positions: list[int] = []
        codes: list[int] = []
        for record_index, sheets in enumerate(sheets_by_record.values()):
            for sheet in sheets:
                index = len(reviewers)
                sheet_record.append(record_index)
                reviewers.append(sheet.reviewer)
                levels.append([LEVEL_CODE[sheet.dimensions.get(n)] for n in QUALITY_DIMENSIONS])
                scores.append(math.nan if sheet.review_score is None else sheet.review_score)
                verdicts = sheet.claim_verdicts
                verdict_sheet.extend([index] * len(verdicts))
                positions.extend(verdicts)
                codes.extend([VERDICT_CODE[verdict] for verdict in verdicts.values()])
        return cls(
            records=tuple(sheets_by_record),
            sheet_record=np.array(sheet_record, dtype=np.int64),
            sheet_reviewer=tuple(reviewers),
            sheet_levels=np.array(levels, dtype=np.int64).reshape(-1, len(QUALITY_DIMENSIONS)),
            sheet_scores=np.array(scores, dtype=float),
            verdict_sheet=np.array(verdict_sheet, dtype=np.int64),
            verdict_position=np.array(positions, dtype=np.int64),
            verdict_code=np.array(codes, dtype=np.int64),
        )


LEVEL_CODE: dict[Level | None, int] = {None: MISSING, **{lv: code for code, lv in enumerate(Level)}}
"""A level's code in the ratings matrices (its index in ``Level``); no level is missing."""
VERDICT_CODE: dict[str | None, int] = {None: MISSING, **{v: c for c, v in enumerate(VERDICTS)}}
"""A verdict's code in the claim-verdict matrix (its index in ``VERDICTS``)."""

RatingsSource = Mapping[str, Sequence[ReviewerSheet]] | RatingsTable
"""Sheets by record, or the same ratings as a table."""


def ratings_table(source: RatingsSource) -> RatingsTable:
    return source if isinstance(source, RatingsTable) else RatingsTable.of_sheets(source)


def collect_ratings(source: RatingsSource) -> dict[str, FieldRatings]:
    """Pool the sheets into one matrix per field: an item per record, or per (record, claim).

    Columns are all reviewers in the workspace, sorted; a reviewer without a sheet for a record
    is not assigned to its items, while one whose sheet leaves a field blank is missing. Claim
    items are ordered by record, then claim position.
    """
    table = ratings_table(source)
    reviewers, sheet_column = np.unique(np.array(table.sheet_reviewer, dtype=object),
                                        return_inverse=True)  # fmt: skip
    reviewer_names = tuple(str(name) for name in reviewers.tolist())
    sheet_column = sheet_column.reshape(-1).astype(np.int64)
    n_records, width = len(table.records), len(reviewer_names)
    at_sheet = (table.sheet_record, sheet_column)
    on_record = np.zeros((n_records, width), dtype=bool)
    on_record[at_sheet] = True
    if int(on_record.sum()) != len(table.sheet_reviewer):
        counts = np.zeros((n_records, width), dtype=np.int64)
        np.add.at(counts, at_sheet, 1)
        record_index = int(np.argwhere(counts > 1)[0][0])
        record_id = table.records[record_index]
        raise InvalidRatings(f"record {record_id} has two sheets from the same reviewer")

    verdict_record = table.sheet_record[table.verdict_sheet]
    # one item per (record, position) with a verdict; np.unique sorts by record, then position
    stride = int(table.verdict_position.max(initial=0)) + 1
    keys, verdict_item = np.unique(verdict_record * stride + table.verdict_position,
                                   return_inverse=True)  # fmt: skip
    verdict_item = verdict_item.reshape(-1)
    claim_record, claim_position = np.divmod(keys, stride)
    claim_items = tuple(
        (table.records[record], position)
        for record, position in zip(claim_record.tolist(), claim_position.tolist(), strict=True)
    )

    def scatter(assigned: np.ndarray, at: tuple[Any, Any], codes: Any) -> np.ndarray:
        matrix = np.where(assigned, MISSING, NOT_ASSIGNED).astype(np.int64)
        matrix[at] = codes
        return matrix

    found_scores, score_codes = numeric_codes(table.sheet_scores)
    encoded = {
        **{
            name: _categorical(
                FIELD_LEVELS[name],
                scatter(on_record, at_sheet, table.sheet_levels[:, i]),
                tuple(Level),
            )
            for i, name in enumerate(QUALITY_DIMENSIONS)
        },
        REVIEW_SCORE: EncodedRatings(
            FIELD_LEVELS[REVIEW_SCORE],
            scatter(on_record, at_sheet, score_codes),
            tuple(found_scores.tolist()),
            found_scores,
        ),
        CLAIM_VERDICTS: _categorical(
            FIELD_LEVELS[CLAIM_VERDICTS],
            scatter(
                on_record[claim_record],
                (verdict_item, sheet_column[table.verdict_sheet]),
                table.verdict_code,
            ),
            VERDICTS,
        ),
    }
    record_items = tuple((record_id, None) for record_id in table.records)
    return {
        name: FieldRatings(
            field=name,
            reviewers=reviewer_names,
            items=claim_items if name == CLAIM_VERDICTS else record_items,
            encoded=encoded[name],
        )
        for name in SHEET_FIELDS
    }


def _categorical(
    level: MeasurementLevel, codes: np.ndarray, categories: tuple[Any, ...]
) -> EncodedRatings:
    positions = np.arange(len(categories), dtype=float)
    return EncodedRatings(level, np.ascontiguousarray(codes), categories, positions)


@dataclass(frozen=True)
class RecordAgreement:
    record: str
    reviewers: tuple[str, ...]
    fields: Mapping[str, FieldAgreement]

    def to_json(self) -> dict[str, Any]:
        return {
            "record": self.record,
            "reviewers": list(self.reviewers),
            "fields": {name: value.to_json() for name, value in self.fields.items()},
        }


@dataclass(frozen=True)
class WorkspaceAgreement:
    n_records: int
    reviewers: tuple[str, ...]
    fields: Mapping[str, FieldAgreement]

    def to_json(self) -> dict[str, Any]:
        return {
            "records": self.n_records,
            "reviewers": list(self.reviewers),
            "fields": {name: value.to_json() for name, value in self.fields.items()},
        }


def record_agreement(record_id: str, sheets: Sequence[ReviewerSheet]) -> RecordAgreement:
    """Agreement on each field of one record (a dimension or the score is a single item)."""
    ratings = collect_ratings({record_id: sheets})
    fields = {name: agreement_of(field_ratings.encoded) for name, field_ratings in ratings.items()}
    return RecordAgreement(record_id, tuple(sorted(s.reviewer for s in sheets)), fields)


def workspace_agreement(
    source: RatingsSource,
    ratings: Mapping[str, FieldRatings] | None = None,
) -> WorkspaceAgreement:
    """Agreement on each field with items pooled across records.

    Pass ``ratings`` from :func:`collect_ratings` to share them with the consensus.
    """
    ratings = ratings if ratings is not None else collect_ratings(source)
    fields = {name: agreement_of(field_ratings.encoded) for name, field_ratings in ratings.items()}
    reviewers = next(iter(ratings.values())).reviewers
    n_records = len(source.records) if isinstance(source, RatingsTable) else len(source)
    return WorkspaceAgreement(n_records, reviewers, fields)
