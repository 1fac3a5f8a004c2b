"""What the window loads before its first page: nothing it needs only for a later action.

Each of these cost start-up time (measured by benchmarks/startup_bench.py, target 2 s to the
first page of the 2,415-page manual): keyring brings urllib, ssl and its backends (~80 ms) and
is needed only to join a team server; the arXiv download's urllib.request likewise; the
corrections service loads the bundle codecs; pyqtgraph and the scoring services load with the
scoring panel.
"""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json, os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication
app = QApplication([])
import reviewer_app.ui.main_window
late = ("keyring", "urllib.request", "reviewer_app.services.corrections",
        "reviewer_app.storage.bundle_repository", "pyqtgraph", "jsonschema", "psycopg")
print(json.dumps([name for name in late if name in sys.modules]))
"""


def test_the_window_module_loads_nothing_needed_only_later() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          check=True, timeout=120)  # fmt: skip
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
