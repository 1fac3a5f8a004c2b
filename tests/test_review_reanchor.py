"""Attaching a genuinely different PDF of the same paper re-anchors the spans marked on the
first one: v2 is A4 in Helvetica, v4 is Letter in Times, with one paragraph edited, one
removed and one moved. Orphans are kept and listed, never dropped."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete

from reviewer_app.pdf import normalize_query, open_pdf
from reviewer_app.services.review import ReviewService, SpanView
from reviewer_app.services.workspace import Workspace
from reviewer_app.storage.review_models import SpanAnchorRow
from tests.pdf_factory import filler_paragraph, make_paper
from tests.review_support import REF_PROBING, review_row_counts

KEPT = "Twenty cohorts were screened before the main analysis began."
EDITED_OLD = "The alignment score rose steadily as the number of experts grew from four to sixteen."
EDITED_NEW = "The alignment score rose slightly as the number of experts grew from four to twelve."
DROPPED = "A supplementary table lists every discarded checkpoint and why it was discarded."
MOVED = "All models were trained on the same public corpus with identical tokenisation."

QUOTES = {  # claim position -> quote marked on v2
    1: "Twenty cohorts were screened",
    2: "rose steadily as the number of experts grew from four to sixteen",
    3: "every discarded checkpoint and why",
    4: "identical tokenisation",
}

QUOTES_IN_V4 = {
    1: QUOTES[1],
    2: "rose slightly as the number of experts grew from four to twelve",
    4: QUOTES[4],
}


def _v2() -> list[str]:
    return [
        f"Opening remarks. {KEPT} Further details follow.",
        filler_paragraph(11, 4000),  # long enough to cross a page break
        f"Scaling behaviour. {EDITED_OLD} This is the central result.",
        f"Appendix note. {DROPPED}",
        f"Training setup. {MOVED}",
        filler_paragraph(12, 600),
    ]


def _v4() -> list[str]:
    old = _v2()
    return [old[0], old[1], old[2].replace(EDITED_OLD, EDITED_NEW), old[5], old[4]]


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    v2 = make_paper(tmp_path / "2407.17856v2.pdf", _v2(), page_size="a4", fontname="helv")
    v4 = make_paper(
        tmp_path / "2407.17856v4.pdf", _v4(), page_size="letter", fontname="tiro", fontsize=10.5
    )
    return v2, v4


def _by_claim(views: list[SpanView]) -> dict[int, SpanView]:
    return {view.span.claim_position: view for view in views}


def test_attaching_another_version_reanchors_and_keeps_orphans(
    service: ReviewService, db_workspace: Workspace, record_id: str, versions: tuple[Path, Path]
) -> None:
    v2, v4 = versions
    old_sha = service.attach_pdf(record_id, v2, reviewer="ana").source.sha256
    marked = {
        claim: service.annotate_quote(
            record_id, claim, pdf=v2, quote=quote, stance="supports", reviewer="ana"
        )
        for claim, quote in QUOTES.items()
    }
    undone = service.annotate_quote(
        record_id, 5, pdf=v2, quote="Further details follow", stance="context", reviewer="ana"
    )
    service.remove_span(undone.id)

    result = service.attach_pdf(record_id, v4, reviewer="ana")

    assert result.source.reference_url == REF_PROBING and result.source.arxiv_version == 4
    assert result.reanchor is not None
    assert result.reanchor.counts == {"exact": 1, "moved": 1, "changed": 1, "orphan": 1}
    assert [o.selectors.quote.exact for o in result.reanchor.orphans] == [QUOTES[3]]
    new_sha = result.source.sha256
    views = _by_claim(service.spans(record_id, source_sha256=new_sha))
    # the text layer joins words with one character whatever the layout, so unchanged text
    # before the first edit keeps its offsets
    assert {claim: view.status for claim, view in views.items()} == {
        1: "exact",
        2: "changed",
        3: "orphan",
        4: "moved",
    }
    assert views[3].is_orphan and views[3].page is None and views[3].quads == ()
    assert views[3].span == marked[3]  # the orphan keeps what was marked
    with open_pdf(service.source_path(new_sha)) as document:
        layer = document.text_layer()
    for claim in (1, 2, 4):
        view = views[claim]
        assert view.source_sha256 == new_sha and view.page is not None and view.quads
        assert view.start is not None and view.end is not None
        placed = normalize_query(layer.text[view.start : view.end])
        assert placed == normalize_query(QUOTES_IN_V4[claim])
        assert view.page_anchors(layer) == layer.span(view.start, view.end).page_quads
    assert views[1].quads != marked[1].quads  # drawn where v4 has the words

    originals = service.spans(record_id, source_sha256=old_sha)
    assert {v.status for v in originals} == {"original"}
    assert len(originals) == 4  # the removed span is not listed ...
    service.restore_span(undone.id)  # ... but was placed too, so undo shows it at once
    before = review_row_counts(db_workspace)
    restored = _by_claim(service.spans(record_id, source_sha256=new_sha))[5]
    assert restored.status == "exact"
    assert review_row_counts(db_workspace) == before


def test_span_marked_on_the_old_file_later_is_placed_in_the_new_one(
    service: ReviewService, db_workspace: Workspace, record_id: str, versions: tuple[Path, Path]
) -> None:
    v2, v4 = versions
    service.attach_pdf(record_id, v2, reviewer="ana")
    new_sha = service.attach_pdf(record_id, v4, reviewer="ana").source.sha256
    anchors_before = review_row_counts(db_workspace)["span_anchors"]
    service.annotate_quote(
        record_id,
        6,
        pdf=v2,
        quote="trained on the same public corpus",
        stance="context",
        reviewer="ben",
    )
    assert review_row_counts(db_workspace)["span_anchors"] == anchors_before + 1
    (view,) = service.spans(record_id, source_sha256=new_sha)
    assert view.status == "moved" and view.span.reviewer == "ben"


def test_missing_anchors_are_computed_when_the_file_is_viewed(
    db_url: str,
    service: ReviewService,
    db_workspace: Workspace,
    record_id: str,
    versions: tuple[Path, Path],
) -> None:
    v2, v4 = versions
    service.attach_pdf(record_id, v2, reviewer="ana")
    for claim, quote in QUOTES.items():
        service.annotate_quote(
            record_id, claim, pdf=v2, quote=quote, stance="supports", reviewer="ana"
        )
    new_sha = service.attach_pdf(record_id, v4, reviewer="ana").source.sha256
    expected = {
        c: v.status for c, v in _by_claim(service.spans(record_id, source_sha256=new_sha)).items()
    }
    with db_workspace.database.transaction() as session:  # e.g. spans brought in by a bundle
        session.execute(delete(SpanAnchorRow))
    with Workspace.open(db_url) as reopened:
        fresh = ReviewService.for_workspace(reopened)
        views = _by_claim(fresh.spans(record_id, source_sha256=new_sha))
    assert {c: v.status for c, v in views.items()} == expected
    assert review_row_counts(db_workspace)["span_anchors"] == len(QUOTES)


def test_annotations_target_every_file_the_span_lies_in_after_reanchoring(
    service: ReviewService, db_workspace: Workspace, record_id: str, versions: tuple[Path, Path]
) -> None:
    v2, v4 = versions
    old_sha = service.attach_pdf(record_id, v2, reviewer="ana").source.sha256
    for claim, quote in QUOTES.items():
        service.annotate_quote(
            record_id, claim, pdf=v2, quote=quote, stance="supports", reviewer="ana"
        )
    only_old = service.annotations(record_id)
    assert all(isinstance(a["target"], dict) for a in only_old)  # one file: the old shape
    new_sha = service.attach_pdf(record_id, v4, reviewer="ana").source.sha256

    by_claim = {a["body"]["claim"]["position"]: a["target"] for a in service.annotations(record_id)}
    assert len(by_claim) == 4
    for targets in by_claim.values():
        assert [t["source"] for t in targets] == [f"urn:sha256:{old_sha}", f"urn:sha256:{new_sha}"]
        assert targets[0]["sr:anchoring"] == "exact"
    assert by_claim[3][1]["sr:anchoring"] == "orphan"
    assert by_claim[3][1]["selector"] == []
    kept = by_claim[1][1]
    assert kept["sr:anchoring"] == "exact"
    kinds = [s["type"] for s in kept["selector"]]
    assert kinds == ["TextPositionSelector", "FragmentSelector", "PdfQuadSelector"]
    assert by_claim[2][1]["sr:anchoring"] == "changed"
