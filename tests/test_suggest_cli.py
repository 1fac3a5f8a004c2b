"""The `suggest` CLI contract (issue 12) on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from reviewer_app.cli import cli
from reviewer_app.pdf import PdfStore, open_pdf
from reviewer_app.pdf.passages import display_text
from reviewer_app.services.review import pdf_store_dir
from reviewer_app.services.suggestions import SuggestionService
from reviewer_app.services.workspace import Workspace
from reviewer_app.storage.passage_models import PassageLayerRow
from tests.evidence_support import NEGATION_SENTENCE, make_evidence_source
from tests.review_support import SAMPLE_REPORT

CANDIDATE_KEYS = {"rank", "source_sha256", "file", "page", "text", "start", "end", "score", "hints"}


def run(db: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def record(db_url: str, samples: Path) -> str:
    code, out, err = run(db_url, "import", str(samples / SAMPLE_REPORT))
    assert code == 0, err
    return out.split("\t")[0]


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return make_evidence_source(tmp_path / "probing.pdf")


def _attach(db_url: str, record: str, pdf: Path) -> str:
    code, out, err = run(db_url, "attach", record, str(pdf), "--reviewer", "dana")
    assert code == 0, err
    return out.split("\t")[0]


def test_suggest_ranks_the_passage_that_states_the_claim_first(
    db_url: str, record: str, source: Path
) -> None:
    sha256 = _attach(db_url, record, source)
    code, out, err = run(db_url, "suggest", record, "--claim", "4", "--json")
    assert code == 0, err
    assert "indexing: pages 2/2" in err
    candidates = json.loads(out)
    assert 1 <= len(candidates) <= 5
    assert [c["rank"] for c in candidates] == list(range(1, len(candidates) + 1))
    assert all(set(c) == CANDIDATE_KEYS for c in candidates)
    best = candidates[0]
    assert best["text"] == NEGATION_SENTENCE
    assert (best["source_sha256"], best["file"], best["page"]) == (sha256, "probing.pdf", 1)
    assert [c["score"] for c in candidates] == sorted(
        (c["score"] for c in candidates), reverse=True
    )
    with open_pdf(source) as document:
        layer = document.text_layer()
    assert display_text(layer.text[best["start"] : best["end"]]) == NEGATION_SENTENCE
    kinds = {hint["kind"] for hint in best["hints"]}
    assert "key-terms" in kinds and all(h["message"] for h in best["hints"])


def test_top_k_and_all_claims(db_url: str, record: str, source: Path) -> None:
    _attach(db_url, record, source)
    code, out, err = run(db_url, "suggest", record, "--claim", "1", "--top", "2", "--json")
    assert code == 0, err
    assert len(json.loads(out)) == 2
    code, out, err = run(db_url, "suggest", record, "--all", "--json")
    assert code == 0, err
    claims = json.loads(out)["claims"]
    assert [c["position"] for c in claims] == list(range(1, 11))
    assert all(set(c) == {"position", "candidates"} for c in claims)
    assert "indexing" not in err  # the index built by the first call is reused
    first = claims[0]["candidates"][0]
    assert "order of words" in first["text"]


def test_annotate_suggestion_stores_the_same_span_as_the_quote(
    db_url: str, record: str, source: Path
) -> None:
    _attach(db_url, record, source)
    code, out, err = run(db_url, "suggest", record, "--claim", "4", "--json")
    assert code == 0, err
    best = json.loads(out)[0]
    code, out, err = run(
        db_url, "annotate", record, "--claim", "4", "--suggestion", "1",
        "--stance", "supports", "--reviewer", "dana",
    )  # fmt: skip
    assert code == 0, err
    code, _, err = run(
        db_url, "annotate", record, "--claim", "4", "--pdf", str(source),
        "--quote", NEGATION_SENTENCE, "--stance", "supports", "--reviewer", "dana",
    )  # fmt: skip
    assert code == 0, err
    code, out, err = run(db_url, "annotations", record, "--json")
    from_suggestion, from_quote = json.loads(out)
    assert from_suggestion["target"]["selector"] == from_quote["target"]["selector"]
    position = from_suggestion["target"]["selector"][1]
    assert (position["start"], position["end"]) == (best["start"], best["end"])


def test_refusals_exit_2_with_one_line(
    db_url: str, record: str, source: Path, samples: Path
) -> None:
    def refused(*args: str) -> str:
        code, out, err = run(db_url, *args)
        lines = err.strip().splitlines()
        assert code == 2 and out == "" and len(lines) == 1, (code, out, err)
        return lines[0]

    assert "has no attached PDF" in refused("suggest", record, "--claim", "1")
    assert "NOPE" in refused("suggest", "NOPE", "--claim", "1")
    _attach(db_url, record, source)
    assert "claim" in refused("suggest", record, "--claim", "99")
    assert "--claim N or --all" in refused("suggest", record)
    assert "--claim N or --all" in refused("suggest", record, "--claim", "1", "--all")
    assert "no suggestions yet" in refused(
        "annotate", record, "--claim", "2", "--suggestion", "1", "--stance", "supports"
    )


def test_the_same_file_attached_to_another_record_reuses_its_index(
    db_url: str, record: str, source: Path, samples: Path, tmp_path: Path
) -> None:
    _attach(db_url, record, source)
    assert run(db_url, "suggest", record, "--claim", "1")[0] == 0
    code, out, err = run(db_url, "import", str(samples / "record-page-label-value.txt"))
    assert code == 0, err
    other = out.split("\t")[0]
    copy = tmp_path / "renamed copy.pdf"
    copy.write_bytes(source.read_bytes())
    _attach(db_url, other, copy)
    with Workspace.open(db_url) as workspace:
        service = SuggestionService(workspace.database, PdfStore(pdf_store_dir()))
        progress: list[tuple[str, int, int]] = []
        indexed = service.ensure_indexed(other, lambda *step: progress.append(step))
        assert list(indexed.values()) == ["renamed copy.pdf"] and progress == []
        with workspace.database.reading() as session:
            assert session.scalar(select(func.count()).select_from(PassageLayerRow)) == 1


def test_a_claim_without_evidence_says_no_close_match_and_still_lists_candidates(
    db_url: str, record: str, source: Path
) -> None:
    _attach(db_url, record, source)
    # claim 8: "Text encoder feature representations are more influenced by visual features."
    code, out, err = run(db_url, "suggest", record, "--claim", "8", "--json")
    assert code == 0, err
    candidates = json.loads(out)
    assert candidates, "the candidates are listed all the same"
    first_hints = [hint["kind"] for hint in candidates[0]["hints"]]
    assert first_hints[0] == "no-close-match"
    assert candidates[0]["hints"][0]["message"] == "no close match found"
    assert all("verdict" not in hint["kind"] for c in candidates for hint in c["hints"])
