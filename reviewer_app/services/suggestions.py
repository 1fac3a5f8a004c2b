"""Evidence suggestions: for a claim, the passages of its record's PDFs most worth reading.

Ranks over every PDF attached to the record, building any missing passage index first.
Each suggestion carries stance hints (never a verdict) and, when nothing scores well, the
first one says "no close match found". The last ranking of each claim is kept, so accepting
"suggestion 2" means the suggestion the reviewer saw as number 2.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from reviewer_app.domain.claim_terms import expanded_terms
from reviewer_app.domain.stance_hints import NO_CLOSE_MATCH, Hint, key_term_coverage, stance_hints
from reviewer_app.embeddings import MODEL_NAME, ModelUnavailable, load_minilm
from reviewer_app.embeddings.minilm import MiniLM
from reviewer_app.embeddings.static import load_static
from reviewer_app.errors import NotFound
from reviewer_app.pdf import PdfError, PdfStore
from reviewer_app.services.passage_index import (
    IndexProgress,
    build_lexical_index,
    compute_dense_vectors,
)
from reviewer_app.services.passage_ranking import fuse, pool_of
from reviewer_app.services.review_lookup import require_claim, require_record, require_reviewer
from reviewer_app.storage import passage_repository as passages_repo
from reviewer_app.storage import sources_repository as sources_repo
from reviewer_app.storage.database import Database, UnitOfWork
from reviewer_app.storage.records_repository import record_key
from reviewer_app.storage.reviewers_repository import reviewer_named

DEFAULT_TOP = 5
CANDIDATES = 100
"""Passages taken from each first-stage signal."""
STRONG_DENSE, STRONG_COVERAGE = 0.62, 0.8
"""A suggestion is "strong" when the sentence model finds it this close, or it has this
share of the claim's key terms."""
DENSE_ON_DEMAND = 6
"""Most passages one ranking encodes with the sentence model, those of files whose vectors the
window's background pass has not stored yet (e.g. the 2,415-page manual): ~20 ms each. At 12
a query over the manual took 0.45 s at p95; at 6, 0.17 s, with the same recall on the
evaluation set."""
DENSE_CANDIDATES = 24
"""Passages taken from the sentence model's own ranking of every passage of the files whose
vectors are all stored: it finds paraphrases that share no word with the claim, and the other
two signals' pool of 24 missed them (on the evaluation set the gold passage was in the model's
top 5 for 16 of 17 paraphrases, in the fused top 5 for 14)."""
WEAK_DENSE, WEAK_COVERAGE = 0.42, 0.5
"""Below both, the best suggestion is "no close match"."""

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Suggestion:
    rank: int
    source_sha256: str
    file: str
    page: int
    """0-based (the JSON says 1-based)."""
    text: str
    start: int
    end: int
    score: float
    hints: tuple[Hint, ...]
    strong: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "source_sha256": self.source_sha256,
            "file": self.file,
            "page": self.page + 1,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 6),
            "hints": [hint.to_json() for hint in self.hints],
        }


@dataclass(frozen=True)
class ClaimSuggestions:
    position: int
    candidates: tuple[Suggestion, ...]
    no_close_match: bool = False
    semantic: bool = field(default=False)
    """Whether the sentence model took part (False when it is not installed)."""

    @property
    def has_strong(self) -> bool:
        return any(c.strong for c in self.candidates)


