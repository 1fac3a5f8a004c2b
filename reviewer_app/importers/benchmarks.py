"""The "Related benchmarks" table of a paper page, whose cells arrive glued together.

Each row is two or three lines::

    Visual Question AnsweringTextVQA      task + dataset
    Accuracy68                            metric + result (absent when the dataset ends in --)
    1117                                  rank

and the table ends with ``Showing 8 of 8 rows``, which says how many rows there must be.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from reviewer_app.domain.records import Benchmark, Unrecognised
from reviewer_app.importers.chrome import ROWS_SHOWN
from reviewer_app.importers.paper_vocabulary import (
    BENCHMARK_TABLE_HEADER,
    KNOWN_DIGIT_METRICS,
    NO_RESULT,
    PLAUSIBLE_K,
    PREFERRED_K,
    RESULT_RANGE,
)
from reviewer_app.importers.values import MalformedExport

__all__ = ["BENCHMARK_TABLE_HEADER", "parse_benchmark_table", "split_metric_and_result"]

_RESULT = r"\s{0,8}(?P<result>[-+]?\d{1,12}(?:\.\d{1,12})?)%?"
_METRIC_AND_RESULT = re.compile(r"(?P<metric>.{0,300}?[^\d.+\-\s])" + _RESULT)
_DIGIT_METRIC_AND_RESULT = tuple(
    re.compile(rf"(?P<metric>.{{0,300}}{re.escape(name)})" + _RESULT)
    for name in KNOWN_DIGIT_METRICS
)
MAX_CELL = 400
"""A metric-and-result line longer than this is not one (checked before any pattern runs)."""

_AT_K_TAIL = re.compile(r"(?P<digits>\d{2,12})(?:\.(?P<decimals>\d{1,12}))?(?P<percent>%?)")


SECTION = "Related benchmarks"


def parse_benchmark_table(lines: list[str], kept: list[Unrecognised]) -> tuple[Benchmark, ...]:
    """The rows of the table in ``lines`` (which start at its header row).

    Lines after the ``Showing N of M rows`` footer (a link, a reworded footer) are kept in
    ``kept``, and so are cells whose reading is ambiguous.
    """
    content = [line.strip() for line in lines if line.strip()]
    if not content or not BENCHMARK_TABLE_HEADER.fullmatch(content[0]):
        raise MalformedExport(
            "paper page is incomplete: the Related benchmarks section has no "
            "'TaskDatasetResultRank' table"
        )
    footer = next((i for i, line in enumerate(content) if ROWS_SHOWN.fullmatch(line)), None)
    if footer is None:
        raise MalformedExport(
            "paper page is incomplete: the benchmark table has no 'Showing N of M rows' line"
        )
    kept += [Unrecognised("after the benchmark table", line) for line in content[footer + 1 :]]
    rows = _read_rows(content[1:footer], kept)
    shown = ROWS_SHOWN.fullmatch(content[footer])
    assert shown is not None  # found by the same pattern above
    if len(rows) != int(shown.group("shown")):
        raise MalformedExport(
            f"benchmark table says it shows {shown.group('shown')} rows but {len(rows)} were read"
        )
    return tuple(rows)


def _read_rows(lines: list[str], kept: list[Unrecognised]) -> list[Benchmark]:
    rows: list[Benchmark] = []
    remaining = iter(lines)
    for first in remaining:
        has_result = not first.endswith(NO_RESULT)
        task, dataset = split_task_and_dataset(first.removesuffix(NO_RESULT).strip())
        metric, result = None, None
        if has_result:
            line = _next_line(remaining, dataset, "metric")
            metric_and_result = split_metric_and_result(line)
            if metric_and_result is None:
                raise MalformedExport(
                    f"benchmark row for {dataset!r} has {line[:60]!r} where a metric and "
                    "a result such as 'Accuracy68' should be"
                )
            metric, result = metric_and_result
            _keep_if_ambiguous(line, metric, result, kept)
        rank = _parse_rank(_next_line(remaining, dataset, "rank"), dataset)
        rows.append(Benchmark(task=task, dataset=dataset, metric=metric, result=result, rank=rank))
    return rows


def _keep_if_ambiguous(
    line: str, metric: str, result: float | None, kept: list[Unrecognised]
) -> None:
    """A metric ``@k`` cell with several plausible readings, or none, is kept and marked."""
    if "@" not in line:
        return
    readings = at_k_readings(line)
    others = [f"{m} {r:g}" for m, r in readings if (m, r) != (metric, result)]
    if len(readings) > 1:
        note = f"ambiguous: read as {metric} {result:g}; could also be {', '.join(others)}"
    elif not readings and metric.endswith("@"):
        note = f"ambiguous: the k of {metric} cannot be told from the result {result:g}"
    else:
        return
    kept.append(Unrecognised(SECTION, line, note))


def _next_line(remaining: Iterator[str], dataset: str, what: str) -> str:
    line = next(remaining, None)
    if line is None:
        raise MalformedExport(f"benchmark row for {dataset!r} is cut off before its {what} line")
    return line


def split_task_and_dataset(line: str) -> tuple[str, str]:
    """``Visual Question AnsweringTextVQA`` -> (``Visual Question Answering``, ``TextVQA``).

    The page glues the task's last word to the dataset's first. Task names are plain words
    ("Visual Question Answering"), so the glue is the first place, reading left to right, where
    a lowercase letter is followed by an uppercase letter or a digit *inside one word*. Reading
    from the left rather than taking the last word keeps datasets with spaces whole
    ("Image ClassificationImageNet ReaL"); a task word with inner capitals ("LiDAR") would
    mislead it, and none appear on the pages we import.
    """
    offset = 0
    for word in line.split(" "):
        for index in range(1, len(word)):
            if word[index - 1].islower() and (word[index].isupper() or word[index].isdigit()):
                cut = offset + index
                return line[:cut].strip(), line[cut:].strip()
        offset += len(word) + 1
    raise MalformedExport(f"cannot tell the task from the dataset in benchmark row {line[:80]!r}")


def split_metric_and_result(line: str) -> tuple[str, float | None] | None:
    """``MM-Vet Score48.8`` -> (``MM-Vet Score``, 48.8); ``F190.1`` -> (``F1``, 90.1).

    None when ``line`` is not a metric name followed by a number. A metric ``@k`` glued to
    its result is split where both parts are plausible (see :func:`at_k_readings`).
    """
    if len(line) > MAX_CELL:
        return None
    if line.endswith(NO_RESULT) and line.removesuffix(NO_RESULT).strip():
        return line.removesuffix(NO_RESULT).strip(), None
    readings = at_k_readings(line)
    if readings:
        return readings[0]
    for pattern in (*_DIGIT_METRIC_AND_RESULT, _METRIC_AND_RESULT):
        match = pattern.fullmatch(line)
        if match:
            return match.group("metric").strip(), float(match.group("result"))
    return None


def at_k_readings(line: str) -> list[tuple[str, float]]:
    """The plausible (metric, result) readings of ``Recall@2085.3``, most plausible first.

    A reading keeps a k (``Recall@20``, k without a leading zero and in :data:`PLAUSIBLE_K`)
    and a result in the metric's range written as numbers are (``85.3``, not ``085.3``). More
    than one reading means the cell is truly ambiguous: the caller keeps it for the reviewer.
    """
    name, at, tail = line.rpartition("@")
    match = _AT_K_TAIL.fullmatch(tail.strip()) if at and name.strip() else None
    if match is None:
        return []
    digits, decimals = match.group("digits"), match.group("decimals")
    readings = []
    for cut in range(1, min(len(digits), 5)):
        k, whole = digits[:cut], digits[cut:]
        if k.startswith("0") or (whole.startswith("0") and len(whole) > 1):
            continue
        result = float(f"{whole}.{decimals}" if decimals else whole)
        if int(k) in PLAUSIBLE_K and RESULT_RANGE[0] <= result <= RESULT_RANGE[1]:
            readings.append((f"{name.strip()}@{k}", result))

    def preference(reading: tuple[str, float]) -> int:
        k = int(reading[0].rpartition("@")[2])
        return PREFERRED_K.index(k) if k in PREFERRED_K else len(PREFERRED_K)

    return sorted(readings, key=preference)


def _parse_rank(line: str, dataset: str) -> int | None:
    if line == NO_RESULT:
        return None
    if not line.isascii() or not line.isdigit():
        raise MalformedExport(f"benchmark row for {dataset!r} has rank {line[:40]!r}, not a number")
    return int(line)
