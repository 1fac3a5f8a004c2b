"""Unrecognised content is kept with the record, shown in show --json and warned about."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from reviewer_app.cli import cli
from reviewer_app.cli_support import one_line
from reviewer_app.config import schema_path
from reviewer_app.domain.record_json import record_from_json
from reviewer_app.errors import ImportRefused
from reviewer_app.importers import parse_synthesis, read_synthesis

RECORD_SCHEMA = json.loads(schema_path("record.schema.json").read_text())
CASES = Path(__file__).parent / "import_variations/cases"


def run(db: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_unknown_rows_are_stored_shown_and_warned_about(db_url: str, tmp_path: Path) -> None:
    page = CASES / "61-pipe-unknown-row-doi.txt"

    code, out, err = run(db_url, "import", str(page))

    assert code == 0
    record_id = out.split("\t")[0]
    assert (
        f"warning: {page}: Provenance: unrecognised line kept: '| DOI | 10.5281/zenodo.1234 |'"
        in err
    )
    code, out, _ = run(db_url, "show", record_id, "--json")
    shown = json.loads(out)
    jsonschema.validate(shown, RECORD_SCHEMA)
    assert shown["unrecognised"] == [
        {"section": "Provenance", "text": "| DOI | 10.5281/zenodo.1234 |", "note": None}
    ]
    _, described, _ = run(db_url, "show", record_id)
    assert (
        "Kept but not recognised (1):\n    Provenance: | DOI | 10.5281/zenodo.1234 |" in described
    )


def test_record_json_codec_round_trips_unrecognised_content() -> None:
    record = read_synthesis(CASES / "81-paper-recall-at-k-ambiguous.txt")
    data = record.to_json()

    assert data["unrecognised"][0]["note"].startswith("ambiguous: read as Recall@1 20.5")
    assert record_from_json(json.loads(json.dumps(data))) == record
    legacy = {key: value for key, value in data.items() if key != "unrecognised"}
    assert record_from_json(legacy).unrecognised == ()  # older exports have no such key


def test_samples_keep_their_content_hash(samples: Path) -> None:
    """No unrecognised content: the hash is computed as before, so no spurious revision."""
    record = read_synthesis(samples / "report-no-claims.txt")
    assert record.unrecognised == ()
    assert "unrecognised" in record.to_json()


def test_windows_1252_file_imports_with_a_warning(
    db_url: str, samples: Path, tmp_path: Path
) -> None:
    text = (samples / "report-sparse-multimodal-alignment.txt").read_text(encoding="utf-8")
    path = write(
        tmp_path, "report.txt", text.replace("Expert Scaling", "Expert Scaling – é"), "cp1252"
    )

    code, out, err = run(db_url, "import", str(path))

    assert code == 0
    assert out.rstrip().endswith("with Expert Scaling – é")
    assert "it was read as Windows-1252" in err
    assert err.startswith(f"warning: {path}: the file is not UTF-8")


def test_banner_above_title_keeps_the_record_id(samples: Path) -> None:
    plain = read_synthesis(samples / "report-sparse-multimodal-alignment.txt")
    bannered = read_synthesis(CASES / "03-report-banner-above-title.txt")

    assert bannered.local_id == plain.local_id
    assert bannered.unrecognised[0].section == "before the title"


def test_separator_characters_in_titles_are_escaped_in_line_output(
    db_url: str, tmp_path: Path
) -> None:
    title = "Sparse\u2028Multimodal\u0085Models\tand\u2029more"
    assert one_line(title) == "Sparse\\u2028Multimodal\\u0085Models\\u0009and\\u2029more"
    case = (CASES / "37-report-title-with-line-separator.txt").read_text(encoding="utf-8")
    path = write(tmp_path, "report.txt", case.replace("Expert\u2028Scaling", title))

    _, out, _ = run(db_url, "import", str(path))
    _, listed, _ = run(db_url, "list")

    for output in (out, listed):
        assert len(output.splitlines()) == 1  # str.splitlines honours U+2028 and U+0085
        assert output.count("\t") == 2
        assert "Sparse\\u2028Multimodal\\u0085Models\\u0009and\\u2029more" in output


def test_a_few_control_characters_are_text_many_are_binary(samples: Path) -> None:
    """Text copied out of a PDF keeps TeX ligature codes ("e\\x1bect" for "effect")."""
    data = (samples / "report-no-claims.txt").read_bytes()
    copied = data.replace(b"Sparse Mixture-of-Experts", b"Sparse Mixture-of-E\x1bperts", 1)

    record = parse_synthesis(copied, source=Path("copied.txt"))

    assert "Mixture-of-E\x1bperts" in (record.abstract or "")
    assert record.decoding_note == "the file holds 1 control character (U+001B), kept as they are"
    noisy = data.replace(b"e", b"e\x1b", 40)
    with pytest.raises(ImportRefused) as refused:
        parse_synthesis(noisy, source=Path("noisy.txt"))
    assert refused.value.reason == "binary content, not a text export"
