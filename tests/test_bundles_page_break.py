"""Bundles carry every page of a span over a page break, and of its re-anchorings: through
export and import (on SQLite and PostgreSQL) and a byte-identical re-export; bundles written
before continuation pages existed still import; malformed continuation pages are refused."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from reviewer_app.services.bundles import BundleService
from reviewer_app.services.review import ReviewService
from reviewer_app.services.workspace import Workspace
from reviewer_app.storage.database import Database
from reviewer_app.storage.review_models import EvidenceSpanRow, SpanAnchorRow
from tests.page_break_support import CROSSING_QUOTE, ONE_PAGE_QUOTE, make_page_break_paper
from tests.review_support import SAMPLE_REPORT
from tests.test_bundles_export_import import members
from tests.test_bundles_hostile_import import json_edit, refused, repacked

CREATED = datetime(2026, 4, 2, 10, 0, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Exported:
    bundle: Path
    record_id: str
    crossing_id: str
    single_id: str
    new_sha: str
    rows: dict[str, tuple[object, object]]
    """Span id -> (its stored continuation, its anchoring's continuation in the new file)."""
    annotations: list[dict]


def _continuations(database: Database) -> dict[str, tuple[object, object]]:
    with database.reading() as session:
        anchors = {a.span_id: a.continuation for a in session.scalars(select(SpanAnchorRow))}
        return {
            row.id: (row.continuation, anchors.get(row.id))
            for row in session.scalars(select(EvidenceSpanRow))
        }


def _annotation_member(record_id: str) -> str:
    return f"annotations/{record_id}.jsonld"


@pytest.fixture
def exported(tmp_path: Path, samples: Path, no_keyring: None) -> Iterator[Exported]:
    """A workspace's bundle: a span over a page break, a one-page span, and both re-anchored
    in a second version of the paper (another page size, font and line count)."""
    with Workspace.open(tmp_path / "source.sqlite3") as workspace:
        record_id = workspace.import_file(samples / SAMPLE_REPORT).local_id
        service = ReviewService.for_workspace(workspace)
        v2 = make_page_break_paper(tmp_path / "2407.17856v2.pdf")
        service.attach_pdf(record_id, v2, reviewer="ana")
        crossing = service.annotate_quote(
            record_id, 3, pdf=v2, quote=CROSSING_QUOTE, stance="supports", reviewer="ana"
        )
        single = service.annotate_quote(
            record_id, 4, pdf=v2, quote=ONE_PAGE_QUOTE, stance="context", reviewer="ana"
        )
        v4 = make_page_break_paper(
            tmp_path / "2407.17856v4.pdf", page_size="letter", fontname="tiro", extra_lines=2
        )
        new_sha = service.attach_pdf(record_id, v4, reviewer="ana").source.sha256
        bundle = tmp_path / "first.zip"
        BundleService(workspace.database).export(
            [record_id], bundle, reviewer="ana", created=CREATED, allow_unsigned=True
        )
        yield Exported(
            bundle,
            record_id,
            crossing.id,
            single.id,
            new_sha,
            _continuations(workspace.database),
            service.annotations(record_id),
        )


def _by_id(collection: dict) -> dict[str, dict]:
    return {item["id"].removeprefix("urn:uuid:"): item for item in collection["first"]["items"]}


def _quad_selector(annotation: dict) -> dict:
    (found,) = [s for s in annotation["target"]["selector"] if s["type"] == "PdfQuadSelector"]
    return found


def test_the_bundle_holds_every_page_of_the_span_and_of_its_reanchoring(
    exported: Exported,
) -> None:
    crossing_rows, single_rows = (
        exported.rows[exported.crossing_id],
        exported.rows[exported.single_id],
    )
    assert crossing_rows[0] and crossing_rows[1]  # stored on both pages in both files
    assert single_rows == (None, None)
    collection = json.loads(members(exported.bundle)[_annotation_member(exported.record_id)])
    items = _by_id(collection)
    crossing, single = items[exported.crossing_id], items[exported.single_id]
    assert _quad_selector(crossing)["continuation"] == crossing_rows[0]
    (anchor,) = crossing["sr:anchors"]
    assert anchor["pdf_sha256"] == exported.new_sha and anchor["page"] == 0
    assert anchor["continuation"] == crossing_rows[1]
    assert [part["page"] for part in anchor["continuation"]] == [1]
    assert "continuation" not in _quad_selector(single)
    assert "continuation" not in single["sr:anchors"][0]


def test_round_trip_keeps_both_pages_and_re_exports_the_same_bytes(
    exported: Exported, db_url: str, tmp_path: Path
) -> None:
    with Workspace.open(db_url) as target:
        result = BundleService(target.database).import_bundle(exported.bundle, allow_unsigned=True)
        assert result.added["spans"] == 2 and result.added["span_anchors"] == 2
        assert _continuations(target.database) == exported.rows
        service = ReviewService.for_workspace(target)
        assert service.annotations(exported.record_id) == exported.annotations
        # the imported re-anchoring is drawn on both pages of the new file as it was stored
        views = {
            v.span.id: v for v in service.spans(exported.record_id, source_sha256=exported.new_sha)
        }
        crossing = views[exported.crossing_id]
        assert [anchor.page for anchor in crossing.page_anchors(None)] == [0, 1]
        assert views[exported.single_id].continuation == ()
        again = tmp_path / "again.zip"
        BundleService(target.database).export(
            [exported.record_id], again, reviewer="ana", created=CREATED, allow_unsigned=True
        )
    assert members(again) == members(exported.bundle)


def _without_continuation(document: dict) -> None:
    """What a bundle written before continuation pages existed looks like."""
    document["@context"][1].pop("continuation")
    for item in document["first"]["items"]:
        item["@context"][1].pop("continuation")
        _quad_selector(item).pop("continuation", None)
        for anchor in item.get("sr:anchors", ()):
            anchor.pop("continuation", None)


def test_an_older_bundle_without_continuation_still_imports(
    exported: Exported, tmp_path: Path
) -> None:
    name = _annotation_member(exported.record_id)
    older = repacked(exported.bundle, json_edit(name, _without_continuation))
    assert b"continuation" not in members(older)[name]
    database = Database.open(tmp_path / "target.sqlite3")
    try:
        result = BundleService(database).import_bundle(older, allow_unsigned=True)
        assert result.added["spans"] == 2 and result.added["span_anchors"] == 2
        assert _continuations(database) == {
            exported.crossing_id: (None, None),
            exported.single_id: (None, None),
        }
        with database.reading() as session:
            row = session.get(EvidenceSpanRow, exported.crossing_id)
            assert row is not None and row.page == 0 and row.quads  # the first page is kept
    finally:
        database.close()


Change = Callable[[dict], object]


def _edit_crossing(exported: Exported, change: Change) -> Path:
    def edit(document: dict) -> None:
        change(_by_id(document)[exported.crossing_id])

    return repacked(exported.bundle, json_edit(_annotation_member(exported.record_id), edit))


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            lambda item: _quad_selector(item)["continuation"][0].update(page=0),
            "continuation page 0 does not follow page 0",
        ),
        (
            lambda item: item["sr:anchors"][0].update(page=None, quads=None),
            "continuation pages without a first page",
        ),
        (
            lambda item: item["sr:anchors"][0]["continuation"][0].update(page=0),
            "continuation page 0 does not follow page 0",
        ),
        (
            lambda item: _quad_selector(item)["continuation"][0]["quads"][0].pop(),
            "is too short",
        ),
        (lambda item: _quad_selector(item).update(continuation=[]), "should be non-empty"),
        (
            lambda item: item["sr:anchors"][0]["continuation"][0].update(colour="red"),
            "Additional properties are not allowed",
        ),
    ],
)
def test_malformed_continuation_pages_are_refused_and_change_nothing(
    exported: Exported, tmp_path: Path, change: Change, problem: str
) -> None:
    database = Database.open(tmp_path / "target.sqlite3")
    try:
        reason = refused(database, _edit_crossing(exported, change))
    finally:
        database.close()
    assert reason.startswith(_annotation_member(exported.record_id)), reason
    assert problem in reason, reason
