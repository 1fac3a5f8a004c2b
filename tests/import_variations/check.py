"""Import one variation case and compare what was read with its expected fields."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reviewer_app.errors import ImportRefused
from reviewer_app.importers import parse_synthesis

CASES = Path(__file__).resolve().parent / "cases"


@dataclass(frozen=True)
class CaseResult:
    name: str
    size: int
    seconds: float
    refused: str | None
    """The refusal's reason, or None when the file was imported."""
    wrong: tuple[str, ...]
    """Required fields read differently from the expected ones (and a missing unrecognised)."""

    @property
    def right(self) -> bool:
        return self.refused is None and not self.wrong


def case_files() -> list[Path]:
    return sorted(CASES.glob("*.txt"))


def check_case(path: Path) -> CaseResult:
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    data = path.read_bytes()
    started = time.perf_counter()
    try:
        record = parse_synthesis(data, source=path)
    except ImportRefused as refusal:
        return CaseResult(path.stem, len(data), time.perf_counter() - started, refusal.reason, ())
    seconds = time.perf_counter() - started
    read = record.to_json()
    wrong = [
        f"{name}: expected {value!r}, read {read.get(name)!r}"
        for name, value in expected["fields"].items()
        if _plain(read.get(name)) != _plain(value)
    ]
    unrecognised = read.get("unrecognised", [])
    if len(unrecognised) < expected["min_unrecognised"]:
        wrong.append(
            f"unrecognised: expected at least {expected['min_unrecognised']} entries, "
            f"read {len(unrecognised)}"
        )
    return CaseResult(path.stem, len(data), seconds, None, tuple(wrong))


def _plain(value: Any) -> Any:
    """JSON round trip, so that tuples and lists compare equal."""
    return json.loads(json.dumps(value))
