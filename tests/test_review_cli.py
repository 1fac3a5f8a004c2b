"""The review CLI contract: attach, annotate, verdict, annotations --json, exit codes."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from reviewer_app.cli import cli
from tests.pdf_factory import make_corrupt_pdf
from tests.review_support import PAPER_LINES, REF_PROBING, SAMPLE_REPORT, make_source

ERROR_PREFIX = "reviewer-app: error: "


def run(db: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def record(db_url: str, samples: Path) -> str:
    code, out, err = run(db_url, "import", str(samples / SAMPLE_REPORT))
    assert code == 0, err
    return out.split("\t")[0]


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(ERROR_PREFIX), err
    return lines[0]


def test_attach_annotate_verdict_annotations_end_to_end(
    db_url: str, record: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVIEWER_APP_REVIEWER", "dana")
    pdf = make_source(tmp_path / "probing.pdf")
    code, out, err = run(db_url, "attach", record, str(pdf))
    assert code == 0, err
    sha256, reference, shown = out.rstrip("\n").split("\t")
    assert (len(sha256), reference, shown) == (64, REF_PROBING, str(pdf))
    assert err == ""

    code, out, err = run(
        db_url, "annotate", record, "--claim", "3", "--pdf", str(pdf),
        "--quote", "main finding is that the pooled", "--stance", "supports", "--note", "n1",
    )  # fmt: skip
    assert code == 0, err
    span_id = str(uuid.UUID(out.strip()))

    code, out, err = run(db_url, "verdict", record, "--claim", "3", "--verdict", "supports")
    assert code == 0, err
    saved = json.loads(out)
    assert (saved["claim"], saved["reviewer"], saved["verdict"]) == (3, "dana", "supports")

    code, out, err = run(db_url, "annotations", record, "--json")
    assert code == 0, err
    (annotation,) = json.loads(out)
    assert annotation["id"] == f"urn:uuid:{span_id}"
    assert annotation["target"]["source"] == f"urn:sha256:{sha256}"
    types = [s["type"] for s in annotation["target"]["selector"]]
    assert types[:2] == ["TextQuoteSelector", "TextPositionSelector"]
    assert "PdfQuadSelector" in types
    body = annotation["body"]
    assert (body["reviewer"], body["stance"], body["value"]) == ("dana", "supports", "n1")
    assert body["claim"]["position"] == 3


def test_verdict_without_evidence_is_refused_unless_a_reason_is_given(
    db_url: str, record: str
) -> None:
    args = ["verdict", record, "--claim", "2", "--reviewer", "eve", "--verdict", "contradicts"]
    code, out, err = run(db_url, *args)
    assert code == 2 and out == ""
    assert "needs at least one evidence span by eve" in _one_error_line(err)
    code, out, err = run(db_url, *args, "--reason", "the paper has no text layer")
    assert code == 0, err
    assert json.loads(out)["reason"] == "the paper has no text layer"
    code, _, err = run(db_url, "verdict", record, "--claim", "2", "--verdict", "maybe")
    assert code == 2 and "'maybe' is not one of" in err


def test_refusals_exit_2_with_one_clear_line(db_url: str, record: str, tmp_path: Path) -> None:
    broken = make_corrupt_pdf(tmp_path / "broken.pdf")
    code, out, err = run(db_url, "attach", record, str(broken))
    assert code == 2 and out == ""
    assert f"{broken}: not a valid PDF" in _one_error_line(err)

    pdf = make_source(tmp_path / "probing.pdf")
    base = ["annotate", record, "--claim", "1", "--pdf", str(pdf), "--stance", "context"]
    code, _, err = run(db_url, *base, "--quote", "syntax")
    assert code == 2 and "not attached to record" in _one_error_line(err)
    run(db_url, "attach", record, str(pdf))
    code, _, err = run(db_url, *base, "--quote", "not in this paper at all")
    assert code == 2 and 'quote not found: "not in this paper at all"' in _one_error_line(err)
    code, _, err = run(db_url, "annotations", "RPT-NOPE", "--json")
    assert code == 2 and "no record 'RPT-NOPE'" in _one_error_line(err)
    code, out, _ = run(db_url, "annotations", record, "--json")
    assert json.loads(out) == []  # nothing was stored by the refusals


def test_attaching_a_new_version_reports_reanchoring_on_stderr(
    db_url: str, record: str, tmp_path: Path
) -> None:
    old = make_source(tmp_path / "2407.17856v2.pdf", page_size="a4", fontname="helv")
    new = make_source(
        tmp_path / "2407.17856v4.pdf",
        [line for line in PAPER_LINES if "closing" not in line],
        page_size="letter",
        fontname="tiro",
    )
    run(db_url, "attach", record, str(old))
    for claim, quote in ((1, "syntax is captured"), (2, "A closing remark")):
        code, _, err = run(
            db_url, "annotate", record, "--claim", str(claim), "--pdf", str(old),
            "--quote", quote, "--stance", "supports", "--reviewer", "ana",
        )  # fmt: skip
        assert code == 0, err
    code, out, err = run(db_url, "attach", record, str(new), "--reference", REF_PROBING)
    assert code == 0, err
    assert out.split("\t")[1] == REF_PROBING
    assert err.strip() == "re-anchored 2 spans: 1 exact, 0 moved, 0 changed, 1 orphan"


@pytest.mark.parametrize(
    ("command", "documented"),
    [
        ("attach", ["--reference", "--reviewer", "SHA256", "re-anchored"]),
        ("annotate", ["--claim", "--pdf", "--quote", "--stance", "supports|contradicts|context"]),
        ("verdict", ["--reason", "special-case", "not-enough-evidence", "REVIEWER_APP_REVIEWER"]),
        ("annotations", ["--json", "urn:sha256", "TextQuoteSelector"]),
    ],
)
def test_help_documents_the_contract(command: str, documented: list[str]) -> None:
    result = CliRunner().invoke(cli, [command, "--help"], terminal_width=200)
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    for phrase in documented:
        assert phrase in text, phrase
