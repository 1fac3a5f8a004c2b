"""Importing batches (issue 16): earlier versions again are no-ops that say so, and each file
is reported as soon as it commits, whatever happens to the files after it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from reviewer_app.storage.database import database_url

SAMPLE = "report-sparse-multimodal-alignment.txt"


def _run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reviewer_app", "--db", str(db), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def _versions(samples: Path, tmp_path: Path) -> tuple[Path, Path]:
    text = (samples / SAMPLE).read_text()
    v1 = tmp_path / "v1.txt"
    v2 = tmp_path / "v2.txt"
    v1.write_text(text)
    v2.write_text(text.replace("11 papers retrieved.", "12 papers retrieved."))
    return v1, v2


def test_reimporting_an_earlier_version_adds_nothing_and_says_so(
    samples: Path, tmp_path: Path
) -> None:
    db = tmp_path / "w.db"
    v1, v2 = _versions(samples, tmp_path)
    assert _run(db, "import", str(v1)).returncode == 0
    assert _run(db, "import", str(v2)).returncode == 0
    again = _run(db, "import", str(v1), str(v2))
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr
    assert f"{v1}: unchanged, the same content as revision 1 (the newest is 2)" in again.stderr
    assert f"{v2}: unchanged, the same content as its newest revision" in again.stderr
    assert len(again.stdout.splitlines()) == 2
    shown = _run(db, "list", "--json")
    assert '"revisions": 2' in shown.stdout


def test_each_file_is_reported_as_it_commits_and_a_refused_write_spares_the_rest(
    samples: Path, tmp_path: Path
) -> None:
    db = tmp_path / "w.db"
    files = sorted(samples.glob("*.txt"))[:3]
    assert _run(db, "list").returncode == 0  # creates the schema
    second_id = _run(tmp_path / "probe.db", "import", str(files[1])).stdout.split("\t")[0]
    engine = sa.create_engine(database_url(db))
    with engine.begin() as connection:  # the database itself refuses the second file's record
        connection.exec_driver_sql(
            "CREATE TRIGGER refuse_second BEFORE INSERT ON records "
            f"WHEN NEW.id = '{second_id}' BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END"
        )
    engine.dispose()
    merged = subprocess.run(
        [sys.executable, "-m", "reviewer_app", "--db", str(db), "import", *map(str, files)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    lines = merged.stdout.splitlines()
    assert merged.returncode == 2
    assert "Traceback" not in merged.stdout
    assert len(lines) == 3
    # in file order: the first file's line came out before the second was tried
    assert lines[0].count("\t") == 2 and lines[2].count("\t") == 2
    assert lines[1].startswith(f"reviewer-app: refused {files[1]}: ")
    assert "refused by a trigger" in lines[1]
    assert len(_run(db, "list").stdout.splitlines()) == 2
