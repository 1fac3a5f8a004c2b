"""The sentence model ranks every passage of a fully vectored file itself (issue 12): a
paraphrase sharing no word with the claim is found even when the passages that share the
claim's words fill the other signals' pool."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer_app.pdf import PdfStore
from reviewer_app.services import suggestions
from reviewer_app.services.passage_index import build_lexical_index, compute_dense_vectors
from reviewer_app.services.passage_ranking import POOL
from reviewer_app.services.suggestions import SuggestionService
from reviewer_app.storage.database import Database
from tests.pdf_factory import make_lines_pdf

CLAIM = "The medication lowered blood pressure in elderly patients."
PARAPHRASE = "Among older adults, the drug reduced hypertension markedly."
# Passages that share the claim's words but say something else: more than the pool holds.
TOPICS = ["kitchen", "garden", "harbour", "library", "factory", "museum", "stadium", "bakery"]
DISTRACTORS = [
    f"Patients visiting the {topic} in group {n} discussed blood drives and pressure washers."
    for n in range(4)
    for topic in TOPICS
] + [
    f"The elderly volunteers at the {topic} stored medication boxes in room {n}."
    for n in range(2)
    for topic in TOPICS
]


@pytest.fixture
def indexed(tmp_path: Path) -> tuple[SuggestionService, dict[str, str]]:
    lines = [*DISTRACTORS[:20], PARAPHRASE, *DISTRACTORS[20:]]
    pages = [lines[i : i + 12] for i in range(0, len(lines), 12)]
    pdf = make_lines_pdf(tmp_path / "trial.pdf", pages)
    database = Database.open(tmp_path / "w.sqlite3")
    store = PdfStore(tmp_path / "pdfs")
    sha = store.add(pdf).sha256
    build_lexical_index(database, store, sha)
    yield SuggestionService(database, store), {sha: "trial.pdf"}
    database.close()


def top_texts(service: SuggestionService, files: dict[str, str]) -> list[str]:
    return [c.text for c in service.rank_text(CLAIM, files, 5).candidates]


def test_a_paraphrase_with_no_shared_word_is_found_once_the_file_is_vectored(
    indexed: tuple[SuggestionService, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    service, files = indexed
    (sha,) = files
    assert len(DISTRACTORS) > POOL  # the first stages' pool can be full of them
    assert compute_dense_vectors(service.database, sha)
    found = top_texts(service, files)
    assert any(PARAPHRASE in text for text in found), found
    assert found[0] == PARAPHRASE  # the only strong one: the model finds it close
    # without the model's own candidates (its cosines for the pool alone) it is missed
    monkeypatch.setattr(suggestions, "DENSE_CANDIDATES", 0)
    fresh = SuggestionService(service.database, service.store)
    assert not any(PARAPHRASE in text for text in top_texts(fresh, files))
