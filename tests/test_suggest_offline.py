"""`suggest` with no network at all (issue 12, item 3): the same ranking as with the network.

The offline run is a fresh workspace's first one, so everything that could reach for the
network does so there: building the index, loading the static embedding and the sentence
model, computing the vectors. It runs in a new network namespace (``unshare -n``), which has
no interface up, not even loopback.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.evidence_support import make_evidence_source
from tests.review_support import SAMPLE_REPORT

CLI = [sys.executable, "-m", "reviewer_app"]
_PROBE = (
    "import socket\n"
    "try:\n"
    "    socket.create_connection(('1.1.1.1', 443), timeout=3)\n"
    "except OSError as exc:\n"
    "    print('unreachable', exc.errno)\n"
    "else:\n"
    "    print('connected')\n"
)
# variables that would make a model library stay offline by itself, hiding a download attempt
_OFFLINE_HINTS = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE")


def _no_network_reason() -> str | None:
    """Why this machine cannot run a command without network, or None when it can."""
    if shutil.which("unshare") is None:
        return "unshare (util-linux) is not installed"
    probe = subprocess.run(
        ["unshare", "-n", "--", sys.executable, "-c", _PROBE], capture_output=True, text=True
    )
    if probe.returncode != 0:
        return f"unshare -n is not permitted here (needs root or user namespaces): {probe.stderr}"
    if not probe.stdout.startswith("unreachable"):
        return f"unshare -n left the network reachable: {probe.stdout}"
    return None


def _cli(env: dict[str, str], *args: str, offline: bool = False) -> str:
    prefix = ["unshare", "-n", "--"] if offline else []
    done = subprocess.run([*prefix, *CLI, *args], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _workspace(folder: Path, samples: Path, pdf: Path) -> tuple[dict[str, str], str, str]:
    folder.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in _OFFLINE_HINTS}
    env.update(REVIEWER_APP_DATA_DIR=str(folder / "data"), REVIEWER_APP_REVIEWER="dana")
    db = str(folder / "workspace.sqlite3")
    record = _cli(env, "--db", db, "import", str(samples / SAMPLE_REPORT)).split("\t")[0]
    _cli(env, "--db", db, "attach", record, str(pdf))
    return env, db, record


def test_suggest_ranks_the_same_with_the_network_unavailable(tmp_path: Path, samples: Path) -> None:
    reason = _no_network_reason()
    if reason is not None:
        pytest.skip(reason)
    pdf = make_evidence_source(tmp_path / "probing.pdf")
    env_off, db_off, record_off = _workspace(tmp_path / "offline", samples, pdf)
    env_on, db_on, record_on = _workspace(tmp_path / "online", samples, pdf)
    for claim in ("4", "1"):
        offline = json.loads(
            _cli(env_off, "--db", db_off, "suggest", record_off, "--claim", claim, "--json",
                 offline=True)
        )  # fmt: skip
        online = json.loads(
            _cli(env_on, "--db", db_on, "suggest", record_on, "--claim", claim, "--json")
        )
        assert offline, f"claim {claim}: no candidates offline"
        assert offline == online
