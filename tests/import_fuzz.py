"""Mutations of valid exports for fuzzing the importers (Hypothesis tests and the benchmark).

A mutation is a list of edits applied to a sample's bytes. The edits are the ones real files
suffer (a cut, a lost or doubled line, a pasted fragment, a changed character or encoding) plus
the characters that mean something to a parser (tab, pipe, bullet, @, digits, separators).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

RECORDS = Path(__file__).parents[1] / "resources/demo/records"
SAMPLES: dict[str, bytes] = {path.stem: path.read_bytes() for path in sorted(RECORDS.glob("*.txt"))}

MEANINGFUL = (
    "\t",
    "|",
    " | ",
    "\u2022",
    "\u00b7",
    "@",
    "@10",
    "0",
    "9" * 12,
    "%",
    ",",
    ":",
    "--",
    "\n",
    "\r",
    "\r\n",
    "\u2028",
    "\u0085",
    "\ufeff",
    "\u00a0",
    "×",
    "✓",
    "<",
    ">",
    "- <http://arxiv.org/abs/2401.00001v1>",
    "## ",
    "References",
    "Abstract",
    "Provenance",
    "About",
    "Related benchmarks",
    "Showing 8 of 8 rows",
    "| --- | --- |",
    "Submitted: 2026-05-27",
    "10 claims extracted",
    "SRCH:8F12A054",
    "Recall@10071.2",
)


@dataclass(frozen=True)
class Edit:
    kind: str
    """``cut``, ``delete``, ``insert``, ``duplicate_line``, ``drop_line``, ``swap_lines``,
    ``replace_byte`` or ``encode_cp1252``."""
    at: float
    """Where, as a fraction of the length (so that an edit applies to any input)."""
    size: float = 0.0
    text: str = ""


EDIT_KINDS = (
    "cut",
    "delete",
    "insert",
    "duplicate_line",
    "drop_line",
    "swap_lines",
    "replace_byte",
    "encode_cp1252",
)


def apply(data: bytes, edits: list[Edit]) -> bytes:
    for edit in edits:
        data = _apply_one(data, edit)
    return data


def _apply_one(data: bytes, edit: Edit) -> bytes:
    at = int(edit.at * len(data))
    if edit.kind == "cut":
        return data[:at]
    if edit.kind == "delete":
        return data[:at] + data[at + 1 + int(edit.size * 200) :]
    if edit.kind == "insert":
        return data[:at] + edit.text.encode("utf-8") + data[at:]
    if edit.kind == "replace_byte":
        return data[:at] + bytes([int(edit.size * 255)]) + data[at + 1 :]
    if edit.kind == "encode_cp1252":
        try:
            return data.decode("utf-8").encode("cp1252", errors="replace")
        except UnicodeDecodeError:
            return data
    lines = data.split(b"\n")
    line = min(int(edit.at * len(lines)), len(lines) - 1)
    other = min(int(edit.size * len(lines)), len(lines) - 1)
    if edit.kind == "duplicate_line":
        lines.insert(line, lines[line])
    elif edit.kind == "drop_line":
        del lines[line]
    elif edit.kind == "swap_lines":
        lines[line], lines[other] = lines[other], lines[line]
    return b"\n".join(lines)


def random_edits(rng: random.Random) -> list[Edit]:
    """One to four random edits, for the benchmark's fuzz run."""
    return [
        Edit(
            kind=rng.choice(EDIT_KINDS),
            at=rng.random(),
            size=rng.random(),
            text=rng.choice(MEANINGFUL) * rng.choice((1, 1, 1, 3, 1000)),
        )
        for _ in range(rng.randint(1, 4))
    ]