class SuggestionService:
    def __init__(self, database: Database, store: PdfStore, *, use_dense: bool = True) -> None:
        self.database = database
        self.store = store
        self.use_dense = use_dense
        self._static_cache = _MatrixCache()
        self._dense_cache = _MatrixCache()

    # -- indexes -------------------------------------------------------------------------
    def attached(self, record_id: str) -> dict[str, str]:
        """SHA-256 → file name of every PDF attached to the record; NotFound when none."""
        key = record_key(record_id)
        with self.database.reading() as session:
            require_record(session, record_id)
            files = sources_repo.attached_files(session, key)
        if not files:
            raise NotFound(
                f"record {key} has no attached PDF (attach one: reviewer-app attach {key} PDF)"
            )
        return {source.sha256: source.file_name for source in reversed(files)}

    def ensure_indexed(
        self, record_id: str, progress: IndexProgress | None = None
    ) -> dict[str, str]:
        """Index every attached PDF that has no index yet; returns the indexed files."""
        indexed: dict[str, str] = {}
        for sha256, name in self.attached(record_id).items():
            try:
                build_lexical_index(self.database, self.store, sha256, progress)
            except PdfError as exc:
                log.warning("%s: not indexed: %s", name, exc)
                continue
            indexed[sha256] = name
        if not indexed:
            raise NotFound(f"record {record_key(record_id)}: no attached PDF could be read")
        return indexed

    def complete_sentence_vectors(
        self,
        record_id: str,
        *,
        cancelled: Callable[[], bool] = lambda: False,
        pause: Callable[[], None] | None = None,
    ) -> bool:
        """Store the sentence model's vector of every passage of the record's indexed PDFs
        that has none yet, so a ranking reads them instead of encoding passages while the
        reviewer waits. False if cancelled, or when the model is not installed."""
        try:
            files = self.attached(record_id)
        except NotFound:
            return True
        for sha256 in files:
            with self.database.reading() as session:
                found = passages_repo.layer(session, sha256)
            if found is None or found.vector_model == MODEL_NAME:
                continue  # not indexed yet (a ranking indexes it), or complete
            try:
                if not compute_dense_vectors(
                    self.database, sha256, cancelled=cancelled, pause=pause
                ):
                    return False
            except ModelUnavailable as exc:
                log.info("no sentence vectors: %s", exc)
                return False
        return True

    # -- ranking -------------------------------------------------------------------------
    def suggest(
        self,
        record_id: str,
        claim_position: int,
        top: int = DEFAULT_TOP,
        *,
        reviewer: str | None = None,
        progress: IndexProgress | None = None,
        remember: bool = False,
    ) -> ClaimSuggestions:
        """With ``remember``, the ranking becomes the claim's last ``suggest`` ranking (what
        ``annotate --suggestion RANK`` reads). Only the CLI remembers, and without a reviewer's
        dismissals: the stored ranking is then the same whoever asks, so in a team workspace it
        is shared derived data that reveals no one's dismissals, and a colleague's window
        ranking (their dismissals hidden) never changes what one's RANK means."""
        with self.database.reading() as session:
            claim = require_claim(require_record(session, record_id), record_id, claim_position)
        files = self.ensure_indexed(record_id, progress)
        hidden = self._dismissed(record_id, claim.position, reviewer)
        result = self.rank_text(claim.text, files, top, hidden=hidden, position=claim.position)
        if remember:
            with self.database.transaction() as session:
                passages_repo.save_ranking(
                    session,
                    record_key(record_id),
                    claim.position,
                    [c.to_json() for c in result.candidates],
                )
        return result

    def suggest_all(
        self, record_id: str, top: int = DEFAULT_TOP, **options: Any
    ) -> list[ClaimSuggestions]:
        with self.database.reading() as session:
            record = require_record(session, record_id)
        return [self.suggest(record_id, claim.position, top, **options) for claim in record.claims]

    def rank_text(
        self,
        claim: str,
        files: dict[str, str],
        top: int = DEFAULT_TOP,
        *,
        hidden: AbstractSet[tuple[str, int, int]] = frozenset(),
        position: int = 0,
    ) -> ClaimSuggestions:
        """Rank the passages of ``files`` (SHA-256 → name, indexed) for a claim's text."""
        shas = set(files)
        with self.database.reading() as session:
            lexical = [
                pid
                for pid, _ in passages_repo.lexical_search(
                    session, shas, expanded_terms(claim), CANDIDATES
                )
            ]
        static = self._static_ranking(claim, shas)
        dense = (
            self._dense_ranking(claim, shas, pool_of(lexical, static)) if self.use_dense else None
        )
        fused = fuse(lexical, static, dense)
        head = [pid for pid, _ in fused[: top + len(hidden) + 20]]
        close = [pid for pid, cosine in (dense or {}).items() if cosine >= STRONG_DENSE]
        with self.database.reading() as session:
            rows = passages_repo.passages_by_id(session, dict.fromkeys(head + close))

        def closeness(pid: int) -> float:
            return dense.get(pid, 0.0) if dense else 0.0

        def strength(pid: int) -> int:
            """2: carries the claim's key terms, 1: the model finds it close, 0: neither."""
            if key_term_coverage(claim, rows[pid].text) >= STRONG_COVERAGE:
                return 2
            return 1 if closeness(pid) >= STRONG_DENSE else 0

        # Strong suggestions first (what carries the claim's key terms, then what the model
        # finds close), each group in fused order: rank fusion alone let passages sharing
        # the claim's words in every list outrank a paraphrase only the model recognised
        # (cosine 0.81 against 0.35 in tests/test_evidence_dense_recall.py).
        scored = [(pid, score, strength(pid)) for pid, score in fused if pid in rows]
        # A table of contents or index line ("Spreadsheet-like data . . . . 26, 31") shares
        # the claim's words and is never its evidence: after every passage of running text.
        scored.sort(key=lambda item: (is_contents_line(rows[item[0]].text), -item[2]))
        chosen: list[Suggestion] = []
        chosen_ids: list[int] = []
        for pid, score, level in scored:
            strong = level > 0
            row = rows[pid]
            if (row.sha256, row.start, row.end) in hidden:
                continue
            chosen.append(
                Suggestion(
                    len(chosen) + 1, row.sha256, files[row.sha256], row.page, row.text,
                    row.start, row.end, score, tuple(stance_hints(claim, row.text)), strong,
                )
            )  # fmt: skip
            chosen_ids.append(pid)
            if len(chosen) >= top:
                break
        no_match = (
            bool(chosen)
            and not any(closeness(pid) >= WEAK_DENSE for pid in chosen_ids)
            and all(key_term_coverage(claim, c.text) < WEAK_COVERAGE for c in chosen)
        )
        if not chosen:
            no_match = True
        elif no_match:
            first = chosen[0]
            chosen[0] = Suggestion(
                first.rank, first.source_sha256, first.file, first.page, first.text,
                first.start, first.end, first.score,
                (Hint("no-close-match", NO_CLOSE_MATCH), *first.hints), False,
            )  # fmt: skip
        return ClaimSuggestions(position, tuple(chosen), no_match, dense is not None)

    def last_ranking(self, record_id: str, claim_position: int) -> list[dict[str, Any]] | None:
        with self.database.reading() as session:
            return passages_repo.ranking(session, record_key(record_id), claim_position)

    def dismiss(
        self,
        record_id: str,
        claim_position: int,
        *,
        reviewer: str,
        source_sha256: str,
        start: int,
        end: int,
    ) -> None:
        with self.database.transaction() as session:
            claim = require_claim(require_record(session, record_id), record_id, claim_position)
            who = require_reviewer(session, reviewer)
            passages_repo.dismiss(
                session, record_id=record_key(record_id), claim_position=claim.position,
                reviewer_id=who.id, source_sha256=source_sha256, start=start, end=end,
            )  # fmt: skip

    # -- signals -------------------------------------------------------------------------
    def _dismissed(
        self, record_id: str, position: int, reviewer: str | None
    ) -> set[tuple[str, int, int]]:
        if reviewer is None:
            return set()
        with self.database.reading() as session:
            who = reviewer_named(session, reviewer)
            if who is None:
                return set()
            return passages_repo.dismissed(session, record_key(record_id), position, who.id)

    def _static_ranking(self, claim: str, shas: set[str]) -> list[int]:
        try:
            query = load_static().encode([claim])[0]
        except ModelUnavailable:
            return []
        ids_parts, score_parts = [], []
        for sha in sorted(shas):
            ids, matrix = self._static_matrix(sha)
            if len(ids):
                ids_parts.append(ids)
                score_parts.append(matrix @ query)
        if not ids_parts:
            return []
        ids = np.concatenate(ids_parts)
        scores = np.concatenate(score_parts)
        best = np.argsort(-scores, kind="stable")[:CANDIDATES]
        return [int(ids[i]) for i in best]

    def _static_matrix(self, sha256: str) -> tuple[np.ndarray, np.ndarray]:
        with self.database.reading() as session:
            found = passages_repo.layer(session, sha256)
            count = found.passage_count if found is not None else 0
        return self._static_cache.get(
            (sha256, count), lambda: self._read_vectors(passages_repo.static_vectors, sha256)
        )

    def _dense_ranking(
        self, claim: str, shas: set[str], pool: list[int]
    ) -> dict[int, float] | None:
        """The sentence model's cosines: for the first stages' ``pool``, and for the
        ``DENSE_CANDIDATES`` closest passages of every file whose vectors are all stored.
        None when the model is not available."""
        try:
            model = load_minilm()
        except ModelUnavailable as exc:
            log.info("ranking without the sentence model: %s", exc)
            return None
        query = model.encode([claim])[0]
        scores = self._pool_scores(model, query, pool)
        ids_parts, score_parts = [], []
        for sha in sorted(shas):
            ids, matrix = self._dense_matrix(sha)
            if len(ids):
                ids_parts.append(ids)
                score_parts.append(matrix @ query)
        if ids_parts:
            ids = np.concatenate(ids_parts)
            cosines = np.concatenate(score_parts)
            for i in np.argsort(-cosines, kind="stable")[:DENSE_CANDIDATES]:
                scores[int(ids[i])] = float(cosines[i])
        return scores

    def _pool_scores(self, model: MiniLM, query: np.ndarray, pool: list[int]) -> dict[int, float]:
        if not pool:
            return {}
        with self.database.reading() as session:
            stored = passages_repo.dense_vectors(session, pool)
            # passages without a stored vector are encoded now, the best-placed first and
            # only a few: the rest of the pool is ranked by the other two signals
            missing = [pid for pid in pool if pid not in stored][:DENSE_ON_DEMAND]
            texts = passages_repo.passages_by_id(session, missing) if missing else {}
        vectors = {
            pid: np.frombuffer(v, dtype=np.float16).astype(np.float32) for pid, v in stored.items()
        }
        if missing:
            computed = model.encode([texts[pid].text for pid in missing])
            vectors.update(zip(missing, computed, strict=True))
            with self.database.transaction() as session:
                passages_repo.set_dense(
                    session,
                    [
                        (pid, computed[i].astype(np.float16).tobytes())
                        for i, pid in enumerate(missing)
                    ],
                )
        return {pid: float(vectors[pid] @ query) for pid in pool if pid in vectors}

    def _dense_matrix(self, sha256: str) -> tuple[np.ndarray, np.ndarray]:
        """The file's sentence vectors once the background pass has stored all of them (an
        empty matrix before: its passages are scored in the pool only)."""
        with self.database.reading() as session:
            found = passages_repo.layer(session, sha256)
        if found is None or found.vector_model is None:
            return _vector_matrix([])
        return self._dense_cache.get(
            (sha256, found.passage_count),
            lambda: self._read_vectors(passages_repo.file_dense_vectors, sha256),
        )

    def _read_vectors(
        self, read: Callable[[UnitOfWork, str], list[tuple[int, bytes]]], sha256: str
    ) -> tuple[np.ndarray, np.ndarray]:
        with self.database.reading() as session:
            return _vector_matrix(read(session, sha256))


