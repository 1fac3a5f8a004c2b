"""Evidence spans: marking by selection or quote, soft removal for undo, W3C annotations."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer_app.domain.evidence import Stance, from_web_annotation
from reviewer_app.errors import NotFound, ReviewerAppError
from reviewer_app.pdf import find_quote, open_pdf
from reviewer_app.services.review import QuoteNotFound, ReviewService
from reviewer_app.services.workspace import Workspace
from tests.review_support import make_source, review_row_counts


@pytest.fixture
def attached(service: ReviewService, record_id: str, tmp_path: Path) -> tuple[Path, str]:
    pdf = make_source(tmp_path / "probing.pdf")
    return pdf, service.attach_pdf(record_id, pdf, reviewer="ana").source.sha256


def test_quote_over_a_line_break_with_ligature_is_found(
    service: ReviewService, record_id: str, attached: tuple[Path, str]
) -> None:
    pdf, sha256 = attached
    quote = "Our main finding is that the pooled alignment score rises"  # "ﬁ" and a line end
    span = service.annotate_quote(
        record_id, 3, pdf=pdf, quote=quote, stance="supports", reviewer="ana", note="key result"
    )
    assert span.exact == "Our main ﬁnding is that\nthe pooled alignment score rises"
    assert (span.claim_position, span.reviewer, span.stance) == (3, "ana", Stance.SUPPORTS)
    assert span.source_sha256 == sha256 and span.note == "key result"
    assert span.page == 0 and len(span.quads) == 2  # one quad per line
    assert span.suffix.startswith(" with the number of experts")
    assert span.prefix.endswith("during pretraining. ")
    (listed,) = service.spans(record_id)
    assert listed.span == span and listed.status == "original"


def test_straight_quotes_find_curly_ones_and_sha256_names_the_file(
    service: ReviewService, record_id: str, attached: tuple[Path, str]
) -> None:
    _, sha256 = attached
    span = service.annotate_quote(
        record_id,
        5,
        pdf=sha256,
        quote='models appear "robust" to WORD order',
        stance=Stance.CONTRADICTS,
        reviewer="ben",
    )
    assert span.exact == "Models appear “robust” to word order"
    assert span.stance is Stance.CONTRADICTS


def test_missing_quote_unattached_file_and_bad_claim_change_nothing(
    service: ReviewService,
    db_workspace: Workspace,
    record_id: str,
    attached: tuple[Path, str],
    tmp_path: Path,
) -> None:
    pdf, _ = attached
    other = make_source(tmp_path / "other.pdf", ["Some unrelated text."])
    before = review_row_counts(db_workspace)
    with pytest.raises(QuoteNotFound, match=r'probing\.pdf: quote not found: "pooled effect'):
        service.annotate_quote(
            record_id, 1, pdf=pdf, quote="pooled effect sizes", stance="supports", reviewer="ana"
        )
    with pytest.raises(NotFound, match=r"other\.pdf: not attached to record"):
        service.annotate_quote(
            record_id, 1, pdf=other, quote="unrelated", stance="supports", reviewer="ana"
        )
    with pytest.raises(NotFound, match=r"has no claim 11 \(it has claims 1 to 10\)"):
        service.annotate_quote(
            record_id, 11, pdf=pdf, quote="closing remark", stance="supports", reviewer="ana"
        )
    with pytest.raises(ReviewerAppError, match="unknown stance 'agrees'"):
        service.annotate_quote(
            record_id, 1, pdf=pdf, quote="closing remark", stance="agrees", reviewer="ana"
        )
    assert review_row_counts(db_workspace) == before


def test_selection_from_the_text_layer_becomes_a_span(
    service: ReviewService, record_id: str, attached: tuple[Path, str]
) -> None:
    _, sha256 = attached
    with open_pdf(service.source_path(sha256)) as document:
        layer = document.text_layer()
    (selection,) = find_quote(layer, "A closing remark")
    span = service.add_span(
        record_id,
        2,
        reviewer="ana",
        source_sha256=sha256,
        span=selection,
        doc_text=layer,
        stance=Stance.CONTEXT,
    )
    assert (span.start, span.end, span.exact) == (
        selection.start,
        selection.end,
        "A closing remark",
    )
    assert span.quads == selection.page_quads[0].quads
    with pytest.raises(NotFound, match="is attached to record"):
        service.add_span(
            record_id,
            2,
            reviewer="ana",
            source_sha256="0" * 64,
            span=selection,
            doc_text=layer,
            stance=Stance.CONTEXT,
        )


def test_remove_and_restore_for_undo(
    service: ReviewService, record_id: str, attached: tuple[Path, str]
) -> None:
    pdf, _ = attached
    kept = service.annotate_quote(
        record_id, 1, pdf=pdf, quote="closing remark", stance="context", reviewer="ana"
    )
    undone = service.annotate_quote(
        record_id, 1, pdf=pdf, quote="syntax is captured", stance="supports", reviewer="ana"
    )
    service.remove_span(undone.id)
    assert [v.span.id for v in service.spans(record_id)] == [kept.id]
    removed = service.spans(record_id, include_removed=True)
    assert {(v.span.id, v.removed) for v in removed} == {(kept.id, False), (undone.id, True)}
    assert len(service.annotations(record_id)) == 1
    service.restore_span(undone.id)
    assert {v.span.id for v in service.spans(record_id)} == {kept.id, undone.id}
    with pytest.raises(NotFound, match="no evidence span 'nope'"):
        service.remove_span("nope")


def test_spans_filter_by_claim_reviewer_and_file(
    service: ReviewService, record_id: str, attached: tuple[Path, str], tmp_path: Path
) -> None:
    pdf, sha256 = attached
    other = make_source(tmp_path / "2308.12898v2.pdf", ["Another paper says little."])
    other_sha = service.attach_pdf(record_id, other, reviewer="ana").source.sha256
    service.annotate_quote(record_id, 1, pdf=pdf, quote="syntax", stance="supports", reviewer="ana")
    service.annotate_quote(record_id, 2, pdf=pdf, quote="experts", stance="context", reviewer="ben")
    service.annotate_quote(
        record_id, 2, pdf=other, quote="says little", stance="contradicts", reviewer="ana"
    )
    assert [v.span.exact for v in service.spans(record_id, claim_position=2)] == [
        "experts",
        "says little",
    ]
    assert [v.span.exact for v in service.spans(record_id, reviewer="ben")] == ["experts"]
    assert service.spans(record_id, reviewer="nobody") == []
    assert [v.span.exact for v in service.spans(record_id, source_sha256=other_sha)] == [
        "says little"
    ]
    assert len(service.spans(record_id, source_sha256=sha256)) == 2
    with pytest.raises(NotFound, match="no record 'RPT-NOPE'"):
        service.spans("RPT-NOPE")


def test_annotations_are_w3c_web_annotations(
    service: ReviewService, record_id: str, attached: tuple[Path, str]
) -> None:
    pdf, sha256 = attached
    span = service.annotate_quote(
        record_id,
        3,
        pdf=pdf,
        quote="pooled alignment score",
        stance="supports",
        reviewer="ana",
        note="see the table",
    )
    (annotation,) = service.annotations(record_id)
    assert annotation["type"] == "Annotation" and annotation["id"] == f"urn:uuid:{span.id}"
    assert annotation["target"]["source"] == f"urn:sha256:{sha256}"
    selectors = {s["type"]: s for s in annotation["target"]["selector"]}
    assert selectors["TextQuoteSelector"]["exact"] == "pooled alignment score"
    assert selectors["TextPositionSelector"] == {
        "type": "TextPositionSelector",
        "start": span.start,
        "end": span.end,
    }
    assert selectors["PdfQuadSelector"]["page"] == 0
    assert len(selectors["PdfQuadSelector"]["quads"][0]) == 8
    body = annotation["body"]
    assert body["claim"]["position"] == 3 and body["claim"]["record"] == record_id
    assert body["claim"]["text"].startswith("Transformers use co-occurrence")
    assert (body["stance"], body["reviewer"], body["value"]) == ("supports", "ana", "see the table")
    assert from_web_annotation(annotation).id == span.id
