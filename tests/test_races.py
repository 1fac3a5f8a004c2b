"""Four processes writing at once (issue 16): no traceback, no duplicate, no lost write."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.race_support import SCENARIOS


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_racing_writers_neither_crash_nor_duplicate_nor_lose(
    scenario: str, db_url: str, tmp_path: Path
) -> None:
    counts = SCENARIOS[scenario](db_url, tmp_path / "racers-data")
    assert (counts.tracebacks, counts.failures) == (0, 0), counts.details
    assert counts.duplicates == 0
    assert counts.lost_writes == 0
