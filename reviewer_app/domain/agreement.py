"""Inter-rater agreement statistics on a ratings matrix.

The statistics take a ratings matrix (items x raters, ``None`` = missing) encoded once into
category codes, and are computed with numpy over all items at once. Turning reviewers' sheets into
such matrices is the job of :mod:`reviewer_app.domain.review_sheets`, which builds on this module
(never the other way round).

Conventions, chosen so that nothing raises on ordinary data and nothing returns NaN:

* A statistic that does not apply, or whose chance term leaves it undefined (every rating the
  same category), is ``None``.
* Percent agreement is the share of agreeing rater pairs within an item (exact match, at every
  level), averaged over the items with at least two ratings.
* Cohen's kappa and Fleiss' kappa treat ratings as nominal categories at every level (for scores:
  chance-corrected exact agreement). Cohen's kappa needs exactly two rater columns and uses the
  items both rated.
* Weighted kappa (two raters, ordinal and above) uses disagreement weights on category ranks
  (ordinal) or values (interval, ratio); quadratic by default, the usual choice, linear on request.
* Fleiss' kappa needs the same number of ratings per item: it skips items where an assigned rater
  gave no rating, and of the rest uses those with the most common number of ratings (the larger
  number on a tie). A bare matrix assigns every rater to every item.
* Krippendorff's alpha follows the coincidence-matrix formulation (Krippendorff 2011), in which
  items with fewer than two ratings are not pairable and drop out.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

import numpy as np

from reviewer_app.domain.records import Level
from reviewer_app.errors import ReviewerAppError

KappaWeights = Literal["linear", "quadratic"]
DEFAULT_KAPPA_WEIGHTS: KappaWeights = "quadratic"

MISSING = -1
"""Code of a rating an assigned rater did not give."""
NOT_ASSIGNED = -2
"""Code of a rating the rater was never asked for (a reviewer not on that record)."""


class MeasurementLevel(StrEnum):
    NOMINAL = "nominal"
    ORDINAL = "ordinal"
    INTERVAL = "interval"
    RATIO = "ratio"


_NUMERIC_LEVELS = (MeasurementLevel.INTERVAL, MeasurementLevel.RATIO)


class InvalidRatings(ReviewerAppError):
    """Ratings that cannot be read at the level asked for."""


@dataclass(frozen=True, eq=False)
class EncodedRatings:
    """``codes[item, rater]`` indexes ``categories``; negative codes are absent ratings.

    ``positions`` places each category on a line: its rank for nominal and ordinal data, its
    value for interval and ratio data (numeric categories are sorted ascending).
    """

    level: MeasurementLevel
    codes: np.ndarray
    categories: tuple[Any, ...]
    positions: np.ndarray

    @functools.cached_property
    def counts(self) -> np.ndarray:
        """``counts[item, category]``: how many raters gave that item that category."""
        n_items, n_categories = self.codes.shape[0], len(self.categories)
        rows, raters = np.nonzero(self.codes >= 0)
        cells = rows * n_categories + self.codes[rows, raters]
        counts = np.bincount(cells, minlength=n_items * n_categories)
        counts.flags.writeable = False  # cached and shared by every statistic
        return counts.reshape(n_items, n_categories)


def encode_ratings(
    ratings: Sequence[Sequence[Any]],
    level: MeasurementLevel | str,
    categories: Sequence[Hashable] | None = None,
) -> EncodedRatings:
    """Encode an items x raters matrix; ``None`` or NaN is a missing rating.

    Short rows are padded with missing ratings. ``categories`` fixes the order of ordinal
    categories (default: sorted, ``Level`` by rank) and the allowed nominal ones; numeric levels
    ignore it, their categories being the distinct values.
    """
    level = MeasurementLevel(level)
    n_raters = max((len(row) for row in ratings), default=0)
    rows = [[*row, *([None] * (n_raters - len(row)))] for row in ratings]
    if level in _NUMERIC_LEVELS:
        codes, found, positions = _encode_numeric(rows, n_raters, level)
    else:
        codes, found = _encode_categorical(rows, n_raters, level, categories)
        positions = np.arange(len(found), dtype=float)
    return EncodedRatings(level, codes, found, positions)


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _encode_categorical(
    rows: list[list[Any]],
    n_raters: int,
    level: MeasurementLevel,
    categories: Sequence[Hashable] | None,
) -> tuple[np.ndarray, tuple[Any, ...]]:
    if categories is None:
        seen = dict.fromkeys(v for row in rows for v in row if not _is_missing(v))
        try:
            found = (
                tuple(seen) if level is MeasurementLevel.NOMINAL else tuple(sorted(seen, key=_rank))
            )
        except TypeError as exc:
            raise InvalidRatings(f"ordinal ratings {list(seen)} need an explicit order") from exc
    else:
        found = tuple(categories)
    index = {category: code for code, category in enumerate(found)}
    try:
        codes = [[MISSING if _is_missing(v) else index[v] for v in row] for row in rows]
    except KeyError as exc:
        raise InvalidRatings(f"rating {exc.args[0]!r} is not one of {list(found)}") from None
    return np.array(codes, dtype=np.int64).reshape(len(rows), n_raters), found


def _rank(value: Any) -> Any:
    return value.rank if isinstance(value, Level) else value


def _encode_numeric(
    rows: list[list[Any]], n_raters: int, level: MeasurementLevel
) -> tuple[np.ndarray, tuple[float, ...], np.ndarray]:
    try:
        values = np.array(
            [[np.nan if v is None else float(v) for v in row] for row in rows], dtype=float
        ).reshape(len(rows), n_raters)
    except (TypeError, ValueError) as exc:
        raise InvalidRatings(f"{level} ratings must be numbers: {exc}") from None
    if np.isinf(values).any():
        raise InvalidRatings(f"{level} ratings must be finite numbers")
    if level is MeasurementLevel.RATIO and (values < 0).any():
        raise InvalidRatings("ratio ratings must not be negative")
    found, codes = numeric_codes(values)
    return codes, tuple(found.tolist()), found


def numeric_codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The sorted distinct values, and codes into them (NaN is missing)."""
    present = ~np.isnan(values)
    found, inverse = np.unique(values[present], return_inverse=True)
    codes = np.full(values.shape, MISSING, dtype=np.int64)
    codes[present] = inverse.reshape(-1)
    return found, codes


