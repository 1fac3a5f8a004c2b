"""The passage index (issue 12): cutting, normalising, storing, full-text search, migration."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from reviewer_app.pdf import PdfStore, normalize, open_pdf
from reviewer_app.pdf.passages import display_text, split_passages
from reviewer_app.services.passage_index import build_lexical_index
from reviewer_app.storage import passage_repository as passages_repo
from reviewer_app.storage.database import MIGRATIONS_DIR, Database, database_url
from tests.evidence_support import NEGATION_SENTENCE, SOURCE_PAGES, make_evidence_source
from tests.pdf_factory import make_lines_pdf


def test_tex_t1_ligature_codes_normalise_like_unicode_ligatures() -> None:
    raw = "the e\x1bect of \x1cnal \x1dow and o\x1ece wa\x1fe"
    assert normalize(raw).text == "the effect of final flow and office waffle"
    assert normalize(raw).text == normalize("the eﬀect of ﬁnal ﬂow and oﬃce waﬄe").text
    assert display_text(raw) == "the effect of final flow and office waffle"


def test_passages_are_sentences_with_exact_offsets(tmp_path: Path) -> None:
    pdf = make_evidence_source(tmp_path / "p.pdf")
    with open_pdf(pdf) as document:
        layer = document.text_layer()
    passages = split_passages(layer)
    texts = [p.text for p in passages]
    assert NEGATION_SENTENCE in texts
    assert {p.page for p in passages} == {0, 1}
    for passage in passages:
        assert display_text(layer.text[passage.start : passage.end]) == passage.text
        # a passage starts and ends on word boundaries, like a span dragged over its words
        words = layer.word_indices(passage.start, passage.end)
        assert layer.words[words.start].start == passage.start
        assert layer.words[words.stop - 1].end == passage.end
    assert [p.ordinal for p in passages] == list(range(len(passages)))


def test_hyphenated_line_ends_are_joined(tmp_path: Path) -> None:
    pdf = make_lines_pdf(tmp_path / "h.pdf", [["The results were statis-", "tically significant."]])
    with open_pdf(pdf) as document:
        (passage,) = split_passages(document.text_layer())
    assert passage.text == "The results were statistically significant."


def test_index_is_built_once_and_searched_by_stemmed_terms(db_url: str, tmp_path: Path) -> None:
    store = PdfStore(tmp_path / "store")
    stored = store.add(make_evidence_source(tmp_path / "p.pdf"))
    database = Database.open(db_url)
    try:
        steps: list[tuple[str, int, int]] = []
        count = build_lexical_index(database, store, stored.sha256, lambda *s: steps.append(s))
        assert count >= sum(len(page) for page in SOURCE_PAGES) - 2
        assert steps[-1] == ("pages", 2, 2)
        steps.clear()
        assert (
            build_lexical_index(database, store, stored.sha256, lambda *s: steps.append(s)) == count
        )
        assert steps == []  # reused, not rebuilt
        with database.reading() as session:
            hits = passages_repo.lexical_search(
                session, {stored.sha256}, ["negations", "inputs"], 5
            )
            rows = passages_repo.passages_by_id(session, [pid for pid, _ in hits])
            assert rows[hits[0][0]].text == NEGATION_SENTENCE
            assert passages_repo.lexical_search(session, {"0" * 64}, ["negation"], 5) == []
    finally:
        database.close()


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


@pytest.mark.parametrize("step", ["upgrade", "downgrade-and-again"])
def test_migration_from_0003_adds_the_evidence_tables(db_url: str, step: str) -> None:
    _migrate(db_url, "0003")
    engine = sa.create_engine(database_url(db_url))
    try:
        assert "passages" not in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
    _migrate(db_url, "0006_evidence")
    if step == "downgrade-and-again":
        _migrate(db_url, "0003", down=True)
        _migrate(db_url, "0006_evidence")
    engine = sa.create_engine(database_url(db_url))
    try:
        tables = set(sa.inspect(engine).get_table_names())
        assert {
            "passage_layers",
            "passages",
            "suggestion_rankings",
            "suggestion_dismissals",
        } <= tables
        if engine.dialect.name == "sqlite":
            assert "passage_fts" in tables
        else:
            assert "tsv" in {c["name"] for c in sa.inspect(engine).get_columns("passages")}
    finally:
        engine.dispose()
    database = Database.open(db_url)  # and on to the head, whatever it is after merging
    try:
        assert database.schema_revision() == Database.head_revision()
    finally:
        database.close()
