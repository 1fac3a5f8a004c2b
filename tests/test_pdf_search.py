"""Quote search as a person pasting a quote expects, on real PDF text layers."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer_app.pdf import DocumentText, find_all, find_quote, normalize, open_pdf
from tests.pdf_factory import make_lines_pdf

PAGES = [
    [
        "We ﬁnd that the eﬀect of the treat-",
        "ment is signiﬁcant, “robust” and the",
        "model’s ﬂexible ﬃx and ﬄuid—really.",
        "The Effect was measured twice.",
    ],
    ["the effect of the", "treatment on page two."],
]


@pytest.fixture
def layer(tmp_path: Path) -> DocumentText:
    with open_pdf(make_lines_pdf(tmp_path / "typeset.pdf", PAGES)) as document:
        return document.text_layer()


def test_the_pdf_keeps_its_typographic_characters(layer: DocumentText) -> None:
    # guard: the quotes below only test something if the PDF really has these glyphs
    for typographic in ("ﬁ", "ﬀ", "ﬃ", "ﬄ", "ﬂ", "“", "’", "treat-\nment"):
        assert typographic in layer.text


def test_quote_across_a_hyphenated_line_break(layer: DocumentText) -> None:
    (span,) = find_quote(layer, "the effect of the treatment is significant")
    assert span.quote == "the eﬀect of the treat-\nment is signiﬁcant"
    assert span.pages == (0,)
    assert len(span.page_quads[0].quads) == 2


def test_ligatures_curly_quotes_and_dashes_do_not_matter(layer: DocumentText) -> None:
    (span,) = find_quote(layer, 'significant, "robust" and the model\'s flexible ffix')
    assert span.quote.startswith("signiﬁcant, “robust”")
    assert span.quote.endswith("model’s ﬂexible ﬃx")
    (dash,) = find_quote(layer, "ffluid - really")
    assert dash.quote == "ﬄuid—really"


def test_pasted_line_breaks_and_spaces_do_not_matter(layer: DocumentText) -> None:
    (span,) = find_quote(layer, "  We find   that\nthe\teffect ")
    assert span.start == 0
    assert span.quote == "We ﬁnd that the eﬀect"


def test_case_is_ignored_unless_asked(layer: DocumentText) -> None:
    assert len(find_quote(layer, "the effect of the treatment")) == 2
    hits = find_quote(layer, "The Effect", ignore_case=False)
    assert [hit.quote for hit in hits] == ["The Effect"]


def test_quote_across_pages(layer: DocumentText) -> None:
    (span,) = find_quote(layer, "measured twice. the effect")
    assert span.pages == (0, 1)


def test_no_match_and_empty_quote(layer: DocumentText) -> None:
    assert find_quote(layer, "not in this document") == []
    assert find_quote(layer, "   ") == []


def test_find_all_hits_in_reading_order(layer: DocumentText) -> None:
    hits = find_all(layer, "effect")
    assert [hit.quote for hit in hits] == ["eﬀect", "Effect", "effect"]
    assert [hit.pages for hit in hits] == [(0,), (0,), (1,)]
    assert hits == sorted(hits, key=lambda hit: hit.start)


def test_find_all_whole_words_and_limit(layer: DocumentText) -> None:
    assert [hit.quote for hit in find_all(layer, "the")] == ["the"] * 3 + ["The", "the", "the"]
    assert len(find_all(layer, "the", whole_words=True)) == 6
    assert len(find_all(layer, "he", whole_words=True)) == 0
    assert len(find_all(layer, "e", max_hits=3)) == 3


def test_normalize_maps_every_character_back() -> None:
    original = "Ça “ﬁts” – well-\nknown e\u0301te\u0301"
    normalized = normalize(original, ignore_case=True)
    assert normalized.text == 'ça "fits"wellknown été'
    fi = normalized.text.index("fi")
    assert normalized.to_original(fi, fi + 2) == (4, 5)
    known = normalized.text.index("known")
    assert original[slice(*normalized.to_original(known, known + 5))] == "known"
    ete = normalized.text.index("été")
    assert original[slice(*normalized.to_original(ete, ete + 3))] == "e\u0301te\u0301"