class _MatrixCache:
    """The vector matrices of the 8 files used last, shared by the threads of one service."""

    def __init__(self) -> None:
        self._matrices: OrderedDict[tuple[str, int], tuple[np.ndarray, np.ndarray]] = (
            OrderedDict()
        )
        self._lock = threading.Lock()

    def get(
        self, key: tuple[str, int], load: Callable[[], tuple[np.ndarray, np.ndarray]]
    ) -> tuple[np.ndarray, np.ndarray]:
        with self._lock:
            if key in self._matrices:
                self._matrices.move_to_end(key)
                return self._matrices[key]
        loaded = load()
        with self._lock:
            self._matrices[key] = loaded
            while len(self._matrices) > 8:
                self._matrices.popitem(last=False)
        return loaded


_DOT_LEADER = re.compile(r"(?:\.\s*){5,}")


def is_contents_line(text: str) -> bool:
    """A passage that is a table of contents or index entry: a run of dot leaders."""
    return _DOT_LEADER.search(text) is not None


def _vector_matrix(stored: list[tuple[int, bytes]]) -> tuple[np.ndarray, np.ndarray]:
    """Passage ids and their float16 vectors as one float32 matrix, a row per passage."""
    ids = np.array([pid for pid, _ in stored], dtype=np.int64)
    if not stored:
        return ids, np.zeros((0, 384), dtype=np.float32)
    vectors = np.frombuffer(b"".join(v for _, v in stored), dtype=np.float16)
    return ids, vectors.reshape(len(stored), -1).astype(np.float32)


Progress = Callable[[str, int, int], None]
