"""Fusing the rankings of the evidence finder (no database here: plain ids and scores).

Three signals: the database's full-text rank (BM25 on SQLite), the static-vector cosine
(finds passages that share no word with the claim) and the sentence model's cosine over the
fused pool. Reciprocal rank fusion adds ``weight / (RRF_K + rank)`` per list, so no signal's
raw scale matters and a passage strong in any one list rises.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

RRF_K = 60
POOL = 24
"""Candidates re-ranked with the sentence model."""
DENSE_WEIGHT = 3.0
"""The sentence model sees word order and meaning: it counts for more than the rest."""


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[int]], weights: Sequence[float] | None = None
) -> dict[int, float]:
    scores: dict[int, float] = {}
    for index, ranking in enumerate(rankings):
        weight = 1.0 if weights is None else weights[index]
        for rank, passage_id in enumerate(ranking, start=1):
            scores[passage_id] = scores.get(passage_id, 0.0) + weight / (RRF_K + rank)
    return scores


def best_first(scores: Mapping[int, float]) -> list[int]:
    return sorted(scores, key=lambda passage_id: (-scores[passage_id], passage_id))


def fuse(
    lexical: Sequence[int],
    static: Sequence[int],
    dense: Mapping[int, float] | None,
) -> list[tuple[int, float]]:
    """Final ``(passage id, score)`` best first. ``dense`` holds the sentence model's cosines
    for (part of) the pool, or None when the model is not available: the pool is the first
    ``POOL`` of the lexical + static fusion, re-ranked with the dense list added."""
    first = reciprocal_rank_fusion([lexical, static])
    if not dense:
        return [(pid, first[pid]) for pid in best_first(first)]
    pool = set(best_first(first)[:POOL]) | set(dense)
    dense_order = sorted(dense, key=lambda pid: (-dense[pid], pid))
    final = reciprocal_rank_fusion([lexical, static, dense_order], [1.0, 1.0, DENSE_WEIGHT])
    pooled = {pid: final[pid] for pid in pool}
    return [(pid, pooled[pid]) for pid in best_first(pooled)]


def pool_of(lexical: Sequence[int], static: Sequence[int], size: int = POOL) -> list[int]:
    return best_first(reciprocal_rank_fusion([lexical, static]))[:size]
