"""Property tests: random mutations of valid inputs never raise anything but the app's errors.

For the importers: a mutant either imports (and then its JSON follows the schema and round
trips through the record codec, and storing it writes the whole record) or is refused with
ImportRefused and nothing is stored. For the record JSON codec: a mutated record JSON either
reads back or is refused with InvalidRecordJson. Hypothesis's deadline bounds the time per
input (a hang guard; the per-KB figure is printed by benchmarks/import_variations.py).
"""

from __future__ import annotations

import copy
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from reviewer_app.domain.record_json import (
    InvalidRecordJson,
    record_from_json,
    record_schema_problem,
)
from reviewer_app.errors import ImportRefused
from reviewer_app.importers import parse_synthesis
from reviewer_app.services.workspace import Workspace
from reviewer_app.storage.models import BenchmarkRow, ClaimRow, ReferenceRow, RevisionRow
from tests.import_fuzz import EDIT_KINDS, MEANINGFUL, SAMPLES, Edit, apply

REGRESSIONS = Path(__file__).parent / "import_fuzz_regressions"

edits = st.builds(
    Edit,
    kind=st.sampled_from(EDIT_KINDS),
    at=st.floats(0, 1),
    size=st.floats(0, 1),
    text=st.one_of(
        st.sampled_from(MEANINGFUL),
        st.text(max_size=40),
        st.builds(lambda s, n: s * n, st.sampled_from(MEANINGFUL), st.sampled_from((3, 1000))),
    ),
)
mutants = st.builds(
    lambda name, changes: (name, apply(SAMPLES[name], changes)),
    st.sampled_from(sorted(SAMPLES)),
    st.lists(edits, min_size=1, max_size=4),
)

FUZZ = settings(
    max_examples=300,
    deadline=2000,  # ms per input: a hang guard, linear parsing takes a few ms
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,
    database=None,  # derandomized: the same examples each run, nothing written to the checkout
)


def parse_or_refuse(data: bytes) -> Any:
    try:
        return parse_synthesis(data, source=Path("mutant.txt"))
    except ImportRefused as refusal:
        assert refusal.reason and str(refusal).startswith("mutant.txt: ")
        return None


@FUZZ
@given(mutants)
def test_mutated_exports_import_or_are_refused(mutant: tuple[str, bytes]) -> None:
    _, data = mutant
    record = parse_or_refuse(data)
    if record is not None:
        assert record.title.strip()
        data_json = record.to_json()
        assert record_schema_problem(data_json) is None
        assert record_from_json(json.loads(json.dumps(data_json))).to_json() == data_json


@FUZZ
@given(st.sampled_from(sorted(SAMPLES)), st.text(max_size=200), st.floats(0, 1))
def test_arbitrary_text_inserted_anywhere(name: str, text: str, at: float) -> None:
    data = SAMPLES[name]
    cut = int(at * len(data))
    parse_or_refuse(data[:cut] + text.encode("utf-8", errors="replace") + data[cut:])


@FUZZ
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(data: bytes) -> None:
    parse_or_refuse(data)


def _row_counts(workspace: Workspace) -> tuple[int, ...]:
    with workspace.database.reading() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(table)) or 0
            for table in (RevisionRow, ClaimRow, ReferenceRow, BenchmarkRow)
        )


@settings(FUZZ, max_examples=60)
@given(mutant=mutants)
def test_a_mutant_is_stored_whole_or_not_at_all(tmp_path: Path, mutant: tuple[str, bytes]) -> None:
    """Never partial rows: a refusal stores nothing, an import stores every row it read."""
    name, data = mutant
    path = tmp_path / f"{name}.txt"
    path.write_bytes(data)
    # A fresh workspace per input: what is checked is this one import, not a history of them.
    with Workspace.open(tmp_path / f"{uuid.uuid4().hex}.sqlite3") as workspace:
        before = _row_counts(workspace)
        try:
            outcome = workspace.import_file(path)
        except ImportRefused:
            assert _row_counts(workspace) == before
            return
        stored = workspace.get_record(outcome.local_id).record
        record = parse_synthesis(data, source=path)
        assert stored.to_json(outcome.local_id) == record.to_json(outcome.local_id)
        assert _row_counts(workspace) == (
            1,
            len(record.claims),
            len(record.references),
            len(record.benchmarks),
        )


# --- The record JSON codec ---------------------------------------------------------------

VALID_JSON = [
    parse_synthesis(data, source=Path(name)).to_json() for name, data in sorted(SAMPLES.items())
]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=8,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


@FUZZ
@given(
    st.sampled_from(range(len(VALID_JSON))),
    st.lists(st.tuples(st.floats(0, 1), json_values, st.booleans()), min_size=1, max_size=3),
)
def test_mutated_record_json_reads_back_or_is_refused(
    which: int, changes: list[tuple[float, Any, bool]]
) -> None:
    data = copy.deepcopy(VALID_JSON[which])
    for at, value, delete in changes:
        paths = [path for path in _paths(data) if path]
        if not paths:
            break
        *parents, last = paths[int(at * (len(paths) - 1))]
        parent = data
        for key in parents:
            parent = parent[key]
        if delete and isinstance(parent, dict):
            del parent[last]
        else:
            parent[last] = value
    try:
        record = record_from_json(data)
    except InvalidRecordJson as refusal:
        assert str(refusal).startswith("record JSON: ")
    else:
        assert record.to_json(data["id"])["id"] == data["id"]


# --- Inputs that once failed ----------------------------------------------------------------


@pytest.mark.timeout(30)
@pytest.mark.parametrize("path", sorted(REGRESSIONS.glob("*.txt")), ids=lambda path: path.stem)
def test_inputs_that_once_failed(path: Path) -> None:
    """Each file here once hung or raised; it must now import or be refused, quickly."""
    record = parse_or_refuse(path.read_bytes())
    if record is not None:
        assert record_schema_problem(record.to_json()) is None
