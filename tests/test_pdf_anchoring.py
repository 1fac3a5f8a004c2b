"""Re-anchoring spans from one PDF in a genuinely different PDF of (mostly) the same text.

The old version is A4 in Helvetica, the new one Letter in Times: other line breaks, other
page breaks, other word boxes. Between them one paragraph was edited, one removed and one
moved to the end.
"""

from __future__ import annotations

import pytest

from reviewer_app.pdf import (
    DocumentText,
    SpanSelectors,
    TextSpan,
    find_quote,
    make_selectors,
    normalize_query,
    open_pdf,
    reanchor,
    reanchor_all,
)
from tests.pdf_factory import filler_paragraph, make_paper

REPEATED = "Results are summarised in Table 2."
INTRO = (
    "Evidence synthesis combines the findings of many studies. "
    f"{REPEATED} The first section describes how sources were chosen."
)
EDITED_OLD = (
    "Heterogeneity was assessed with the I-squared statistic. "
    "The pooled effect was small but consistent across the twelve included trials. "
    "Sensitivity analyses did not change the conclusion."
)
EDITED_NEW = EDITED_OLD.replace(
    "small but consistent across the twelve", "modest yet stable across the eleven"
)
REMOVED = (
    "An appendix lists every excluded record together with the reason for its exclusion, "
    "which readers asked for in the first round of review."
)
MOVED = (
    "Funding came from a public research council that had no role in the design, "
    "the analysis or the decision to publish."
)
LATE = f"Before the discussion we return to the main table. {REPEATED} It covers all outcomes."


def _old_paragraphs() -> list[str]:
    return [
        INTRO,
        filler_paragraph(1, 5000),  # long enough to cross the first A4 page break
        EDITED_OLD,
        filler_paragraph(3, 800),
        REMOVED,
        LATE,
        MOVED,
        filler_paragraph(7, 800),
    ]


def _new_paragraphs() -> list[str]:
    old = _old_paragraphs()
    return [old[0], old[1], EDITED_NEW, old[3], old[5], old[7], MOVED]


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[DocumentText, DocumentText]:
    folder = tmp_path_factory.mktemp("versions")
    old_pdf = make_paper(folder / "v2.pdf", _old_paragraphs(), page_size="a4", fontname="helv")
    new_pdf = make_paper(
        folder / "v4.pdf", _new_paragraphs(), page_size="letter", fontname="tiro", fontsize=10.5
    )
    with open_pdf(old_pdf) as old, open_pdf(new_pdf) as new:
        return old.text_layer(), new.text_layer()


def _select(layer: DocumentText, quote: str, occurrence: int = 0) -> SpanSelectors:
    spans = find_quote(layer, quote, ignore_case=False)
    return make_selectors(layer, spans[occurrence])


def _only(layer: DocumentText, quote: str) -> TextSpan:
    (span,) = find_quote(layer, quote, ignore_case=False)
    return span


def test_the_two_versions_are_laid_out_differently(
    versions: tuple[DocumentText, DocumentText],
) -> None:
    old, new = versions
    assert old.page_count >= 2
    assert old.page_starts[1] != new.page_starts[1]  # other page breaks
    intro_old, intro_new = _only(old, INTRO), _only(new, INTRO)
    assert intro_old.page_quads != intro_new.page_quads
    assert old.text.count("\n") != new.text.count("\n")  # other line breaks


def test_same_text_in_another_layout_stays_exact(
    versions: tuple[DocumentText, DocumentText],
) -> None:
    old, new = versions
    selectors = _select(old, "The first section describes how sources were chosen.")
    anchoring = reanchor(selectors, new)
    assert anchoring.status == "exact"
    assert anchoring.score == 1.0
    assert anchoring.span is not None
    assert normalize_query(anchoring.span.quote) == normalize_query(selectors.quote.exact)
    assert anchoring.span.page_quads != selectors.pages  # drawn where the new PDF has it


