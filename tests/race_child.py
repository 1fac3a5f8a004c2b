"""One racing writer: ``python tests/race_child.py ARGS…`` runs ``python -m reviewer_app ARGS…``
once the parent says go, so that the racers' work overlaps instead of their start-up.

It imports the app first, reports ``ready`` on stderr, then blocks reading one byte of stdin.
"""

from __future__ import annotations

import runpy
import sys

import reviewer_app.cli  # noqa: F401  (the slow part of start-up, done before the start line)

if __name__ == "__main__":
    sys.stderr.write("ready\n")
    sys.stderr.flush()
    sys.stdin.read(1)
    sys.argv = ["reviewer_app", *sys.argv[1:]]
    runpy.run_module("reviewer_app", run_name="__main__", alter_sys=True)
