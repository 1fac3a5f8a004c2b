"""Plausible real-world variations of the samples import with every required field right."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.import_variations.check import case_files, check_case
from tests.import_variations.variations import SAMPLES

CASES = case_files()


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 60
    for path in CASES:
        assert path.with_suffix(".expected.json").is_file(), path.name


@pytest.mark.parametrize("path", CASES, ids=lambda path: path.stem)
def test_variation_imports_with_every_required_field_right(path: Path) -> None:
    result = check_case(path)

    assert result.refused is None, f"refused: {result.refused}"
    assert not result.wrong, "\n".join(result.wrong)


def test_variations_cover_every_sample_and_hand_written_files() -> None:
    samples = {json.loads(p.with_suffix(".expected.json").read_text())["sample"] for p in CASES}
    assert samples == {path.name for path in SAMPLES.glob("*.txt")} | {"hand-written"}
