"""The window benchmark still runs: it reaches into the window as a person cannot (to wait
for quiet between figures), so a rename in the window broke it without any test noticing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_the_workspace_benchmark_runs_on_a_small_workspace(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "REVIEWER_APP_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "workspace_bench.py"),
         "--records", "12", "--sheets", "3", "--switches", "3", "--keys", "3"],
        capture_output=True, text=True, env=env, timeout=240, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    for figure in ("window usable:", "record switch:", "verdict keypress to repaint:"):
        assert figure in result.stdout
    assert "Traceback" not in result.stderr
