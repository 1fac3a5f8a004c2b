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

from reviewer_app.domain.records import Benchmark
from reviewer_app.importers.chrome import ROWS_SHOWN
from reviewer_app.importers.values import MalformedExport

BENCHMARK_TABLE_HEADER = re.compile(r"Task\s*Dataset\s*(?:Metric\s*)?Result\s*Rank")
NO_RESULT = "--"

# Metric names that end in digits: without this list "F190.1" would read as metric "F" and
# result 190.1. Matched as the end of the metric name, longest first ("mAP50" ends in "AP50").
KNOWN_DIGIT_METRICS: tuple[str, ...] = tuple(
    sorted(
        (
            "F1",
            "Top-1",
            "Top-5",
            "R@1",
            "R@5",
            "R@10",
            "Recall@1",
            "Recall@5",
            "Recall@10",
            "Hits@1",
            "Hits@10",
            "Pass@1",
            "pass@1",
            "NDCG@10",
            "MRR@10",
            "BLEU-1",
            "BLEU-2",
            "BLEU-3",
            "BLEU-4",
            "ROUGE-1",
            "ROUGE-2",
            "AP50",
            "AP75",
        ),
        key=len,
        reverse=True,
    )
)
_RESULT = r"\s*(?P<result>[-+]?\d+(?:\.\d+)?)%?"
_METRIC_AND_RESULT = re.compile(r"(?P<metric>.*?[^\d.+\-\s])" + _RESULT)
_DIGIT_METRIC_AND_RESULT = tuple(
    re.compile(rf"(?P<metric>.*{re.escape(name)})" + _RESULT) for name in KNOWN_DIGIT_METRICS
)


def parse_benchmark_table(lines: list[str]) -> tuple[Benchmark, ...]:
    """The rows of the table in ``lines`` (which start at its header row)."""
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
    if footer + 1 < len(content):
        raise MalformedExport(
            f"paper page has an unrecognised line after the benchmark table: "
            f"{content[footer + 1][:60]!r}"
        )
    rows = _read_rows(content[1:footer])
    shown = ROWS_SHOWN.fullmatch(content[footer])
    assert shown is not None  # found by the same pattern above
    if len(rows) != int(shown.group("shown")):
        raise MalformedExport(
            f"benchmark table says it shows {shown.group('shown')} rows but {len(rows)} were read"
        )
    return tuple(rows)


def _read_rows(lines: list[str]) -> list[Benchmark]:
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
        rank = _parse_rank(_next_line(remaining, dataset, "rank"), dataset)
        rows.append(Benchmark(task=task, dataset=dataset, metric=metric, result=result, rank=rank))
    return rows


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

    None when ``line`` is not a metric name followed by a number.
    """
    if line.endswith(NO_RESULT) and line.removesuffix(NO_RESULT).strip():
        return line.removesuffix(NO_RESULT).strip(), None
    for pattern in (*_DIGIT_METRIC_AND_RESULT, _METRIC_AND_RESULT):
        match = pattern.fullmatch(line)
        if match:
            return match.group("metric").strip(), float(match.group("result"))
    return None


def _parse_rank(line: str, dataset: str) -> int | None:
    if line == NO_RESULT:
        return None
    if not line.isascii() or not line.isdigit():
        raise MalformedExport(f"benchmark row for {dataset!r} has rank {line[:40]!r}, not a number")
    return int(line)
