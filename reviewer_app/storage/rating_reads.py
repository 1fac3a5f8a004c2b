"""Every submitted sheet's ratings and current verdicts of a workspace, read as columns.

``agreement`` and a tier recompute read the whole workspace's sheets and verdicts. Both reads
select only ids, codes and numbers and keep the newest row of each (record, reviewer[, claim])
here, in one pass over rows in id order: the same answer as a ``max(id) ... GROUP BY`` subquery
at half its cost on SQLite. The SQL is plain text run through the DBAPI cursor, so the same
statements serve a session's connection (``scoring_repository.workspace_ratings``, on any
database) and the standard ``sqlite3`` module (``read_sqlite_ratings``: a local workspace read
without importing SQLAlchemy, whose import is more than half of ``agreement --json``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

import numpy as np

from reviewer_app.domain.agreement import MISSING
from reviewer_app.domain.records import QUALITY_DIMENSIONS, Level
from reviewer_app.domain.review_sheets import LEVEL_CODE, VERDICT_CODE, RatingsTable
from reviewer_app.storage.sqlite_file import read_current_sqlite


def _coded(column: str, codes: Mapping[str | None, int]) -> str:
    """SQL giving ``column``'s code: the database does the look-up, in C, while it reads."""
    cases = " ".join(f"WHEN '{name}' THEN {code}" for name, code in codes.items() if name)
    return f"CASE {column} {cases} ELSE {codes[None]} END"


REVIEWERS_SQL = "SELECT id, name FROM reviewers"
RECORDS_SQL = "SELECT DISTINCT record_id FROM record_revisions"
"""Every record of the workspace that has a revision."""
SHEETS_SQL = f"""
SELECT record_id, reviewer_id, submitted,
       {", ".join(_coded(name, {lv.value: LEVEL_CODE[lv] for lv in Level} | {None: MISSING})
                  for name in QUALITY_DIMENSIONS)},
       review_score
FROM score_sheets ORDER BY id
"""  # fmt: skip
"""Every version of every sheet, oldest first (the last one of a (record, reviewer) is its
newest), with each dimension's level as its code."""
VERDICTS_SQL = f"""
SELECT record_id, reviewer_id, claim_position, {_coded("verdict", VERDICT_CODE)}
FROM claim_verdicts ORDER BY id
"""
"""Every verdict snapshot, oldest first (the last one of a (record, reviewer, claim) is the
current verdict; a cleared one is MISSING), the verdict as its code."""


class Cursor(Protocol):
    """What is used of a DBAPI cursor (``sqlite3``'s, psycopg's)."""

    def execute(self, sql: str, /) -> Any: ...
    def fetchall(self) -> Sequence[Sequence[Any]]: ...


def read_ratings(cursor: Cursor, *, every_record: bool) -> RatingsTable:
    """The submitted sheets and their reviewers' current verdicts, as a table. Its records are
    those with a submitted sheet, in id order, or with ``every_record`` all the workspace's
    records (a tier recompute gives each one a tier)."""

    def rows(sql: str) -> Sequence[Sequence[Any]]:
        cursor.execute(sql)
        return cursor.fetchall()

    names = {int(row[0]): str(row[1]) for row in rows(REVIEWERS_SQL)}
    records = [row[0] for row in rows(RECORDS_SQL)] if every_record else None
    return ratings_table(names, rows(SHEETS_SQL), rows(VERDICTS_SQL), records)


def ratings_table(
    reviewer_names: Mapping[int, str],
    sheet_rows: Iterable[Sequence[Any]],
    verdict_rows: Sequence[Sequence[Any]],
    every_record: Sequence[str] | None = None,
) -> RatingsTable:
    """The table of the rows ``SHEETS_SQL`` and ``VERDICTS_SQL`` select (in that order)."""
    newest = {(row[0], row[1]): row for row in sheet_rows}
    submitted = sorted(key for key, row in newest.items() if row[2])
    record_ids = sorted(every_record) if every_record is not None else _distinct(submitted)
    record_index = {record_id: index for index, record_id in enumerate(record_ids)}
    # A sheet is known by one number, record index x stride + reviewer id; ``submitted`` is
    # sorted by record then reviewer, so these numbers are sorted too.
    stride = max(reviewer_names, default=0) + 1
    sheet_key = np.array([record_index[key[0]] * stride + key[1] for key in submitted],
                         dtype=np.int64)  # fmt: skip
    sheets = [newest[key] for key in submitted]
    verdict_sheet, positions, codes = _current_verdicts(
        sheet_key, record_index, stride, verdict_rows
    )
    return RatingsTable(
        records=tuple(record_ids),
        sheet_record=sheet_key // stride,
        sheet_reviewer=tuple(reviewer_names[key[1]] for key in submitted),
        sheet_levels=np.array([row[3:-1] for row in sheets], dtype=np.int64).reshape(
            -1, len(QUALITY_DIMENSIONS)
        ),
        # None (no score) becomes NaN
        sheet_scores=np.array([row[-1] for row in sheets], dtype=float),
        verdict_sheet=verdict_sheet,
        verdict_position=positions,
        verdict_code=codes,
    )


def _current_verdicts(
    sheet_key: np.ndarray,
    record_index: Mapping[str, int],
    stride: int,
    verdict_rows: Sequence[Sequence[Any]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The sheet index, claim position and verdict code of each current verdict of a
    submitted sheet that rates its claim (a cleared verdict does not), from every snapshot in
    id order. Done on whole columns: over 100,000 verdicts a loop of look-ups was most of the
    read."""
    if not verdict_rows:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    key = np.array([record_index.get(row[0], -1) * stride + row[1] for row in verdict_rows],
                   dtype=np.int64)  # fmt: skip
    position = np.array([row[2] for row in verdict_rows], dtype=np.int64)
    code = np.array([row[3] for row in verdict_rows], dtype=np.int64)
    # the last snapshot of each (sheet, claim): the first of each in the reversed columns
    claim = key * (int(position.max()) + 1) + position
    _, first = np.unique(claim[::-1], return_index=True)
    last = len(verdict_rows) - 1 - first
    sheet = np.minimum(np.searchsorted(sheet_key, key[last]), max(len(sheet_key) - 1, 0))
    of_sheet = (key[last] >= 0) & (sheet_key[sheet] == key[last]) if len(sheet_key) else False
    keep = of_sheet & (code[last] != MISSING)
    return sheet[keep].astype(np.int64), position[last][keep], code[last][keep]


def _distinct(keys: Sequence[tuple[str, int]]) -> list[str]:
    """The record ids of sorted (record, reviewer) keys, each once."""
    return list(dict.fromkeys(key[0] for key in keys))


def read_sqlite_ratings(db: str, *, every_record: bool) -> RatingsTable | None:
    """``read_ratings`` of the SQLite workspace file ``db`` names, or None when this cannot
    answer (a URL, no file yet, an older schema, SQLite refusing: see ``read_current_sqlite``)."""
    return read_current_sqlite(db, lambda cursor: read_ratings(cursor, every_record=every_record))