def percent_agreement(ratings: EncodedRatings) -> float | None:
    counts = ratings.counts
    m = counts.sum(axis=1)
    pairable = m >= 2
    if not pairable.any():
        return None
    counts, m = counts[pairable], m[pairable]
    return _finite(np.mean((counts * (counts - 1)).sum(axis=1) / (m * (m - 1))))


def cohen_kappa(ratings: EncodedRatings) -> float | None:
    """Unweighted Cohen's kappa; ``None`` unless there are exactly two rater columns."""
    table = _two_rater_table(ratings)
    if table is None:
        return None
    expected = table.sum(axis=1) @ table.sum(axis=0)
    return _chance_corrected(np.trace(table), expected)


def weighted_kappa(
    ratings: EncodedRatings, weights: KappaWeights = DEFAULT_KAPPA_WEIGHTS
) -> float | None:
    """Cohen's weighted kappa with linear or quadratic disagreement weights; not for nominal."""
    if weights not in ("linear", "quadratic"):
        raise ValueError(f"kappa weights are 'linear' or 'quadratic', not {weights!r}")
    if ratings.level is MeasurementLevel.NOMINAL:
        return None
    table = _two_rater_table(ratings)
    if table is None:
        return None
    distance = np.abs(ratings.positions[:, None] - ratings.positions[None, :])
    disagreement = distance if weights == "linear" else distance**2
    expected = np.outer(table.sum(axis=1), table.sum(axis=0))
    denominator = (disagreement * expected).sum()
    if denominator <= 0:
        return None
    return _finite(1.0 - (disagreement * table).sum() / denominator)


def _two_rater_table(ratings: EncodedRatings) -> np.ndarray | None:
    """Proportions of items rated (i, j) by raters 0 and 1, over items both rated."""
    codes = ratings.codes
    if codes.ndim != 2 or codes.shape[1] != 2:
        return None
    both = (codes >= 0).all(axis=1)
    if not both.any():
        return None
    k = len(ratings.categories)
    cells = codes[both, 0] * k + codes[both, 1]
    # annotated: numpy's stubs type arithmetic on an array of unknown dtype as Any
    table: np.ndarray = np.bincount(cells, minlength=k * k).reshape(k, k) / both.sum()
    return table


