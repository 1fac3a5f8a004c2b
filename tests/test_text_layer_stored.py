"""The text layer stored with the passage index (issue 12, item 1): find and quote search read
it instead of the PDF, and give the same hits, quads and selectors as the layer read from it."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
import sqlalchemy as sa

from reviewer_app.pdf import DocumentText, PdfStore, make_selectors, open_pdf
from reviewer_app.pdf.packed_layer import (
    PackedDocumentText,
    PackedLayerInvalid,
    TextLayerPacker,
    unpack_text_layer,
)
from reviewer_app.pdf.search import find_all, find_quote
from reviewer_app.services.passage_index import build_lexical_index, needs_index
from reviewer_app.services.review import ReviewService
from reviewer_app.services.text_layers import TextLayers
from reviewer_app.storage import passage_repository as passages_repo
from reviewer_app.storage import text_layer_repository as text_layer_repo
from reviewer_app.storage.database import Database, database_url
from tests.evidence_support import make_evidence_source
from tests.pdf_factory import make_lines_pdf
from tests.review_support import make_source

PDF_DIR = Path(
    os.environ.get("REVIEWER_TEST_PDF_DIR", Path(__file__).parents[1] / ".cache" / "test-pdfs")
)

TRICKY_PAGES = [
    [
        "The \ufb01rst e\ufb00ect of “curly” quotes—and dashes – was statis-",
        "tically signi\ufb01cant in 1990–2022 for  spaced   words.",
        "Ünïcödé letters, ß and İ fold; ﬃ and ﬄ are ligatures.",
    ],
    [],  # an empty page between two with words
    ["The first effect appears again on page three.", "state-of-the-", "art methods"],
]
TERMS = ["the", "first effect", "statistically significant", "1990-2022", "ss", "art", "e", "zz"]


def _packed(document_path: Path) -> tuple[DocumentText, PackedDocumentText]:
    with open_pdf(document_path) as document:
        old = document.text_layer()
        packer = TextLayerPacker()
        for number in range(document.page_count):
            packer.add_page(number, document.raw.load_page(number).get_text("words"))
    return old, unpack_text_layer(packer.pack())


def _assert_same_layer(old: DocumentText, new: DocumentText, terms: list[str]) -> None:
    assert new.text == old.text
    assert new.page_starts == old.page_starts
    assert new.failed_pages == old.failed_pages
    assert len(new.words) == len(old.words)
    sample = random.Random(12).sample(range(len(old.words)), min(3_000, len(old.words)))
    for index in sample:
        assert new.words[index] == old.words[index]
    for page in range(old.page_count):
        assert new.word_indices_on_page(page) == old.word_indices_on_page(page)
    for ignore_case in (True, False):
        theirs, ours = (
            old.normalized(ignore_case=ignore_case),
            new.normalized(ignore_case=ignore_case),
        )
        assert ours.text == theirs.text
        rng = random.Random(ignore_case)
        for index in rng.sample(range(len(theirs.text)), min(3_000, len(theirs.text))):
            assert (ours.starts[index], ours.ends[index]) == (
                theirs.starts[index],
                theirs.ends[index],
            )
        for offset in rng.sample(range(len(old.text) + 1), min(2_000, len(old.text) + 1)):
            assert ours.index_at_or_after(offset) == theirs.index_at_or_after(offset)
    for term in terms:
        hits = find_all(new, term)
        assert hits == find_all(old, term), term
        assert find_quote(new, term, ignore_case=False) == find_quote(old, term, ignore_case=False)
        for hit in hits[:50]:
            assert make_selectors(new, hit) == make_selectors(old, hit)


def test_packed_layer_serves_the_same_hits_quads_and_selectors(tmp_path: Path) -> None:
    pdf = make_lines_pdf(tmp_path / "tricky.pdf", TRICKY_PAGES)
    old, new = _packed(pdf)
    assert find_all(old, "statistically significant")  # the terms do hit something
    _assert_same_layer(old, new, TERMS)
    assert new.words_on_page(1) == []
    assert new.span(0, 9) == old.span(0, 9)


def test_packed_layer_of_an_evidence_source(tmp_path: Path) -> None:
    old, new = _packed(make_evidence_source(tmp_path / "p.pdf"))
    _assert_same_layer(old, new, ["negation", "inputs", "the model", "%"])


def test_packed_layer_of_a_real_r_manual() -> None:
    manual = PDF_DIR / "R-intro.pdf"
    if not manual.is_file():
        pytest.skip(
            f"{manual} is absent: run scripts/fetch-test-pdfs (or set REVIEWER_TEST_PDF_DIR)"
        )
    old, new = _packed(manual)
    assert old.page_count > 100
    _assert_same_layer(
        old, new, ["data frame", "the", "lm(", "Permission is granted", "x <- c(", "effect"]
    )


def test_a_document_without_words(tmp_path: Path) -> None:
    old, new = _packed(make_lines_pdf(tmp_path / "blank.pdf", [[], []]))
    _assert_same_layer(old, new, ["x"])
    assert new.words_on_page(0) == [] and find_all(new, "x") == []


def test_damaged_bytes_are_refused_with_a_reason() -> None:
    with pytest.raises(PackedLayerInvalid, match="unreadable"):
        unpack_text_layer(b"not a packed layer")


def test_index_stores_the_layer_and_quote_search_reads_it(db_url: str, tmp_path: Path) -> None:
    store = PdfStore(tmp_path / "store")
    pdf = make_lines_pdf(tmp_path / "tricky.pdf", TRICKY_PAGES)
    stored = store.add(pdf)
    database = Database.open(db_url)
    try:
        build_lexical_index(database, store, stored.sha256)
        assert not needs_index(database, stored.sha256)
        with open_pdf(pdf) as document:
            old = document.text_layer()
        layers = TextLayers(store, database=database)
        # the PDF itself is no longer needed: the layer comes from the database
        stored.path.unlink()
        layer = layers.get(stored.sha256)
        assert isinstance(layer, PackedDocumentText)
        _assert_same_layer(old, layer, TERMS)
    finally:
        database.close()


def test_an_index_built_before_the_stored_layer_gets_it_and_keeps_its_passages(
    db_url: str, tmp_path: Path
) -> None:
    store = PdfStore(tmp_path / "store")
    stored = store.add(make_evidence_source(tmp_path / "p.pdf"))
    database = Database.open(db_url)
    try:
        build_lexical_index(database, store, stored.sha256)
        with database.transaction() as session:
            session.execute(
                sa.text("UPDATE passage_layers SET text_layer = NULL WHERE sha256 = :sha"),
                {"sha": stored.sha256},
            )
            ids_before = sorted(
                i
                for i, _ in passages_repo.passage_texts(
                    session, stored.sha256, missing_vectors_only=False
                )
            )
        assert needs_index(database, stored.sha256)
        steps: list[tuple[str, int, int]] = []
        build_lexical_index(database, store, stored.sha256, lambda *step: steps.append(step))
        assert steps[-1] == ("pages", 2, 2)
        with database.reading() as session:
            assert text_layer_repo.has_text_layer(session, stored.sha256)
            ids_after = sorted(
                i
                for i, _ in passages_repo.passage_texts(
                    session, stored.sha256, missing_vectors_only=False
                )
            )
        assert ids_after == ids_before  # the same rows: their vectors are kept
        assert not needs_index(database, stored.sha256)
    finally:
        database.close()


def test_annotate_quote_reads_the_stored_layer(
    service: ReviewService, record_id: str, tmp_path: Path
) -> None:
    pdf = make_source(tmp_path / "probing.pdf")
    sha256 = service.attach_pdf(record_id, pdf, reviewer="ana").source.sha256
    quote = "Our main finding is that the pooled alignment score rises"  # "ﬁ" and a line end
    by_pdf = service.annotate_quote(
        record_id, 3, pdf=pdf, quote=quote, stance="supports", reviewer="ana"
    )
    build_lexical_index(service.database, service.pdf_store, sha256)
    service.pdf_store.path_for(sha256).unlink()  # only the stored layer is left to read
    fresh = ReviewService(service.database, service.pdf_store)
    from_index = fresh.annotate_quote(
        record_id, 3, pdf=pdf, quote=quote, stance="supports", reviewer="bob"
    )
    assert fresh.text_layer(sha256).__class__ is PackedDocumentText
    for field in ("exact", "prefix", "suffix", "start", "end", "page", "quads", "continuation"):
        assert getattr(from_index, field) == getattr(by_pdf, field), field


def test_migration_0011_adds_and_removes_the_column(db_url: str) -> None:
    from tests.test_evidence_index import _migrate

    _migrate(db_url, "0008_team")
    _migrate(db_url, "0011_text_layer")
    engine = sa.create_engine(database_url(db_url))
    try:
        columns = {c["name"] for c in sa.inspect(engine).get_columns("passage_layers")}
        assert "text_layer" in columns
    finally:
        engine.dispose()
    _migrate(db_url, "0008_team", down=True)
    engine = sa.create_engine(database_url(db_url))
    try:
        columns = {c["name"] for c in sa.inspect(engine).get_columns("passage_layers")}
        assert "text_layer" not in columns
    finally:
        engine.dispose()