def test_span_across_a_page_break_stays_exact(versions: tuple[DocumentText, DocumentText]) -> None:
    old, new = versions
    break_at = old.page_starts[1]
    words = old.word_indices(break_at - 40, break_at + 40)
    span = old.words_span(words[0], words[-1])
    assert span.pages == (0, 1)
    anchoring = reanchor(make_selectors(old, span), new)
    assert anchoring.status == "exact"
    assert anchoring.span is not None
    assert normalize_query(anchoring.span.quote) == normalize_query(span.quote)


def test_edited_sentence_is_changed(versions: tuple[DocumentText, DocumentText]) -> None:
    old, new = versions
    old_sentence = "The pooled effect was small but consistent across the twelve included trials."
    new_sentence = "The pooled effect was modest yet stable across the eleven included trials."
    anchoring = reanchor(_select(old, old_sentence), new)
    assert anchoring.status == "changed"
    assert anchoring.span is not None
    assert normalize_query(anchoring.span.quote) == normalize_query(new_sentence)
    assert 0.5 < anchoring.score < 1.0


def test_removed_paragraph_is_an_orphan_that_keeps_its_selectors(
    versions: tuple[DocumentText, DocumentText],
) -> None:
    old, new = versions
    selectors = _select(old, "An appendix lists every excluded record together with the reason")
    anchoring = reanchor(selectors, new)
    assert anchoring.status == "orphan"
    assert anchoring.span is None
    assert anchoring.selectors == selectors
    assert anchoring.selectors.pages  # old quads are still there to show where it was


def test_moved_paragraph_is_found_at_its_new_place(
    versions: tuple[DocumentText, DocumentText],
) -> None:
    old, new = versions
    selectors = _select(old, MOVED)
    anchoring = reanchor(selectors, new)
    assert anchoring.status == "moved"
    assert anchoring.span == _only(new, MOVED)
    assert anchoring.span.start != selectors.position.start


def test_repeated_quote_goes_to_the_occurrence_with_the_same_context(
    versions: tuple[DocumentText, DocumentText],
) -> None:
    old, new = versions
    selectors = _select(old, REPEATED, occurrence=1)  # the one in LATE, not in INTRO
    anchoring = reanchor(selectors, new)
    assert anchoring.status == "moved"
    assert anchoring.span is not None
    late_start = new.text.index("Before the discussion")
    assert anchoring.span.start > late_start
    assert anchoring.span == find_quote(new, REPEATED, ignore_case=False)[1]


def test_reanchor_all_reports_every_outcome(versions: tuple[DocumentText, DocumentText]) -> None:
    old, new = versions
    stored = [
        _select(old, "Evidence synthesis combines the findings of many studies."),
        _select(old, "Sensitivity analyses did not change the conclusion."),
        _select(old, "assessed with the I-squared statistic. The pooled effect was small"),
        _select(old, "which readers asked for in the first round of review."),
        _select(old, MOVED),
    ]
    report = reanchor_all(stored, new)
    assert [result.status for result in report.results] == [
        "exact",
        "moved",
        "changed",
        "orphan",
        "moved",
    ]
    assert report.counts == {"exact": 1, "moved": 2, "changed": 1, "orphan": 1}
    assert report.summary() == "5 spans: 1 exact, 2 moved, 1 changed, 1 orphan"
    assert [orphan.selectors for orphan in report.orphans] == [stored[3]]


def test_selectors_survive_a_json_round_trip(versions: tuple[DocumentText, DocumentText]) -> None:
    old, _ = versions
    selectors = _select(old, REPEATED, occurrence=1)
    as_json = selectors.to_json()
    assert as_json[0] == {
        "type": "TextQuoteSelector",
        "exact": REPEATED,
        "prefix": selectors.quote.prefix,
        "suffix": selectors.quote.suffix,
    }
    assert len(selectors.quote.prefix) == len(selectors.quote.suffix) == 32
    assert SpanSelectors.from_json(as_json) == selectors
    with pytest.raises(ValueError, match="exactly one TextQuoteSelector"):
        SpanSelectors.from_json(as_json[1:])