def fleiss_kappa(ratings: EncodedRatings) -> float | None:
    counts = ratings.counts
    m = counts.sum(axis=1)
    complete = ~(ratings.codes == MISSING).any(axis=1) & (m >= 2)
    if not complete.any():
        return None
    sizes, frequency = np.unique(m[complete], return_counts=True)
    panel = sizes[frequency == frequency.max()].max()
    table = counts[complete & (m == panel)]
    agreement = ((table * (table - 1)).sum(axis=1) / (panel * (panel - 1))).mean()
    shares = table.sum(axis=0) / table.sum()
    return _chance_corrected(agreement, (shares**2).sum())


def krippendorff_alpha(ratings: EncodedRatings) -> float | None:
    counts = ratings.counts.astype(float)
    m = counts.sum(axis=1)
    pairable = m >= 2
    if not pairable.any():
        return None
    counts = counts[pairable]
    weighted = counts / (m[pairable] - 1)[:, None]
    coincidences = weighted.T @ counts - np.diag(weighted.sum(axis=0))
    marginals = coincidences.sum(axis=0)
    n = marginals.sum()
    delta = _distances(ratings.level, ratings.positions, marginals)
    expected = (np.outer(marginals, marginals) * delta).sum()
    if expected <= 0:
        return None
    return _finite(1.0 - (n - 1) * (coincidences * delta).sum() / expected)


def _distances(level: MeasurementLevel, positions: np.ndarray, marginals: np.ndarray) -> np.ndarray:
    """Krippendorff's squared difference function, category x category."""
    c, k = positions[:, None], positions[None, :]
    # annotated: numpy's stubs type arithmetic on an array of unknown dtype as Any
    distances: np.ndarray
    if level is MeasurementLevel.NOMINAL:
        distances = (c != k).astype(float)
        return distances
    if level is MeasurementLevel.INTERVAL:
        distances = (c - k) ** 2
        return distances
    if level is MeasurementLevel.RATIO:
        total = c + k
        ratio = np.divide(c - k, total, out=np.zeros_like(total), where=total != 0)
        distances = ratio**2
        return distances
    # Ordinal: the marginal mass between two ranks, each end counted half.
    index = np.arange(len(marginals))
    low, high = np.minimum.outer(index, index), np.maximum.outer(index, index)
    cumulative = np.cumsum(marginals)
    between = cumulative[high] - cumulative[low] + marginals[low]
    distances = (between - (marginals[low] + marginals[high]) / 2) ** 2
    return distances


def _chance_corrected(observed: float, expected: float) -> float | None:
    if expected >= 1.0 - 1e-12:
        return None
    return _finite((observed - expected) / (1.0 - expected))


def _finite(value: float) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


@dataclass(frozen=True)
class FieldAgreement:
    level: MeasurementLevel
    n_reviewers: int
    """Rater columns with at least one rating of this field."""
    percent_agreement: float | None
    cohen_kappa: float | None
    weighted_kappa: float | None
    fleiss_kappa: float | None
    krippendorff_alpha: float | None

    def to_json(self) -> dict[str, Any]:
        return {
            "n_reviewers": self.n_reviewers,
            "percent_agreement": self.percent_agreement,
            "cohen_kappa": self.cohen_kappa,
            "weighted_kappa": self.weighted_kappa,
            "fleiss_kappa": self.fleiss_kappa,
            "krippendorff_alpha": self.krippendorff_alpha,
            "level": self.level.value,
        }


def agreement_of(
    ratings: EncodedRatings, weights: KappaWeights = DEFAULT_KAPPA_WEIGHTS
) -> FieldAgreement:
    return FieldAgreement(
        level=ratings.level,
        n_reviewers=int((ratings.codes >= 0).any(axis=0).sum()) if ratings.codes.size else 0,
        percent_agreement=percent_agreement(ratings),
        cohen_kappa=cohen_kappa(ratings),
        weighted_kappa=weighted_kappa(ratings, weights),
        fleiss_kappa=fleiss_kappa(ratings),
        krippendorff_alpha=krippendorff_alpha(ratings),
    )


def field_agreement(
    ratings: Sequence[Sequence[Any]],
    level: MeasurementLevel | str,
    categories: Sequence[Hashable] | None = None,
    *,
    weights: KappaWeights = DEFAULT_KAPPA_WEIGHTS,
) -> FieldAgreement:
    """Every agreement statistic for one field's items x raters matrix (``None`` = missing)."""
    return agreement_of(encode_ratings(ratings, level, categories), weights)
