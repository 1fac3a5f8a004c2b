"""Evidence spans over a page break keep the quads of every page they cover: marked by quote
or by a drag across the pages, shown in ``annotations --json`` as ``continuation``, placed
again on both pages in another version of the paper, and read back from older workspaces."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from click.testing import CliRunner

from reviewer_app.cli import cli
from reviewer_app.domain.evidence import (
    ANNOTATION_CONTEXT,
    EvidenceSpan,
    SpanPage,
    Stance,
    from_web_annotation,
    to_web_annotation,
)
from reviewer_app.pdf import DocumentText, open_pdf, words_between
from reviewer_app.services.review import ReviewService
from reviewer_app.services.workspace import Workspace
from reviewer_app.storage.database import MIGRATIONS_DIR, Database, database_url
from reviewer_app.storage.review_models import EvidenceSpanRow, SpanAnchorRow
from reviewer_app.storage.row_values import evidence_span
from tests.page_break_support import (
    AFTER_BREAK,
    BEFORE_BREAK,
    CROSSING_QUOTE,
    ONE_PAGE_QUOTE,
    make_page_break_lines,
    make_page_break_paper,
    page_size_of,
    quads_inside,
)
from tests.pdf_factory import line_middle, make_lines_pdf, word_centre_x
from tests.review_support import SAMPLE_REPORT


def _layer(service: ReviewService, sha256: str) -> DocumentText:
    with open_pdf(service.source_path(sha256)) as document:
        return document.text_layer()


@pytest.fixture
def paper(service: ReviewService, record_id: str, tmp_path: Path) -> tuple[Path, str]:
    pdf = make_page_break_paper(tmp_path / "2407.17856v2.pdf")
    return pdf, service.attach_pdf(record_id, pdf, reviewer="ana").source.sha256


def test_quote_over_a_page_break_stores_the_quads_of_both_pages(
    service: ReviewService, db_workspace: Workspace, record_id: str, paper: tuple[Path, str]
) -> None:
    pdf, sha256 = paper
    width, height = page_size_of(pdf, 0)

    span = service.annotate_quote(
        record_id, 3, pdf=pdf, quote=CROSSING_QUOTE, stance="supports", reviewer="ana"
    )

    assert span.exact == "the pooled alignment score rises\fsteadily with the number of experts"
    assert span.page == 0 and len(span.quads) == 1
    assert quads_inside(span.quads, width=width, top=height * 0.75, bottom=height)
    (rest,) = span.continuation
    assert rest.page == 1 and len(rest.quads) == 1
    assert quads_inside(rest.quads, width=width, top=0, bottom=height * 0.15)
    expected = _layer(service, sha256).span(span.start, span.end).page_quads
    assert span.pages == tuple(SpanPage(anchor.page, anchor.quads) for anchor in expected)
    with db_workspace.database.reading() as session:
        row = session.get(EvidenceSpanRow, span.id)
        assert row is not None and row.page == 0
        assert row.continuation == [{"page": 1, "quads": [list(rest.quads[0])]}]
    (view,) = service.spans(record_id, source_sha256=sha256)
    assert view.status == "original" and view.span == span
    assert view.pages == expected
    # without the text layer the stored pages are drawn: both of them
    assert view.page_anchors(None) == expected


@pytest.mark.gui  # the label is the evidence list's (Qt); tests/without_qt.py leaves it out
def test_the_evidence_list_names_every_page_a_span_covers(
    service: ReviewService, record_id: str, paper: tuple[Path, str]
) -> None:
    from reviewer_app.ui.review.evidence_list import span_label

    pdf, sha256 = paper
    service.annotate_quote(
        record_id, 3, pdf=pdf, quote=CROSSING_QUOTE, stance="supports", reviewer="ana"
    )
    service.annotate_quote(
        record_id, 1, pdf=pdf, quote=ONE_PAGE_QUOTE, stance="context", reviewer="ana"
    )
    labels = sorted(span_label(view) for view in service.spans(record_id, source_sha256=sha256))
    assert labels[0].startswith("context · p. 2\n")
    assert labels[1].startswith("supports · pp. 1–2\n")


def test_a_drag_from_page_one_to_page_two_keeps_both_pages(
    service: ReviewService, db_workspace: Workspace, record_id: str, paper: tuple[Path, str]
) -> None:
    _, sha256 = paper
    layer = _layer(service, sha256)
    last_line = len(make_page_break_lines()[0]) - 1
    from_point = (word_centre_x(BEFORE_BREAK, 5), line_middle(last_line))  # "the"
    to_point = (word_centre_x(AFTER_BREAK, 0), line_middle(0))  # "steadily" on page 2
    selection = words_between(layer, 0, from_point, 1, to_point)
    assert selection is not None and selection.pages == (0, 1)

    span = service.add_span(
        record_id,
        2,
        reviewer="ben",
        source_sha256=sha256,
        span=selection,
        doc_text=layer,
        stance="context",
    )

    assert span.exact == "the pooled alignment score rises\fsteadily"
    assert (span.page, span.quads) == (0, selection.page_quads[0].quads)
    assert span.continuation == (SpanPage(1, selection.page_quads[1].quads),)
    with db_workspace.database.reading() as session:
        row = session.get(EvidenceSpanRow, span.id)
        assert row is not None and row.continuation is not None
        assert [part["page"] for part in row.continuation] == [1]


def test_one_page_span_stores_and_shows_no_continuation(
    service: ReviewService, db_workspace: Workspace, record_id: str, paper: tuple[Path, str]
) -> None:
    pdf, _ = paper
    span = service.annotate_quote(
        record_id, 1, pdf=pdf, quote=ONE_PAGE_QUOTE, stance="context", reviewer="ana"
    )
    assert span.page == 1 and span.continuation == () and span.pages == ((1, span.quads),)
    null_continuation = (
        sa.select(sa.func.count())
        .select_from(EvidenceSpanRow)
        .where(EvidenceSpanRow.continuation.is_(None))
    )
    with db_workspace.database.reading() as session:
        assert session.scalar(null_continuation) == 1  # SQL NULL, not the JSON text "null"
    (annotation,) = service.annotations(record_id)
    (quad_selector,) = [
        s for s in annotation["target"]["selector"] if s["type"] == "PdfQuadSelector"
    ]
    assert set(quad_selector) == {"type", "page", "quads"}


def test_cli_annotate_over_a_page_break_shows_continuation(
    db_url: str, samples: Path, tmp_path: Path
) -> None:
    def run(*args: str) -> str:
        result = CliRunner().invoke(cli, ["--db", db_url, *args], catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        return result.stdout

    record = run("import", str(samples / SAMPLE_REPORT)).split("\t")[0]
    pdf = make_page_break_paper(tmp_path / "probing.pdf")
    width, height = page_size_of(pdf, 1)
    run("attach", record, str(pdf), "--reviewer", "dana")
    common = ["annotate", record, "--pdf", str(pdf), "--stance", "supports", "--reviewer", "dana"]
    crossing = str(uuid.UUID(run(*common, "--claim", "3", "--quote", CROSSING_QUOTE).strip()))
    single = str(uuid.UUID(run(*common, "--claim", "4", "--quote", ONE_PAGE_QUOTE).strip()))

    annotations = {a["id"]: a for a in json.loads(run("annotations", record, "--json"))}

    def quad_selector(span_id: str) -> dict:
        selectors = annotations[f"urn:uuid:{span_id}"]["target"]["selector"]
        (found,) = [s for s in selectors if s["type"] == "PdfQuadSelector"]
        return found

    first = quad_selector(crossing)
    assert first["page"] == 0 and len(first["quads"]) == 1
    assert quads_inside(first["quads"], width=width, top=height * 0.75, bottom=height)
    (rest,) = first["continuation"]
    assert set(rest) == {"page", "quads"} and rest["page"] == 1
    assert rest["quads"] and quads_inside(rest["quads"], width=width, top=0, bottom=height * 0.15)
    fragment = next(
        s for s in annotations[f"urn:uuid:{crossing}"]["target"]["selector"]
        if s["type"] == "FragmentSelector"
    )  # fmt: skip
    assert fragment["value"] == "page=1"  # unchanged: the page where the span starts
    only = quad_selector(single)
    assert only["page"] == 1 and "continuation" not in only
    context = annotations[f"urn:uuid:{crossing}"]["@context"][1]
    assert context["continuation"] == {"@id": "sr:continuation", "@container": "@list"}


def test_reanchoring_onto_another_layout_keeps_both_pages(
    service: ReviewService, db_workspace: Workspace, record_id: str, paper: tuple[Path, str]
) -> None:
    v2, _ = paper
    marked = service.annotate_quote(
        record_id, 3, pdf=v2, quote=CROSSING_QUOTE, stance="supports", reviewer="ana"
    )
    v4 = make_page_break_paper(
        v2.with_name("2407.17856v4.pdf"), page_size="letter", fontname="tiro", extra_lines=2
    )
    width, height = page_size_of(v4, 1)

    result = service.attach_pdf(record_id, v4, reviewer="ana")

    assert result.reanchor is not None and result.reanchor.counts["moved"] == 1
    new_sha = result.source.sha256
    (view,) = service.spans(record_id, source_sha256=new_sha)
    assert view.status == "moved" and view.span == marked
    layer = _layer(service, new_sha)
    assert view.start is not None and view.end is not None
    expected = layer.span(view.start, view.end).page_quads
    assert [anchor.page for anchor in expected] == [0, 1]
    assert view.pages == expected and view.page_anchors(None) == expected
    assert view.continuation[0].quads != marked.continuation[0].quads  # v4's own layout
    assert quads_inside(view.continuation[0].quads, width=width, top=0, bottom=height * 0.15)
    with db_workspace.database.reading() as session:
        anchor = session.scalar(sa.select(SpanAnchorRow).where(SpanAnchorRow.pdf_sha256 == new_sha))
        assert anchor is not None and anchor.page == 0
        assert anchor.continuation == [{"page": 1, "quads": [list(q) for q in expected[1].quads]}]


def test_an_orphan_keeps_every_page_it_was_marked_on(
    service: ReviewService, record_id: str, paper: tuple[Path, str], tmp_path: Path
) -> None:
    v2, _ = paper
    marked = service.annotate_quote(
        record_id, 3, pdf=v2, quote=CROSSING_QUOTE, stance="supports", reviewer="ana"
    )
    first, second = make_page_break_lines()
    first[-1], second[0] = "Nothing of that kind is", "said in this version of the paper."
    v5 = make_lines_pdf(tmp_path / "2407.17856v5.pdf", [first, second])

    result = service.attach_pdf(record_id, v5, reviewer="ana")

    assert result.reanchor is not None
    (orphan,) = result.reanchor.orphans
    assert [(a.page, a.quads) for a in orphan.selectors.pages] == list(marked.pages)
    (view,) = service.spans(record_id, source_sha256=result.source.sha256)
    assert view.is_orphan and view.pages == () and view.span.pages == marked.pages


def test_span_annotation_round_trips_its_continuation() -> None:
    quad = (72.0, 60.0, 240.0, 60.0, 72.0, 75.0, 240.0, 75.0)
    span = evidence_span_value(continuation=(SpanPage(1, (quad,)), SpanPage(3, (quad, quad))))
    document = to_web_annotation(span)
    (selector,) = [s for s in document["target"]["selector"] if s["type"] == "PdfQuadSelector"]
    assert selector["continuation"] == [
        {"page": 1, "quads": [list(quad)]},
        {"page": 3, "quads": [list(quad), list(quad)]},
    ]
    assert from_web_annotation(document) == span
    assert "continuation" in ANNOTATION_CONTEXT[1]


@pytest.mark.parametrize(
    ("continuation", "problem"),
    [
        ([{"page": 0, "quads": [[1] * 8]}], "continuation page 0 does not follow page 0"),
        ([{"page": 2, "quads": [[1] * 8]}, {"page": 1, "quads": [[1] * 8]}], "page 1 does not"),
        ([{"page": 1, "quads": []}], "continuation page 1 has no quads"),
        ([{"page": 1}], "a continuation page needs a page number and quads"),
        ([{"page": 1, "quads": [[1] * 7]}], "a quad has 8 numbers, not 7"),
        ({"page": 1}, "continuation is a list of pages, not dict"),
    ],
)
def test_malformed_continuation_is_refused_with_a_clear_message(
    continuation: object, problem: str
) -> None:
    document = to_web_annotation(evidence_span_value())
    selector = document["target"]["selector"][-1]
    assert selector["type"] == "PdfQuadSelector"
    selector["continuation"] = continuation
    with pytest.raises(ValueError, match=problem):
        from_web_annotation(document)


def evidence_span_value(**changes: object) -> EvidenceSpan:
    values: dict[str, object] = {
        "id": str(uuid.UUID(int=7)),
        "record_id": "RPT-60A47641",
        "claim_position": 1,
        "reviewer": "ana",
        "source_sha256": "a" * 64,
        "stance": Stance.SUPPORTS,
        "page": 0,
        "quads": ((72.0, 700.0, 300.0, 700.0, 72.0, 712.0, 300.0, 712.0),),
        "exact": "runs over",
        "prefix": "",
        "suffix": "",
        "start": 10,
        "end": 19,
        "created_at": datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
        **changes,
    }
    return EvidenceSpan(**values)  # type: ignore[arg-type]


# --- the migration --------------------------------------------------------------------------


def _migrate(db_url: str, revision: str, *, down: bool = False) -> None:
    engine = sa.create_engine(database_url(db_url))
    try:
        with engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS_DIR))
            config.attributes["connection"] = connection
            (command.downgrade if down else command.upgrade)(config, revision)
    finally:
        engine.dispose()


def _columns(db_url: str, table: str) -> set[str]:
    engine = sa.create_engine(database_url(db_url))
    try:
        return {column["name"] for column in sa.inspect(engine).get_columns(table)}
    finally:
        engine.dispose()


def test_migration_0003_adds_continuation_and_older_spans_still_read(db_url: str) -> None:
    _migrate(db_url, "0002")
    assert "continuation" not in _columns(db_url, "evidence_spans")
    created = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    quad = [72.0, 700.0, 300.0, 700.0, 72.0, 712.0, 300.0, 712.0]
    engine = sa.create_engine(database_url(db_url))
    with engine.begin() as connection:  # a span as version 0002 stored it
        connection.execute(
            sa.table(
                "records", *map(sa.column, ("id", "kind", "identity_key", "created_at"))
            ).insert(),
            {"id": "RPT-1", "kind": "report", "identity_key": "k", "created_at": created},
        )
        connection.execute(
            sa.table(
                "reviewers", sa.column("id"), sa.column("name"), sa.column("created_at")
            ).insert(),
            {"id": 1, "name": "ana", "created_at": created},
        )
        names = ("id", "record_id", "claim_position", "reviewer_id", "source_sha256", "stance")
        more = ("page", "exact", "prefix", "suffix", "start", "end", "created_at")
        spans = sa.table(
            "evidence_spans", *map(sa.column, names + more), sa.column("quads", sa.JSON)
        )
        connection.execute(
            spans.insert(),
            {
                "id": "old-span", "record_id": "RPT-1", "claim_position": 1, "reviewer_id": 1,
                "source_sha256": "a" * 64, "stance": "supports", "page": 4, "quads": [quad],
                "exact": "old", "prefix": "", "suffix": "", "start": 1, "end": 4,
                "created_at": created,
            },
        )  # fmt: skip
    engine.dispose()

    database = Database.open(db_url)  # upgrades to the head
    try:
        assert database.schema_revision() == Database.head_revision()
        assert "continuation" in _columns(db_url, "evidence_spans")
        assert "continuation" in _columns(db_url, "span_anchors")
        with database.reading() as session:
            row = session.get(EvidenceSpanRow, "old-span")
            assert row is not None and row.continuation is None
            span = evidence_span(row, "ana")
        assert span.continuation == () and span.pages == (SpanPage(4, (tuple(quad),)),)
    finally:
        database.close()

    _migrate(db_url, "0002", down=True)
    assert "continuation" not in _columns(db_url, "span_anchors")
    assert "continuation" not in _columns(db_url, "evidence_spans")
    _migrate(db_url, "head")
    assert "continuation" in _columns(db_url, "evidence_spans")
